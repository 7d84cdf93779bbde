import { describe, expect, it } from 'vitest';
import {
  daysInMonth,
  formatLocalDateTime,
  localDateTimeProblem,
  wallClockMs,
} from './local-date-time.ts';

const at = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe('local date and time fields', () => {
  it('knows the length of each month, leap years included', () => {
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it('finds nothing wrong with a real calendar time', () => {
    expect(localDateTimeProblem(at(2026, 3, 29, 2, 30))).toBeNull();
  });

  it.each([
    [at(2026, 2, 29), 'the day must be from 1 to 28 in that month'],
    [at(2026, 0, 1), 'the month must be from 1 to 12'],
    [at(2026, 1, 1, 24), 'the hour must be from 0 to 23'],
    [at(2026, 1, 1, 0, 60), 'the minutes must be from 0 to 59'],
    [at(2026, 1, 1, 0, 0, 60), 'the seconds must be from 0 to 59'],
    [at(999, 1, 1), 'the year must be from 1000 to 9999'],
    [at(2026, 1, 1.5), 'every date and time field must be a whole number'],
  ])('explains what is wrong with %o', (local, problem) => {
    expect(localDateTimeProblem(local)).toBe(problem);
  });

  it('reads the fields as a UTC wall-clock number', () => {
    expect(wallClockMs(at(2026, 3, 29, 2, 30, 15))).toBe(Date.UTC(2026, 2, 29, 2, 30, 15));
    expect(new Date(wallClockMs(at(1000, 1, 1))).toISOString()).toBe('1000-01-01T00:00:00.000Z');
  });

  it('formats as YYYY-MM-DD HH:mm, adding seconds only when set', () => {
    expect(formatLocalDateTime(at(2026, 3, 9, 7, 5))).toBe('2026-03-09 07:05');
    expect(formatLocalDateTime(at(2026, 3, 9, 7, 5, 9))).toBe('2026-03-09 07:05:09');
  });
});
