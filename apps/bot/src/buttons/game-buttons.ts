// The Join and Leave buttons under an announcement: the same rules as the API (cap, waitlist order,
// role restrictions, promotion) in one transaction, answered ephemerally. The announcement edit and
// the promotion DM follow from the game.updated event.
import { SpanNames } from '@game-scheduler/telemetry';
import type { ButtonInteraction } from 'discord.js';
import type { InteractionDeps } from '../interactions/interaction-deps.ts';
import type { QueuePlace } from '../interactions/keyed-queue.ts';
import { rememberUser } from '../interactions/remember-user.ts';
import type { ButtonAction } from './custom-id.ts';

export interface ButtonHandler {
  readonly spanName: string;
  /** `place`: the click's place in the game's roster queue, reserved when the click arrived. */
  handle(
    interaction: ButtonInteraction,
    gameId: string,
    place: QueuePlace,
    deps: InteractionDeps,
  ): Promise<void>;
}

async function join(
  interaction: ButtonInteraction,
  gameId: string,
  place: QueuePlace,
  deps: InteractionDeps,
) {
  await rememberUser(deps.prisma, interaction.user);
  const joined = await place.run(() => deps.games(interaction).join(interaction.user.id, gameId));
  const { game } = joined;
  if (joined.list === 'confirmed') {
    const cap = game.maxPlayers === null ? '' : `/${String(game.maxPlayers)}`;
    await interaction.editReply(
      `You're in **${game.title}** (${String(joined.confirmedCount)}${cap} players).`,
    );
    return;
  }
  await interaction.editReply(
    `**${game.title}** is full: you're number ${String(joined.place)} on the waitlist. You'll get a DM if a spot opens.`,
  );
}

async function leave(
  interaction: ButtonInteraction,
  gameId: string,
  place: QueuePlace,
  deps: InteractionDeps,
) {
  const game = await place.run(() => deps.games(interaction).leave(interaction.user.id, gameId));
  await interaction.editReply(`You left **${game.title}**.`);
}

export const BUTTON_HANDLERS: Readonly<Record<ButtonAction, ButtonHandler>> = {
  join: { spanName: SpanNames.discordButtonJoin, handle: join },
  leave: { spanName: SpanNames.discordButtonLeave, handle: leave },
};
