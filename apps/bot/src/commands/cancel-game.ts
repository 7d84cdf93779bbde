// /cancel-game: host or bot manager only (the shared use case decides). The announcement and the
// players' DMs follow from the game.cancelled event.
import { DomainError } from '@game-scheduler/domain';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { InteractionDeps } from '../interactions/interaction-deps.ts';
import { requireGuild } from './require-guild.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function cancelGame(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<void> {
  requireGuild(interaction);
  const gameId = interaction.options.getString('game', true).trim();
  if (!UUID.test(gameId)) {
    throw new DomainError(
      'VALIDATION',
      'game must be a game id like the one under its announcement',
      {
        details: { field: 'game' },
      },
    );
  }
  const game = await deps
    .games(interaction)
    .cancel(interaction.user.id, gameId.toLowerCase(), interaction.options.getString('reason'));
  await interaction.editReply(`Cancelled **${game.title}**. The players will be told.`);
}
