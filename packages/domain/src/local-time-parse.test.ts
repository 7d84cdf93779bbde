import { describe, expect, it } from 'vitest';
import {
  combineDateAndTime,
  parseLocalDate,
  parseLocalDateTime,
  parseLocalTime,
} from './local-time-parse.ts';

describe('parseLocalDate', () => {
  it('reads an ISO date', () => {
    expect(parseLocalDate('2026-03-29')).toEqual({
      ok: true,
      value: { year: 2026, month: 3, day: 29 },
    });
  });

  it('accepts one-digit months and days and surrounding spaces', () => {
    expect(parseLocalDate(' 2026-3-9 ')).toEqual({
      ok: true,
      value: { year: 2026, month: 3, day: 9 },
    });
  });

  it('accepts the 29th of February only in a leap year', () => {
    expect(parseLocalDate('2028-02-29').ok).toBe(true);
    expect(parseLocalDate('2026-02-29')).toEqual({
      ok: false,
      reason: 'malformed-input',
      message: '"2026-02-29" is not a valid date: the day must be from 1 to 28 in that month.',
    });
  });

  it.each(['2026-13-01', '2026-04-31', '2026-00-10', '29.03.2026', '2026/03/29', '', 'tomorrow'])(
    'rejects %j',
    (text) => {
      expect(parseLocalDate(text)).toMatchObject({ ok: false, reason: 'malformed-input' });
    },
  );
});

describe('parseLocalTime', () => {
  it.each([
    ['19:30', 19, 30, 0],
    ['7:05', 7, 5, 0],
    ['00:00', 0, 0, 0],
    ['23:59:59', 23, 59, 59],
    ['7:30pm', 19, 30, 0],
    ['7:30 PM', 19, 30, 0],
    ['7pm', 19, 0, 0],
    ['7 a.m.', 7, 0, 0],
    ['12am', 0, 0, 0],
    ['12:15am', 0, 15, 0],
    ['12pm', 12, 0, 0],
    ['11:59pm', 23, 59, 0],
  ])('reads %j as %i:%i:%i', (text, hour, minute, second) => {
    expect(parseLocalTime(text)).toEqual({ ok: true, value: { hour, minute, second } });
  });

  it.each(['24:00', '19:60', '7:5', '13pm', '0am', '7:30xm', 'noon', '', '19h30'])(
    'rejects %j',
    (text) => {
      expect(parseLocalTime(text)).toMatchObject({ ok: false, reason: 'malformed-input' });
    },
  );

  it('explains what a time should look like', () => {
    const result = parseLocalTime('half past seven');
    expect(!result.ok && result.message).toBe(
      '"half past seven" is not a time like 19:30 or 7:30pm.',
    );
  });
});

describe('parseLocalDateTime', () => {
  const expected = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 };

  it('reads a date and time separated by a space', () => {
    expect(parseLocalDateTime('2026-03-29 02:30')).toEqual({ ok: true, value: expected });
  });

  it('reads a date and time separated by T', () => {
    expect(parseLocalDateTime('2026-03-29T02:30')).toEqual({ ok: true, value: expected });
  });

  it('reads a 12-hour time after the date', () => {
    expect(parseLocalDateTime('2026-03-29 7:30pm')).toMatchObject({
      ok: true,
      value: { hour: 19, minute: 30 },
    });
  });

  it('rejects an instant with a UTC offset, which is not a local time', () => {
    expect(parseLocalDateTime('2026-03-29T02:30Z').ok).toBe(false);
    expect(parseLocalDateTime('2026-03-29T02:30+02:00').ok).toBe(false);
  });

  it.each(['2026-03-29', '02:30', '2026-03-29 25:00', '2026-02-30 10:00', 'next friday'])(
    'rejects %j',
    (text) => {
      expect(parseLocalDateTime(text)).toMatchObject({ ok: false, reason: 'malformed-input' });
    },
  );
});

describe('combineDateAndTime', () => {
  it('joins separate date and time strings', () => {
    expect(combineDateAndTime('2026-11-01', '1:30am')).toEqual({
      ok: true,
      value: { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 },
    });
  });

  it('reports the date problem before the time problem', () => {
    const result = combineDateAndTime('2026-02-31', 'later');
    expect(!result.ok && result.message).toMatch(/"2026-02-31" is not a valid date/);
  });

  it('reports a bad time', () => {
    const result = combineDateAndTime('2026-02-01', 'later');
    expect(!result.ok && result.message).toMatch(/"later" is not a time/);
  });
});
