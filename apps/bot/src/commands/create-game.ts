// /create-game: the game is created through the shared use case (guild membership, one transaction
// with its game.created outbox row), then its announcement is posted right away and the host gets
// an ephemeral confirmation with a link.
import { DomainError, requireInstant, resolveLocalTime } from '@game-scheduler/domain';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { InteractionDeps } from '../interactions/interaction-deps.ts';
import { messageLink, when } from '../interactions/links.ts';
import { rememberUser } from '../interactions/remember-user.ts';
import { requireGuild } from './require-guild.ts';

const DEFAULT_DURATION_MINUTES = 120;

/** `60, 15` → [60, 15]; anything else is a VALIDATION error naming the option. */
export function parseReminderMinutes(text: string | null): number[] | undefined {
  if (text === null || text.trim() === '') return undefined;
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  const minutes = parts.map(Number);
  if (minutes.some((value) => !Number.isInteger(value) || value < 1 || value > 40_320)) {
    throw new DomainError(
      'VALIDATION',
      'reminders must be whole minutes before the start, separated by commas (e.g. 60,15)',
      { details: { field: 'reminders' } },
    );
  }
  return minutes;
}

export async function createGame(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<void> {
  const guildId = requireGuild(interaction);
  const options = interaction.options;
  const [user, guild] = await Promise.all([
    deps.prisma.user.findUnique({ where: { id: interaction.user.id } }),
    deps.prisma.guild.findUnique({ where: { id: guildId } }),
  ]);
  const timeZone = options.getString('time-zone') ?? user?.timeZone ?? guild?.timeZone ?? 'UTC';
  const startsAt = requireInstant(
    resolveLocalTime(
      { date: options.getString('date', true), time: options.getString('time', true) },
      timeZone,
    ),
  );
  await rememberUser(deps.prisma, interaction.user);
  const game = await deps.games(interaction).create(interaction.user.id, {
    guildId,
    channelId: interaction.channelId,
    title: options.getString('title', true),
    description: options.getString('description'),
    where: options.getString('where'),
    startsAt: startsAt.toISOString(),
    durationMinutes: options.getInteger('duration') ?? DEFAULT_DURATION_MINUTES,
    maxPlayers: options.getInteger('max-players'),
    reminderMinutes: parseReminderMinutes(options.getString('reminders')),
  });
  const summary = `**${game.title}** on ${when(game.startsAt)}`;
  try {
    await deps.announcer.refresh(game.id, 'post-only');
  } catch (error) {
    deps.logger.warn({ err: error, gameId: game.id }, 'Announcement not posted at creation');
    await interaction.editReply(
      `Created ${summary}, but its announcement could not be posted yet; it will be retried.`,
    );
    return;
  }
  const messageId = await deps.announcer.messageIdOf(game.id);
  const link = messageId === null ? '' : ` ${messageLink(guildId, game.channelId, messageId)}`;
  await interaction.editReply(`Created ${summary}.${link}\nGame id: \`${game.id}\``);
}
