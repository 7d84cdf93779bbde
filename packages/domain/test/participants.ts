// Participants for the roster unit tests.
import type { PlaceholderParticipant, UserParticipant } from '../src/roster.ts';

export type Row = (UserParticipant | PlaceholderParticipant) & { readonly id: string };

export function user(userId: string, position: number): Row {
  return { id: `row-${userId}`, kind: 'user', userId, position };
}

export function placeholder(displayName: string, position: number): Row {
  return { id: `row-${displayName}`, kind: 'placeholder', displayName, position };
}

/** `n` users u1…un at positions 1…n. */
export function users(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => user(`u${i + 1}`, i + 1));
}

/** Short labels for asserting order: user ids, or `~name` for placeholders. */
export function labels(
  participants: readonly (UserParticipant | PlaceholderParticipant)[],
): string[] {
  return participants.map((p) => (p.kind === 'user' ? p.userId : `~${p.displayName}`));
}
