// Participant rows ↔ domain participants, and the views and event fields built from a roster.
import type { Participant as ParticipantRow } from '@game-scheduler/db';
import {
  computeRoster,
  userIdsOf,
  type PlaceholderParticipant,
  type Roster,
  type UserParticipant,
} from '@game-scheduler/domain';

/** A domain participant that remembers its row. */
export type RowParticipant = (UserParticipant | PlaceholderParticipant) & {
  readonly row: ParticipantRow;
};

export function toParticipant(row: ParticipantRow): RowParticipant {
  if (row.userId !== null) {
    return {
      kind: 'user',
      userId: row.userId,
      position: row.joinSequence,
      joinedAt: row.joinedAt,
      row,
    };
  }
  return {
    kind: 'placeholder',
    displayName: row.displayName ?? '',
    position: row.joinSequence,
    joinedAt: row.joinedAt,
    row,
  };
}

export function rosterOf(
  cap: number | null,
  rows: readonly ParticipantRow[],
): Roster<RowParticipant> {
  return computeRoster(cap, rows.map(toParticipant));
}

export interface ParticipantView {
  readonly userId: string | null;
  readonly displayName: string | null;
  readonly joinedAt: string;
}

function view(participant: RowParticipant): ParticipantView {
  return {
    userId: participant.row.userId,
    displayName: participant.row.displayName,
    joinedAt: participant.row.joinedAt.toISOString(),
  };
}

export function rosterView(roster: Roster<RowParticipant>): {
  confirmed: ParticipantView[];
  waitlist: ParticipantView[];
} {
  return { confirmed: roster.confirmed.map(view), waitlist: roster.waitlist.map(view) };
}

/** The roster fields every game event carries. */
export function rosterEventFields(roster: Roster): {
  participantUserIds: string[];
  waitlistUserIds: string[];
} {
  return {
    participantUserIds: userIdsOf(roster.confirmed),
    waitlistUserIds: userIdsOf(roster.waitlist),
  };
}
