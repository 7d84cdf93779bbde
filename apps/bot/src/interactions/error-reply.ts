// An error mapped to what the user sees (an ephemeral reply) and to the interaction's outcome: a
// refusal by the game rules is `rejected` and says why; anything else is `error` with a generic text
// (nothing internal leaks into Discord).
import { isDomainError, type ErrorCode } from '@game-scheduler/domain';

export type InteractionOutcome = 'success' | 'rejected' | 'error';

/** Codes whose message is written for the user. */
const USER_FACING: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'VALIDATION',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GAME_FULL',
  'GAME_NOT_JOINABLE',
  'ALREADY_JOINED',
  'NOT_JOINED',
  'INVALID_TRANSITION',
]);

export const GENERIC_FAILURE = 'Something went wrong on our side. Please try again in a moment.';

export function errorReply(error: unknown): { outcome: InteractionOutcome; text: string } {
  if (isDomainError(error) && USER_FACING.has(error.code)) {
    return { outcome: 'rejected', text: error.message };
  }
  if (isDomainError(error, 'RATE_LIMITED')) {
    return { outcome: 'rejected', text: 'Too many requests right now. Please try again shortly.' };
  }
  return { outcome: 'error', text: GENERIC_FAILURE };
}
