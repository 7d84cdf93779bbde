// /list-games: the upcoming games of this channel, another channel, or the whole server.
import type { ChatInputCommandInteraction } from 'discord.js';
import type { InteractionDeps } from '../interactions/interaction-deps.ts';
import { gameLine } from '../interactions/links.ts';
import { requireGuild } from './require-guild.ts';

const LIMIT = 15;

export async function listGames(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<void> {
  const guildId = requireGuild(interaction);
  const wholeServer = interaction.options.getBoolean('whole-server') ?? false;
  const channelId = interaction.options.getChannel('channel')?.id ?? interaction.channelId;
  const page = await deps.games(interaction).list(interaction.user.id, {
    guildId,
    channelId: wholeServer ? undefined : channelId,
    status: 'SCHEDULED',
    from: new Date().toISOString(),
    limit: LIMIT,
  });
  const where = wholeServer ? 'on this server' : `in <#${channelId}>`;
  if (page.items.length === 0) {
    await interaction.editReply(`No upcoming games ${where}.`);
    return;
  }
  const lines = page.items.map((game) => gameLine(game, game.confirmedCount, game.waitlistCount));
  const more = page.nextCursor === null ? '' : `\n…and more; showing the first ${String(LIMIT)}.`;
  await interaction.editReply(`Upcoming games ${where}:\n${lines.join('\n')}${more}`);
}
