import { DomainError } from './errors.ts';
import {
  computeRoster,
  diffRosters,
  findUser,
  isFull,
  nextPosition,
  participantsOf,
  type Participant,
  type Placement,
  type Roster,
  type UserParticipant,
} from './roster.ts';
import { isJoinable, type GameStatus } from './status-machine.ts';

export interface JoinOptions {
  /** When false, a full game refuses the join (`full`) instead of waitlisting. Default true. */
  readonly waitlist?: boolean;
}

export type JoinOutcome<P extends Participant = Participant> =
  | {
      readonly kind: 'confirmed';
      /** The row to insert (position = one past the highest). */
      readonly participant: UserParticipant;
      /** 1-based spot. */
      readonly spot: number;
      readonly roster: Roster<P | UserParticipant>;
    }
  | {
      readonly kind: 'waitlisted';
      readonly participant: UserParticipant;
      /** 1-based place in the waitlist. */
      readonly place: number;
      readonly roster: Roster<P | UserParticipant>;
    }
  | {
      readonly kind: 'already-joined';
      readonly participant: P & UserParticipant;
      readonly placement: Placement;
    }
  | { readonly kind: 'full'; readonly cap: number }
  | { readonly kind: 'not-joinable'; readonly status: GameStatus };

/** What joining would do; nothing is changed. Insert `participant` when confirmed or waitlisted. */
export function join<P extends Participant>(
  roster: Roster<P>,
  userId: string,
  status: GameStatus,
  options: JoinOptions = {},
): JoinOutcome<P> {
  if (!isJoinable(status)) return { kind: 'not-joinable', status };
  const existing = findUser(roster, userId);
  if (existing !== null) return { kind: 'already-joined', ...existing };
  if (options.waitlist === false && roster.cap !== null && isFull(roster)) {
    return { kind: 'full', cap: roster.cap };
  }
  const participant: UserParticipant = { kind: 'user', userId, position: nextPosition(roster) };
  const after = computeRoster<P | UserParticipant>(roster.cap, [
    ...participantsOf(roster),
    participant,
  ]);
  const spot = after.confirmed.indexOf(participant);
  if (spot >= 0) return { kind: 'confirmed', participant, spot: spot + 1, roster: after };
  return {
    kind: 'waitlisted',
    participant,
    place: after.waitlist.indexOf(participant) + 1,
    roster: after,
  };
}

export type RemovalOutcome<P extends Participant = Participant> =
  | {
      readonly kind: 'removed';
      /** The row to delete. */
      readonly participant: P;
      /** Where they stood before leaving. */
      readonly placement: Placement;
      /** Moved from the waitlist into the freed spot, in order (notify the users among them). */
      readonly promoted: readonly P[];
      readonly roster: Roster<P>;
    }
  | { readonly kind: 'not-in-game' }
  | { readonly kind: 'not-joinable'; readonly status: GameStatus };

/** A player leaving by themselves. Leaving from the waitlist promotes no one. */
export function leave<P extends Participant>(
  roster: Roster<P>,
  userId: string,
  status: GameStatus,
): RemovalOutcome<P> {
  return removeParticipant(roster, { userId }, status);
}

/** A participant to remove: a user by id, or any participant (placeholders too) by position. */
export type ParticipantTarget = { readonly userId: string } | { readonly position: number };

/** The host removing a player or placeholder; the same promotion rule as `leave`. */
export function removeParticipant<P extends Participant>(
  roster: Roster<P>,
  target: ParticipantTarget,
  status: GameStatus,
): RemovalOutcome<P> {
  if (!isJoinable(status)) return { kind: 'not-joinable', status };
  const found = locate(roster, target);
  if (found === null) return { kind: 'not-in-game' };
  const after = computeRoster(
    roster.cap,
    participantsOf(roster).filter((p) => p !== found.participant),
  );
  return {
    kind: 'removed',
    participant: found.participant,
    placement: found.placement,
    promoted: diffRosters(roster, after).promoted,
    roster: after,
  };
}

function locate<P extends Participant>(
  roster: Roster<P>,
  target: ParticipantTarget,
): { readonly participant: P; readonly placement: Placement } | null {
  if ('userId' in target) return findUser(roster, target.userId);
  const spot = roster.confirmed.findIndex((p) => p.position === target.position);
  const confirmed = roster.confirmed[spot];
  if (confirmed !== undefined) {
    return { participant: confirmed, placement: { list: 'confirmed', spot: spot + 1 } };
  }
  const place = roster.waitlist.findIndex((p) => p.position === target.position);
  const waiting = roster.waitlist[place];
  if (waiting !== undefined) {
    return { participant: waiting, placement: { list: 'waitlist', place: place + 1 } };
  }
  return null;
}

/**
 * The error for an outcome that changed nothing (`ALREADY_JOINED`, `GAME_FULL`,
 * `GAME_NOT_JOINABLE`, `NOT_JOINED`), or `null` for one that succeeded.
 */
export function outcomeError(outcome: JoinOutcome | RemovalOutcome): DomainError | null {
  switch (outcome.kind) {
    case 'confirmed':
    case 'waitlisted':
    case 'removed':
      return null;
    case 'already-joined':
      return new DomainError(
        'ALREADY_JOINED',
        outcome.placement.list === 'confirmed'
          ? 'You are already in this game.'
          : 'You are already on the waitlist for this game.',
        { details: { placement: outcome.placement } },
      );
    case 'full':
      return new DomainError('GAME_FULL', `This game is full (${outcome.cap} players).`, {
        details: { cap: outcome.cap },
      });
    case 'not-joinable':
      return new DomainError(
        'GAME_NOT_JOINABLE',
        `The roster cannot change while the game is ${outcome.status}.`,
        { details: { status: outcome.status } },
      );
    case 'not-in-game':
      return new DomainError('NOT_JOINED', 'Not in this game.');
  }
}
