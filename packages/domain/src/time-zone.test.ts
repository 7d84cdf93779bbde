import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  instantToLocal,
  isValidTimeZone,
  offsetMinutesAt,
} from './time-zone.ts';

describe('time zones', () => {
  it('accepts IANA names and UTC', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Etc/GMT+5']) {
      expect(isValidTimeZone(zone)).toBe(true);
    }
  });

  it('rejects unknown names and empty strings', () => {
    for (const zone of ['Mars/Olympus_Mons', 'Berlin', '', '   ']) {
      expect(isValidTimeZone(zone)).toBe(false);
    }
  });

  it('gives the canonical spelling of a zone name', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
  });

  it('throws a validation error for an unknown zone', () => {
    expect(() => instantToLocal(new Date(), 'Nowhere/Special')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        message: 'Unknown time zone "Nowhere/Special".',
      }),
    );
  });

  it('throws a validation error for an invalid instant', () => {
    expect(() => instantToLocal(new Date(Number.NaN), 'UTC')).toThrow(/not a valid date/);
  });

  it('reads the wall clock at an instant', () => {
    expect(instantToLocal(new Date('2026-07-01T12:34:56.789Z'), 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 7,
      day: 1,
      hour: 14,
      minute: 34,
      second: 56,
    });
  });

  it('reads midnight as hour 0, never 24', () => {
    expect(instantToLocal(new Date('2026-01-01T05:00:00Z'), 'America/New_York').hour).toBe(0);
  });

  it.each([
    ['Europe/Berlin', '2026-01-15T12:00:00Z', 60],
    ['Europe/Berlin', '2026-07-15T12:00:00Z', 120],
    ['America/New_York', '2026-01-15T12:00:00Z', -300],
    ['America/New_York', '2026-07-15T12:00:00Z', -240],
    ['Australia/Sydney', '2026-01-15T12:00:00Z', 660],
    ['Australia/Sydney', '2026-07-15T12:00:00Z', 600],
    ['Asia/Kolkata', '2026-07-15T12:00:00Z', 330],
    ['Australia/Adelaide', '2026-01-15T12:00:00Z', 630],
    ['Asia/Kathmandu', '2026-01-15T12:00:00Z', 345],
    ['UTC', '2026-01-15T12:00:00Z', 0],
  ])('knows %s is %i minutes off UTC at %s', (zone, iso, offset) => {
    expect(offsetMinutesAt(new Date(iso), zone)).toBe(offset);
  });

  it('switches offset at the exact instant of a daylight-saving change', () => {
    expect(offsetMinutesAt(new Date('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutesAt(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(120);
  });
});
