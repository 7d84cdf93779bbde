import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.ts';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  endsAt,
  GAME_STATUSES,
  GameStatus,
  isEditable,
  isGameStatus,
  isJoinable,
  isTerminal,
  nextTransition,
  remainingTransitions,
  transition,
  type TimedGame,
} from './status-machine.ts';

const VALID: readonly (readonly [GameStatus, GameStatus])[] = [
  ['SCHEDULED', 'IN_PROGRESS'],
  ['SCHEDULED', 'CANCELLED'],
  ['IN_PROGRESS', 'COMPLETED'],
  ['IN_PROGRESS', 'CANCELLED'],
];

describe('transition', () => {
  it.each(VALID)('moves a game from %s to %s', (from, to) => {
    expect(transition(from, to)).toEqual({ ok: true, status: to });
    expect(canTransition(from, to)).toBe(true);
    expect(assertTransition(from, to)).toBe(to);
  });

  const invalid = GAME_STATUSES.flatMap((from) =>
    GAME_STATUSES.filter((to) => !VALID.some(([f, t]) => f === from && t === to)).map(
      (to) => [from, to] as const,
    ),
  );

  it.each(invalid)('refuses to move a game from %s to %s', (from, to) => {
    const result = transition(from, to);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_TRANSITION');
    expect(result.error.details).toEqual({ from, to, allowed: allowedTransitions(from) });
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(result.error.message);
  });

  it('lists the twelve invalid pairs besides the four valid ones', () => {
    expect(invalid).toHaveLength(12);
  });

  it('refuses to skip straight from SCHEDULED to COMPLETED', () => {
    const result = transition('SCHEDULED', 'COMPLETED');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toMatch(/SCHEDULED may only move to IN_PROGRESS or CANCELLED/);
  });

  it('says a final status is final', () => {
    const result = transition('CANCELLED', 'SCHEDULED');
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error.message).toMatch(/CANCELLED is final/);
  });

  it('throws a DomainError from assertTransition', () => {
    try {
      assertTransition('COMPLETED', 'IN_PROGRESS');
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, 'INVALID_TRANSITION')).toBe(true);
    }
  });
});

describe('status helpers', () => {
  it('lets players join only a scheduled game', () => {
    expect(GAME_STATUSES.filter(isJoinable)).toEqual(['SCHEDULED']);
  });

  it('treats only COMPLETED and CANCELLED as final', () => {
    expect(GAME_STATUSES.filter(isTerminal)).toEqual(['COMPLETED', 'CANCELLED']);
  });

  it('lets the host edit a game until it is final', () => {
    expect(GAME_STATUSES.filter(isEditable)).toEqual(['SCHEDULED', 'IN_PROGRESS']);
  });

  it('recognises status strings', () => {
    expect(isGameStatus('IN_PROGRESS')).toBe(true);
    expect(isGameStatus('in_progress')).toBe(false);
    expect(isGameStatus(undefined)).toBe(false);
  });

  it('names each status as a constant equal to itself', () => {
    for (const status of GAME_STATUSES) expect(GameStatus[status]).toBe(status);
  });
});

describe('nextTransition', () => {
  const start = new Date('2026-06-01T18:00:00Z');
  const game = (status: GameStatus): TimedGame => ({
    status,
    startsAt: start,
    durationMinutes: 90,
  });
  const at = (iso: string): Date => new Date(iso);

  it('waits for the start to move a scheduled game in progress', () => {
    expect(nextTransition(game('SCHEDULED'), at('2026-06-01T17:59:59Z'))).toEqual({
      from: 'SCHEDULED',
      to: 'IN_PROGRESS',
      at: start,
      due: false,
    });
  });

  it('is due exactly at the start', () => {
    expect(nextTransition(game('SCHEDULED'), start)?.due).toBe(true);
  });

  it('completes an in-progress game after its duration', () => {
    expect(nextTransition(game('IN_PROGRESS'), at('2026-06-01T19:29:00Z'))).toEqual({
      from: 'IN_PROGRESS',
      to: 'COMPLETED',
      at: at('2026-06-01T19:30:00Z'),
      due: false,
    });
    expect(nextTransition(game('IN_PROGRESS'), at('2026-06-01T19:30:00Z'))?.due).toBe(true);
  });

  it('still starts a scheduled game first when its end has already passed', () => {
    expect(nextTransition(game('SCHEDULED'), at('2026-06-02T00:00:00Z'))).toMatchObject({
      to: 'IN_PROGRESS',
      due: true,
    });
  });

  it('has nothing due for a completed or cancelled game', () => {
    expect(nextTransition(game('COMPLETED'), start)).toBeNull();
    expect(nextTransition(game('CANCELLED'), start)).toBeNull();
  });

  it('rejects a duration that is not a positive whole number of minutes', () => {
    for (const durationMinutes of [0, -5, 1.5, Number.NaN]) {
      expect(() =>
        nextTransition({ status: 'SCHEDULED', startsAt: start, durationMinutes }, start),
      ).toThrow(/positive whole number of minutes/);
    }
  });

  it('rejects an invalid start date', () => {
    expect(() => endsAt({ startsAt: new Date('nope'), durationMinutes: 60 })).toThrow(/valid date/);
  });

  it('does not hand out the caller’s own Date object', () => {
    const result = nextTransition(game('SCHEDULED'), start);
    expect(result?.at).not.toBe(start);
  });
});

describe('remainingTransitions', () => {
  const start = new Date('2026-06-01T18:00:00Z');
  const now = new Date('2026-06-01T18:30:00Z');

  it('lists both the start and the end for a scheduled game', () => {
    expect(
      remainingTransitions({ status: 'SCHEDULED', startsAt: start, durationMinutes: 60 }, now),
    ).toEqual([
      { from: 'SCHEDULED', to: 'IN_PROGRESS', at: start, due: true },
      { from: 'IN_PROGRESS', to: 'COMPLETED', at: new Date('2026-06-01T19:00:00Z'), due: false },
    ]);
  });

  it('lists only the end for a game in progress', () => {
    expect(
      remainingTransitions({ status: 'IN_PROGRESS', startsAt: start, durationMinutes: 60 }, now),
    ).toHaveLength(1);
  });

  it('lists nothing for a final game', () => {
    expect(
      remainingTransitions({ status: 'CANCELLED', startsAt: start, durationMinutes: 60 }, now),
    ).toEqual([]);
  });
});
