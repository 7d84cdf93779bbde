// /my-games: the upcoming games the user hosts or plays in (or waits for), on this server.
import { listMyGames } from '@game-scheduler/games';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { InteractionDeps } from '../interactions/interaction-deps.ts';
import { gameLine } from '../interactions/links.ts';
import { requireGuild } from './require-guild.ts';

const ROLE_LABELS = { host: 'hosting', confirmed: 'playing', waitlist: 'waitlisted' } as const;

export async function myGames(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<void> {
  const guildId = requireGuild(interaction);
  const games = await listMyGames(deps.prisma, {
    userId: interaction.user.id,
    guildId,
    limit: 25,
  });
  if (games.length === 0) {
    await interaction.editReply('You have no upcoming games on this server.');
    return;
  }
  const lines = games.map((entry) =>
    gameLine(
      entry.game,
      entry.confirmedCount,
      entry.waitlistCount,
      ` — ${entry.roles.map((role) => ROLE_LABELS[role]).join(', ')}`,
    ),
  );
  await interaction.editReply(`Your upcoming games:\n${lines.join('\n')}`);
}
