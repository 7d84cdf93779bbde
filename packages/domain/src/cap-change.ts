import {
  computeRoster,
  diffRosters,
  participantsOf,
  type Participant,
  type Roster,
} from './roster.ts';

export interface CapChange<P extends Participant = Participant> {
  readonly roster: Roster<P>;
  /** Moved from the waitlist into a spot, in order (the cap was raised). */
  readonly promoted: readonly P[];
  /**
   * Moved from a spot to the head of the waitlist, in order (the cap was lowered). They keep their
   * join order, so they are the first to be promoted again.
   */
  readonly demoted: readonly P[];
}

/** What editing the player cap does to the roster. Throws `VALIDATION` for a bad cap. */
export function changeCap<P extends Participant>(
  roster: Roster<P>,
  cap: number | null,
): CapChange<P> {
  const after = computeRoster(cap, participantsOf(roster));
  return { roster: after, ...diffRosters(roster, after) };
}
