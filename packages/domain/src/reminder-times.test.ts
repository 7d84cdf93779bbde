import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.ts';
import { MAX_REMINDER_MINUTES, normalizeReminderMinutes, reminderTimes } from './reminder-times.ts';

const start = new Date('2026-06-01T18:00:00Z');
const longBefore = new Date('2026-05-01T00:00:00Z');

describe('reminderTimes', () => {
  it('puts each reminder the given minutes before the start, earliest first', () => {
    expect(reminderTimes(start, [15, 60, 1440], longBefore)).toEqual([
      { minutesBefore: 1440, at: new Date('2026-05-31T18:00:00Z') },
      { minutesBefore: 60, at: new Date('2026-06-01T17:00:00Z') },
      { minutesBefore: 15, at: new Date('2026-06-01T17:45:00Z') },
    ]);
  });

  it('sends a repeated reminder time only once', () => {
    expect(reminderTimes(start, [60, 15, 60, 15], longBefore).map((r) => r.minutesBefore)).toEqual([
      60, 15,
    ]);
  });

  it('skips reminders whose time has already passed', () => {
    const now = new Date('2026-06-01T17:30:00Z');
    expect(reminderTimes(start, [1440, 60, 15], now).map((r) => r.minutesBefore)).toEqual([15]);
  });

  it('keeps a reminder that is due exactly now', () => {
    const now = new Date('2026-06-01T17:00:00Z');
    expect(reminderTimes(start, [60], now)).toEqual([{ minutesBefore: 60, at: now }]);
  });

  it('allows a reminder at the start itself', () => {
    expect(reminderTimes(start, [0], longBefore)).toEqual([{ minutesBefore: 0, at: start }]);
  });

  it('returns nothing for a game with no reminders', () => {
    expect(reminderTimes(start, [], longBefore)).toEqual([]);
  });

  it('returns nothing once the game has started', () => {
    expect(reminderTimes(start, [0, 5], new Date('2026-06-01T18:00:01Z'))).toEqual([]);
  });

  it('accepts exactly four weeks ahead', () => {
    expect(reminderTimes(start, [MAX_REMINDER_MINUTES], longBefore)).toHaveLength(1);
    expect(MAX_REMINDER_MINUTES).toBe(40_320);
  });

  it.each([
    ['a negative value', -5],
    ['a fraction of a minute', 7.5],
    ['more than four weeks', MAX_REMINDER_MINUTES + 1],
    ['not a number', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
  ])('rejects %s with a clear validation error', (_label, minutes) => {
    try {
      reminderTimes(start, [60, minutes], longBefore);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, 'VALIDATION')).toBe(true);
      if (!isDomainError(error)) return;
      expect(error.message).toMatch(/whole minutes from 0 to 40320/);
      expect(error.details).toEqual({ invalid: [minutes], max: MAX_REMINDER_MINUTES });
    }
  });

  it('lists every invalid value in one error', () => {
    expect(() => normalizeReminderMinutes([-1, 30, 99_999])).toThrow(/invalid: -1, 99999\./);
  });

  it('rejects an invalid start date', () => {
    expect(() => reminderTimes(new Date('garbage'), [10], longBefore)).toThrow(/valid dates/);
  });
});

describe('normalizeReminderMinutes', () => {
  it('deduplicates and orders the furthest reminder first', () => {
    expect(normalizeReminderMinutes([15, 1440, 60, 15])).toEqual([1440, 60, 15]);
  });

  it('does not change the caller’s array', () => {
    const input = [5, 60];
    normalizeReminderMinutes(input);
    expect(input).toEqual([5, 60]);
  });
});
