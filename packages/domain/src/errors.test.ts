import { describe, expect, it } from 'vitest';
import {
  DomainError,
  ERROR_CODES,
  ErrorCode,
  isDomainError,
  isErrorCode,
  toDomainError,
} from './errors.ts';

describe('DomainError', () => {
  it('carries a code, a message and details', () => {
    const error = new DomainError('GAME_FULL', 'This game is full.', { details: { cap: 10 } });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('GAME_FULL');
    expect(error.message).toBe('This game is full.');
    expect(error.details).toEqual({ cap: 10 });
  });

  it('keeps the cause it wraps', () => {
    const cause = new Error('socket closed');
    const error = new DomainError('DEPENDENCY_UNAVAILABLE', 'Discord is down.', { cause });
    expect(error.cause).toBe(cause);
  });

  it('has no cause or details unless given', () => {
    const error = new DomainError('NOT_FOUND', 'No such game.');
    expect(error.cause).toBeUndefined();
    expect(error.details).toBeUndefined();
  });

  it('serialises to code, message and details without the stack', () => {
    const error = new DomainError('VALIDATION', 'Bad cap.', { details: { cap: -1 } });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'DomainError',
      code: 'VALIDATION',
      message: 'Bad cap.',
      details: { cap: -1 },
    });
    expect(new DomainError('INTERNAL', 'Oops.').toJSON()).toEqual({
      name: 'DomainError',
      code: 'INTERNAL',
      message: 'Oops.',
    });
  });

  it('declares every code the project maps at its edges', () => {
    expect(ERROR_CODES).toEqual(
      expect.arrayContaining([
        'GAME_FULL',
        'NOT_FOUND',
        'FORBIDDEN',
        'INVALID_TRANSITION',
        'VALIDATION',
        'ALREADY_JOINED',
        'NOT_JOINED',
        'CONFLICT',
        'DEPENDENCY_UNAVAILABLE',
        'INTERNAL',
      ]),
    );
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('offers each code as a named constant equal to itself', () => {
    for (const code of ERROR_CODES) expect(ErrorCode[code]).toBe(code);
    expect(Object.isFrozen(ErrorCode)).toBe(true);
  });
});

describe('isErrorCode', () => {
  it('accepts declared codes and rejects anything else', () => {
    expect(isErrorCode('CONFLICT')).toBe(true);
    expect(isErrorCode('conflict')).toBe(false);
    expect(isErrorCode(409)).toBe(false);
  });
});

describe('isDomainError', () => {
  it('recognises a DomainError, optionally by code', () => {
    const error = new DomainError('FORBIDDEN', 'Hosts only.');
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(error, 'FORBIDDEN')).toBe(true);
    expect(isDomainError(error, 'NOT_FOUND')).toBe(false);
    expect(isDomainError(new Error('plain'))).toBe(false);
  });
});

describe('toDomainError', () => {
  it('passes a DomainError through unchanged', () => {
    const error = new DomainError('CONFLICT', 'Edited elsewhere.');
    expect(toDomainError(error)).toBe(error);
  });

  it('wraps other errors as INTERNAL, keeping the message and the cause', () => {
    const cause = new TypeError('x is undefined');
    const error = toDomainError(cause);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('x is undefined');
    expect(error.cause).toBe(cause);
  });

  it('wraps thrown non-errors with the chosen code', () => {
    const error = toDomainError('connection refused', 'DEPENDENCY_UNAVAILABLE');
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.message).toBe('connection refused');
  });
});
