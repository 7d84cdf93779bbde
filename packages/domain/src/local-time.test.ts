import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.ts';
import { localDateTimeProblem, type LocalDateTime } from './local-date-time.ts';
import { localToInstant, requireInstant, resolveLocalTime } from './local-time.ts';
import { instantToLocal, offsetMinutesAt } from './time-zone.ts';

const utc = (iso: string): Date => new Date(iso);

describe('resolveLocalTime in ordinary times', () => {
  it.each([
    ['2026-01-15 19:30', 'Europe/Berlin', '2026-01-15T18:30:00Z', 60],
    ['2026-07-15 19:30', 'Europe/Berlin', '2026-07-15T17:30:00Z', 120],
    ['2026-01-15 7:30pm', 'America/New_York', '2026-01-16T00:30:00Z', -300],
    ['2026-07-15 19:30', 'America/New_York', '2026-07-15T23:30:00Z', -240],
    ['2026-01-15 19:30', 'Australia/Sydney', '2026-01-15T08:30:00Z', 660],
    ['2026-07-15 19:30', 'Australia/Sydney', '2026-07-15T09:30:00Z', 600],
    ['2026-07-15 19:30', 'Asia/Kolkata', '2026-07-15T14:00:00Z', 330],
    ['2026-01-15 19:30', 'Australia/Adelaide', '2026-01-15T09:00:00Z', 630],
    ['2026-07-15 19:30', 'Australia/Adelaide', '2026-07-15T10:00:00Z', 570],
    ['2026-07-15 19:30', 'UTC', '2026-07-15T19:30:00Z', 0],
  ])('reads %s in %s as %s', (input, zone, iso, offsetMinutes) => {
    expect(resolveLocalTime(input, zone)).toEqual({ ok: true, instant: utc(iso), offsetMinutes });
  });

  it('accepts separate date and time strings', () => {
    expect(resolveLocalTime({ date: '2026-07-15', time: '7:30pm' }, 'Europe/Berlin')).toEqual({
      ok: true,
      instant: utc('2026-07-15T17:30:00Z'),
      offsetMinutes: 120,
    });
  });

  it('accepts already parsed fields', () => {
    const local = { year: 2026, month: 7, day: 15, hour: 19, minute: 30, second: 0 };
    expect(requireInstant(resolveLocalTime(local, 'Europe/Berlin'))).toEqual(
      utc('2026-07-15T17:30:00Z'),
    );
  });

  it('accepts a zone name in any letter case', () => {
    expect(requireInstant(resolveLocalTime('2026-07-15 19:30', 'europe/berlin'))).toEqual(
      utc('2026-07-15T17:30:00Z'),
    );
  });

  it('reads the times right next to a change normally', () => {
    expect(requireInstant(resolveLocalTime('2026-03-29 01:59', 'Europe/Berlin'))).toEqual(
      utc('2026-03-29T00:59:00Z'),
    );
    expect(requireInstant(resolveLocalTime('2026-03-29 03:00', 'Europe/Berlin'))).toEqual(
      utc('2026-03-29T01:00:00Z'),
    );
    expect(requireInstant(resolveLocalTime('2026-10-25 01:59', 'Europe/Berlin'))).toEqual(
      utc('2026-10-24T23:59:00Z'),
    );
    expect(requireInstant(resolveLocalTime('2026-10-25 03:00', 'Europe/Berlin'))).toEqual(
      utc('2026-10-25T02:00:00Z'),
    );
  });
});

describe('resolveLocalTime in a spring-forward gap', () => {
  it.each([
    ['2026-03-29 02:30', 'Europe/Berlin', '2026-03-29T01:30:00Z', '03:30'],
    ['2026-03-29 02:00', 'Europe/Berlin', '2026-03-29T01:00:00Z', '03:00'],
    ['2026-03-08 2:30am', 'America/New_York', '2026-03-08T07:30:00Z', '03:30'],
    ['2026-10-04 02:30', 'Australia/Sydney', '2026-10-03T16:30:00Z', '03:30'],
    ['2026-10-04 02:15', 'Australia/Adelaide', '2026-10-03T16:45:00Z', '03:15'],
  ])('reports that %s does not exist in %s', (input, zone, suggestion, suggestedTime) => {
    const result = resolveLocalTime(input, zone);
    expect(result).toMatchObject({
      ok: false,
      reason: 'nonexistent-local-time',
      suggestion: utc(suggestion),
    });
    if (result.ok || result.reason !== 'nonexistent-local-time') return;
    expect(result.message).toContain('does not exist because the clocks go forward');
    expect(result.message).toContain(suggestedTime);
    const [hour, minute] = suggestedTime.split(':').map(Number);
    expect(result.suggestionLocal).toMatchObject({ hour, minute });
  });

  it('suggests the time moved past a skipped day', () => {
    // Samoa skipped 30 December 2011 entirely when it crossed the date line.
    expect(resolveLocalTime('2011-12-30 12:00', 'Pacific/Apia')).toMatchObject({
      reason: 'nonexistent-local-time',
      suggestionLocal: { year: 2011, month: 12, day: 31, hour: 12, minute: 0 },
    });
  });

  it('refuses to turn the gap into an instant through requireInstant', () => {
    try {
      requireInstant(resolveLocalTime('2026-03-29 02:30', 'Europe/Berlin'));
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, 'VALIDATION')).toBe(true);
      if (!isDomainError(error)) return;
      expect(error.details).toMatchObject({
        reason: 'nonexistent-local-time',
        suggestion: utc('2026-03-29T01:30:00Z'),
      });
    }
  });
});

describe('resolveLocalTime in a fall-back overlap', () => {
  it.each([
    ['2026-10-25 02:30', 'Europe/Berlin', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z'],
    ['2026-11-01 1:30am', 'America/New_York', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'],
    ['2026-04-05 02:30', 'Australia/Sydney', '2026-04-04T15:30:00Z', '2026-04-04T16:30:00Z'],
    ['2026-04-05 02:45', 'Australia/Adelaide', '2026-04-04T16:15:00Z', '2026-04-04T17:15:00Z'],
    // Lord Howe Island moves its clocks by only 30 minutes.
    ['2026-04-05 01:45', 'Australia/Lord_Howe', '2026-04-04T14:45:00Z', '2026-04-04T15:15:00Z'],
  ])('reports that %s happens twice in %s', (input, zone, earlier, later) => {
    const result = resolveLocalTime(input, zone);
    expect(result).toMatchObject({
      ok: false,
      reason: 'ambiguous-local-time',
      earlier: utc(earlier),
      later: utc(later),
    });
    expect(!result.ok && result.message).toContain('happens twice because the clocks go back');
  });

  it('maps both occurrences back to the same wall clock', () => {
    const result = resolveLocalTime('2026-10-25 02:30', 'Europe/Berlin');
    if (result.ok || result.reason !== 'ambiguous-local-time')
      throw new Error('expected ambiguity');
    const expected = { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 };
    expect(instantToLocal(result.earlier, 'Europe/Berlin')).toEqual(expected);
    expect(instantToLocal(result.later, 'Europe/Berlin')).toEqual(expected);
  });
});

describe('resolveLocalTime with bad input', () => {
  it('reports an unknown time zone', () => {
    expect(resolveLocalTime('2026-07-15 19:30', 'Europe/Atlantis')).toEqual({
      ok: false,
      reason: 'invalid-time-zone',
      message: 'Unknown time zone "Europe/Atlantis".',
    });
  });

  it('reports malformed text', () => {
    expect(resolveLocalTime('next friday at 8', 'Europe/Berlin')).toMatchObject({
      ok: false,
      reason: 'malformed-input',
    });
  });

  it('reports impossible fields', () => {
    const local = { year: 2026, month: 2, day: 30, hour: 12, minute: 0, second: 0 };
    expect(localToInstant(local, 'UTC')).toEqual({
      ok: false,
      reason: 'malformed-input',
      message: 'Not a valid date and time: the day must be from 1 to 28 in that month.',
    });
  });

  it('throws a validation error for bad input through requireInstant', () => {
    expect(() => requireInstant(resolveLocalTime('2026-07-15 19:30', 'Nope'))).toThrow(
      expect.objectContaining({ code: 'VALIDATION', details: { reason: 'invalid-time-zone' } }),
    );
  });
});

/** A small seeded generator, so a failure reproduces exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'America/Santiago',
  'Europe/London',
  'Pacific/Apia',
  'Pacific/Chatham',
  'America/Sao_Paulo',
  'Africa/Casablanca',
  'UTC',
];

describe('time zone round trips over many random times', () => {
  const SAMPLES = 4000;
  const from = Date.UTC(1975, 0, 1);
  const to = Date.UTC(2060, 0, 1);

  it('maps every instant to a wall clock that maps back to it (local → UTC → local)', () => {
    const next = random(20_261_124);
    for (let i = 0; i < SAMPLES; i++) {
      const zone = ZONES[Math.floor(next() * ZONES.length)] ?? 'UTC';
      const instant = new Date(Math.floor((from + next() * (to - from)) / 1000) * 1000);
      const local = instantToLocal(instant, zone);
      const result = localToInstant(local, zone);
      const context = `${instant.toISOString()} in ${zone}`;
      if (result.ok) {
        expect(result.instant, context).toEqual(instant);
        expect(result.offsetMinutes, context).toBe(offsetMinutesAt(instant, zone));
      } else if (result.reason === 'ambiguous-local-time') {
        expect([result.earlier.getTime(), result.later.getTime()], context).toContain(
          instant.getTime(),
        );
      } else {
        expect.fail(`${context} read back as ${result.reason}`);
      }
    }
  });

  it('reads every random wall clock as one instant, a gap or an overlap, each checked', () => {
    const next = random(42);
    const counts = { ok: 0, gap: 0, overlap: 0 };
    for (let i = 0; i < SAMPLES; i++) {
      const zone = ZONES[Math.floor(next() * ZONES.length)] ?? 'UTC';
      const local: LocalDateTime = {
        year: 1975 + Math.floor(next() * 85),
        month: 3 + 7 * Math.floor(next() * 2), // March or October, where most changes happen
        day: 1 + Math.floor(next() * 28),
        hour: Math.floor(next() * 4),
        minute: Math.floor(next() * 60),
        second: 0,
      };
      expect(localDateTimeProblem(local)).toBeNull();
      const result = localToInstant(local, zone);
      const context = `${JSON.stringify(local)} in ${zone}`;
      if (result.ok) {
        counts.ok++;
        expect(instantToLocal(result.instant, zone), context).toEqual(local);
      } else if (result.reason === 'ambiguous-local-time') {
        counts.overlap++;
        expect(result.earlier.getTime(), context).toBeLessThan(result.later.getTime());
        expect(instantToLocal(result.earlier, zone), context).toEqual(local);
        expect(instantToLocal(result.later, zone), context).toEqual(local);
      } else if (result.reason === 'nonexistent-local-time') {
        counts.gap++;
        expect(result.suggestionLocal, context).not.toEqual(local);
        expect(instantToLocal(result.suggestion, zone), context).toEqual(result.suggestionLocal);
        // No instant in the surrounding day shows this wall clock.
        const minute = 60_000;
        const start = result.suggestion.getTime() - 1440 * minute;
        for (let t = start; t < start + 2880 * minute; t += minute) {
          expect(instantToLocal(new Date(t), zone), context).not.toEqual(local);
        }
      } else {
        expect.fail(`${context} was rejected: ${result.message}`);
      }
    }
    // The sample must actually reach the interesting cases.
    expect(counts.gap).toBeGreaterThan(0);
    expect(counts.overlap).toBeGreaterThan(0);
  });
});
