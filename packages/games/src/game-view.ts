// The API's representation of a game (with its roster, or with counts in lists).
import type { Game, Participant as ParticipantRow } from '@game-scheduler/db';
import type { Roster } from '@game-scheduler/domain';
import { rosterOf, rosterView, type ParticipantView, type RowParticipant } from './roster-rows.ts';

export interface GameFieldsView {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly hostId: string;
  readonly messageId: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly where: string | null;
  readonly startsAt: string;
  readonly durationMinutes: number;
  readonly maxPlayers: number | null;
  readonly reminderMinutes: readonly number[];
  readonly status: Game['status'];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface GameView extends GameFieldsView {
  readonly roster: { confirmed: ParticipantView[]; waitlist: ParticipantView[] };
}

export interface GameSummaryView extends GameFieldsView {
  readonly confirmedCount: number;
  readonly waitlistCount: number;
}

function fields(game: Game): GameFieldsView {
  return {
    id: game.id,
    guildId: game.guildId,
    channelId: game.channelId,
    hostId: game.hostId,
    messageId: game.messageId,
    title: game.title,
    description: game.description,
    where: game.where,
    startsAt: game.startsAt.toISOString(),
    durationMinutes: game.durationMinutes,
    maxPlayers: game.maxPlayers,
    reminderMinutes: game.reminderMinutes,
    status: game.status,
    createdAt: game.createdAt.toISOString(),
    updatedAt: game.updatedAt.toISOString(),
  };
}

/**
 * The roster's view is built when first read (and kept): a Join/Leave answered in Discord names only
 * the game and a count, and a view of every participant was a real part of a click's CPU on a game
 * with a long waitlist. `roster` may be given as a function, called only then.
 */
export function gameView(
  game: Game,
  roster: Roster<RowParticipant> | (() => Roster<RowParticipant>),
): GameView {
  let view: GameView['roster'] | undefined;
  return {
    ...fields(game),
    get roster() {
      view ??= rosterView(typeof roster === 'function' ? roster() : roster);
      return view;
    },
  };
}

export function gameViewFromRows(game: Game, rows: readonly ParticipantRow[]): GameView {
  return gameView(game, rosterOf(game.maxPlayers, rows));
}

export function gameSummaryView(game: Game, participantCount: number): GameSummaryView {
  const confirmed =
    game.maxPlayers === null ? participantCount : Math.min(participantCount, game.maxPlayers);
  return {
    ...fields(game),
    confirmedCount: confirmed,
    waitlistCount: participantCount - confirmed,
  };
}
