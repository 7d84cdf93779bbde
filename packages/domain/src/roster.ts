import { DomainError } from './errors.ts';

/** A real Discord user in the game. */
export interface UserParticipant {
  readonly kind: 'user';
  readonly userId: string;
  /** Join order within the game: lower joined earlier. Unique per game. */
  readonly position: number;
  /** Tie-break when two positions are equal. */
  readonly joinedAt?: Date | undefined;
}

/** A spot the host pre-filled with a name (someone without Discord, a "+1"). */
export interface PlaceholderParticipant {
  readonly kind: 'placeholder';
  readonly displayName: string;
  readonly position: number;
  readonly joinedAt?: Date | undefined;
}

export type Participant = UserParticipant | PlaceholderParticipant;

/**
 * Who holds a spot and who waits, both in join order. Participants are the caller's own objects
 * (extra fields such as a row id are kept), so results can be mapped back to rows.
 */
export interface Roster<P extends Participant = Participant> {
  /** `null`: unlimited. */
  readonly cap: number | null;
  readonly confirmed: readonly P[];
  readonly waitlist: readonly P[];
}

/** `null` (unlimited) or a whole number >= 0; 0 puts every participant on the waitlist. */
export function validatePlayerCap(cap: number | null): void {
  if (cap === null) return;
  if (!Number.isSafeInteger(cap) || cap < 0) {
    throw new DomainError(
      'VALIDATION',
      `The player cap must be a whole number of at least 0 or unlimited, got ${String(cap)}.`,
      { details: { cap } },
    );
  }
}

/** Participants in join order: position, then joinedAt, then their order in the input. */
export function sortByJoinOrder<P extends Participant>(participants: readonly P[]): P[] {
  return participants
    .map((participant, index) => ({ participant, index }))
    .sort(
      (a, b) =>
        a.participant.position - b.participant.position ||
        (a.participant.joinedAt?.getTime() ?? 0) - (b.participant.joinedAt?.getTime() ?? 0) ||
        a.index - b.index,
    )
    .map(({ participant }) => participant);
}

/**
 * Splits participants into confirmed (the first `cap` in join order) and waitlist (the rest, in
 * order). Placeholders take spots exactly like players and keep their place in the order.
 */
export function computeRoster<P extends Participant>(
  cap: number | null,
  participants: readonly P[],
): Roster<P> {
  validatePlayerCap(cap);
  for (const participant of participants) {
    if (!Number.isFinite(participant.position)) {
      throw new DomainError('VALIDATION', 'Every participant needs a finite position.', {
        details: { participant },
      });
    }
  }
  const ordered = sortByJoinOrder(participants);
  const spots = cap ?? ordered.length;
  return { cap, confirmed: ordered.slice(0, spots), waitlist: ordered.slice(spots) };
}

/** Everyone in join order: confirmed first, then the waitlist. */
export function participantsOf<P extends Participant>(roster: Roster<P>): readonly P[] {
  return [...roster.confirmed, ...roster.waitlist];
}

/** Free spots left; `null` when the game is unlimited. */
export function openSpots(roster: Roster): number | null {
  return roster.cap === null ? null : Math.max(0, roster.cap - roster.confirmed.length);
}

export function isFull(roster: Roster): boolean {
  return roster.cap !== null && roster.confirmed.length >= roster.cap;
}

export type Placement =
  | { readonly list: 'confirmed'; /** 1-based spot. */ readonly spot: number }
  | { readonly list: 'waitlist'; /** 1-based place in the queue. */ readonly place: number };

/** Where a user stands, or `null` when they are not in the game. */
export function findUser<P extends Participant>(
  roster: Roster<P>,
  userId: string,
): { readonly participant: P & UserParticipant; readonly placement: Placement } | null {
  const isUser = (p: P): p is P & UserParticipant => p.kind === 'user' && p.userId === userId;
  const spot = roster.confirmed.findIndex(isUser);
  const confirmed = roster.confirmed[spot];
  if (confirmed !== undefined && isUser(confirmed)) {
    return { participant: confirmed, placement: { list: 'confirmed', spot: spot + 1 } };
  }
  const place = roster.waitlist.findIndex(isUser);
  const waiting = roster.waitlist[place];
  if (waiting !== undefined && isUser(waiting)) {
    return { participant: waiting, placement: { list: 'waitlist', place: place + 1 } };
  }
  return null;
}

/** The position to give a newly joining participant: one past the highest, 1 for an empty game. */
export function nextPosition(roster: Roster): number {
  let highest = 0;
  for (const participant of participantsOf(roster))
    highest = Math.max(highest, participant.position);
  return Math.floor(highest) + 1;
}

export interface RosterChange<P extends Participant> {
  /** Moved from the waitlist into a spot (notify the users among them). */
  readonly promoted: readonly P[];
  /** Moved from a spot onto the waitlist (e.g. the cap was lowered). */
  readonly demoted: readonly P[];
}

/** Who changed lists between two rosters built from the same participant objects. */
export function diffRosters<P extends Participant>(
  before: Roster<P>,
  after: Roster<P>,
): RosterChange<P> {
  const wasWaiting = new Set(before.waitlist);
  const wasConfirmed = new Set(before.confirmed);
  return {
    promoted: after.confirmed.filter((p) => wasWaiting.has(p)),
    demoted: after.waitlist.filter((p) => wasConfirmed.has(p)),
  };
}

/** The user ids among participants (placeholders have no one to notify). */
export function userIdsOf(participants: readonly Participant[]): string[] {
  return participants.flatMap((p) => (p.kind === 'user' ? [p.userId] : []));
}
