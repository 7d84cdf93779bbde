import { DomainError } from './errors.ts';

export const GAME_STATUSES = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;

export type GameStatus = (typeof GAME_STATUSES)[number];

/** Named constants for the statuses, so callers can write `GameStatus.SCHEDULED`. */
export const GameStatus = Object.freeze({
  SCHEDULED: 'SCHEDULED',
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'CANCELLED',
} as const satisfies { [S in GameStatus]: S });

const ALLOWED: { readonly [S in GameStatus]: readonly GameStatus[] } = {
  SCHEDULED: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export function isGameStatus(value: unknown): value is GameStatus {
  return typeof value === 'string' && (GAME_STATUSES as readonly string[]).includes(value);
}

/** The statuses a game in `from` may move to. */
export function allowedTransitions(from: GameStatus): readonly GameStatus[] {
  return ALLOWED[from];
}

export function canTransition(from: GameStatus, to: GameStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** COMPLETED and CANCELLED are final: nothing leaves them. */
export function isTerminal(status: GameStatus): boolean {
  return ALLOWED[status].length === 0;
}

/** Players may join, leave or be removed only while the game is SCHEDULED. */
export function isJoinable(status: GameStatus): boolean {
  return status === 'SCHEDULED';
}

/** A host may still edit or cancel the game. */
export function isEditable(status: GameStatus): boolean {
  return status === 'SCHEDULED' || status === 'IN_PROGRESS';
}

export type TransitionResult =
  | { readonly ok: true; readonly status: GameStatus }
  | { readonly ok: false; readonly error: DomainError };

/** The new status, or an `INVALID_TRANSITION` error (details: from, to, allowed). */
export function transition(from: GameStatus, to: GameStatus): TransitionResult {
  if (canTransition(from, to)) return { ok: true, status: to };
  const allowed = ALLOWED[from];
  const hint =
    allowed.length === 0 ? `${from} is final` : `${from} may only move to ${allowed.join(' or ')}`;
  return {
    ok: false,
    error: new DomainError(
      'INVALID_TRANSITION',
      `A game cannot move from ${from} to ${to}: ${hint}.`,
      {
        details: { from, to, allowed },
      },
    ),
  };
}

/** Like `transition`, but throws the `INVALID_TRANSITION` error. */
export function assertTransition(from: GameStatus, to: GameStatus): GameStatus {
  const result = transition(from, to);
  if (!result.ok) throw result.error;
  return result.status;
}

export interface TimedGame {
  readonly status: GameStatus;
  readonly startsAt: Date;
  /** Positive whole minutes. */
  readonly durationMinutes: number;
}

export interface DueTransition {
  readonly from: GameStatus;
  readonly to: 'IN_PROGRESS' | 'COMPLETED';
  /** When the transition is due. */
  readonly at: Date;
  /** `at <= now`: apply it now. */
  readonly due: boolean;
}

const MINUTE_MS = 60_000;

/** The game's end: start plus duration. Throws `VALIDATION` for a bad start or duration. */
export function endsAt(game: Pick<TimedGame, 'startsAt' | 'durationMinutes'>): Date {
  if (Number.isNaN(game.startsAt.getTime())) {
    throw new DomainError('VALIDATION', 'The game start is not a valid date.');
  }
  if (!Number.isInteger(game.durationMinutes) || game.durationMinutes <= 0) {
    throw new DomainError(
      'VALIDATION',
      `The game duration must be a positive whole number of minutes, got ${String(game.durationMinutes)}.`,
      { details: { durationMinutes: game.durationMinutes } },
    );
  }
  return new Date(game.startsAt.getTime() + game.durationMinutes * MINUTE_MS);
}

/**
 * The timed transition the game waits for next, or `null` when none (COMPLETED, CANCELLED).
 * SCHEDULED → IN_PROGRESS at the start; IN_PROGRESS → COMPLETED at start + duration. A SCHEDULED
 * game whose end has already passed still goes through IN_PROGRESS first (one step per call).
 */
export function nextTransition(game: TimedGame, now: Date): DueTransition | null {
  const end = endsAt(game);
  switch (game.status) {
    case 'SCHEDULED':
      return transitionAt('SCHEDULED', 'IN_PROGRESS', game.startsAt, now);
    case 'IN_PROGRESS':
      return transitionAt('IN_PROGRESS', 'COMPLETED', end, now);
    case 'COMPLETED':
    case 'CANCELLED':
      return null;
  }
}

/** Every timed transition still ahead of the game's status, in order (for building schedules). */
export function remainingTransitions(game: TimedGame, now: Date): readonly DueTransition[] {
  const end = endsAt(game);
  switch (game.status) {
    case 'SCHEDULED':
      return [
        transitionAt('SCHEDULED', 'IN_PROGRESS', game.startsAt, now),
        transitionAt('IN_PROGRESS', 'COMPLETED', end, now),
      ];
    case 'IN_PROGRESS':
      return [transitionAt('IN_PROGRESS', 'COMPLETED', end, now)];
    case 'COMPLETED':
    case 'CANCELLED':
      return [];
  }
}

function transitionAt(
  from: GameStatus,
  to: 'IN_PROGRESS' | 'COMPLETED',
  at: Date,
  now: Date,
): DueTransition {
  return { from, to, at: new Date(at.getTime()), due: at.getTime() <= now.getTime() };
}
