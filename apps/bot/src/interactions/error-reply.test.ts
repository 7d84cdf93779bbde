import { DomainError } from '@game-scheduler/domain';
import { describe, expect, it } from 'vitest';
import { GENERIC_FAILURE, errorReply } from './error-reply.ts';

describe('errorReply', () => {
  it('tells the user why the game rules refused', () => {
    expect(
      errorReply(new DomainError('FORBIDDEN', 'Only the host or a bot manager can do this')),
    ).toEqual({
      outcome: 'rejected',
      text: 'Only the host or a bot manager can do this',
    });
  });

  it('hides an unexpected error behind a generic text', () => {
    expect(errorReply(new Error('connect ECONNREFUSED 10.0.0.5:5432'))).toEqual({
      outcome: 'error',
      text: GENERIC_FAILURE,
    });
    expect(errorReply(new DomainError('INTERNAL', 'stack details'))).toEqual({
      outcome: 'error',
      text: GENERIC_FAILURE,
    });
  });
});
