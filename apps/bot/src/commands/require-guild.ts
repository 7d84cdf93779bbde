import { DomainError } from '@game-scheduler/domain';
import type { Interaction } from 'discord.js';

/** The guild of an interaction; the commands are guild-only, so a DM is refused. */
export function requireGuild(interaction: Interaction): string {
  if (interaction.guildId === null) {
    throw new DomainError('VALIDATION', 'Use this command in a server channel.');
  }
  return interaction.guildId;
}
