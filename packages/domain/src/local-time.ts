import { DomainError } from './errors.ts';
import {
  formatLocalDateTime,
  localDateTimeProblem,
  wallClockMs,
  type LocalDateTime,
} from './local-date-time.ts';
import { combineDateAndTime, parseLocalDateTime } from './local-time-parse.ts';
import { canonicalTimeZone, instantToLocal, isValidTimeZone, offsetMsAt } from './time-zone.ts';

export type LocalTimeResult =
  | {
      readonly ok: true;
      readonly instant: Date;
      /** The zone's UTC offset at that instant, in minutes. */
      readonly offsetMinutes: number;
    }
  | {
      /** Clocks jumped over this time (spring forward). */
      readonly ok: false;
      readonly reason: 'nonexistent-local-time';
      readonly message: string;
      /** The instant the same wall-clock reading lands on when moved past the gap. */
      readonly suggestion: Date;
      /** That instant's wall-clock time, e.g. 03:30 for 02:30 in Berlin. */
      readonly suggestionLocal: LocalDateTime;
    }
  | {
      /** The time happens twice (fall back). */
      readonly ok: false;
      readonly reason: 'ambiguous-local-time';
      readonly message: string;
      /** The first occurrence (still on summer time). */
      readonly earlier: Date;
      /** The second occurrence (after the clocks went back). */
      readonly later: Date;
    }
  | { readonly ok: false; readonly reason: 'invalid-time-zone'; readonly message: string }
  | { readonly ok: false; readonly reason: 'malformed-input'; readonly message: string };

export type LocalTimeFailureReason = Extract<LocalTimeResult, { ok: false }>['reason'];

const DAY_MS = 86_400_000;

/**
 * The UTC instant for a wall-clock time in an IANA zone. A time skipped by a daylight-saving jump
 * or one that happens twice is reported, never silently shifted.
 */
export function localToInstant(local: LocalDateTime, timeZone: string): LocalTimeResult {
  if (!isValidTimeZone(timeZone)) {
    return { ok: false, reason: 'invalid-time-zone', message: `Unknown time zone "${timeZone}".` };
  }
  const problem = localDateTimeProblem(local);
  if (problem !== null) {
    return {
      ok: false,
      reason: 'malformed-input',
      message: `Not a valid date and time: ${problem}.`,
    };
  }
  const zone = canonicalTimeZone(timeZone);
  const wall = wallClockMs(local);
  // Offsets a day either side bracket any change near this wall time (offsets stay within ±24 h);
  // each candidate is kept only if the zone really has that offset at the instant it gives.
  const offsets = [...new Set([-DAY_MS, 0, DAY_MS].map((d) => offsetMsAt(wall + d, zone)))];
  const instants = [
    ...new Set(offsets.filter((o) => offsetMsAt(wall - o, zone) === o).map((o) => wall - o)),
  ].sort((a, b) => a - b);
  const text = `${formatLocalDateTime(local)} in ${zone}`;

  const [first, second] = instants;
  if (first !== undefined && second === undefined) {
    return { ok: true, instant: new Date(first), offsetMinutes: (wall - first) / 60_000 };
  }
  if (first !== undefined && second !== undefined) {
    return {
      ok: false,
      reason: 'ambiguous-local-time',
      message: `${text} happens twice because the clocks go back; choose the earlier or the later one.`,
      earlier: new Date(first),
      later: new Date(second),
    };
  }
  // In a gap: read the time with the offset from before the jump, which lands just past it.
  const suggestion = new Date(wall - Math.min(...offsets));
  const suggestionLocal = instantToLocal(suggestion, zone);
  return {
    ok: false,
    reason: 'nonexistent-local-time',
    message: `${text} does not exist because the clocks go forward; ${formatLocalDateTime(suggestionLocal)} is the same moment after the change.`,
    suggestion,
    suggestionLocal,
  };
}

/** What a user typed: one `2026-03-29 19:30` string, separate date and time, or parsed fields. */
export type LocalTimeInput =
  string | { readonly date: string; readonly time: string } | LocalDateTime;

/** Parses the user's input and reads it in `timeZone` (see `localToInstant`). */
export function resolveLocalTime(input: LocalTimeInput, timeZone: string): LocalTimeResult {
  const parsed =
    typeof input === 'string'
      ? parseLocalDateTime(input)
      : 'date' in input
        ? combineDateAndTime(input.date, input.time)
        : { ok: true as const, value: input };
  if (!parsed.ok) return parsed;
  return localToInstant(parsed.value, timeZone);
}

/** The instant of a successful result; otherwise throws `VALIDATION` with the result as details. */
export function requireInstant(result: LocalTimeResult): Date {
  if (result.ok) return result.instant;
  const { ok: _ok, message, ...details } = result;
  throw new DomainError('VALIDATION', message, { details });
}
