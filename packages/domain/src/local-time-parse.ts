import { localDateTimeProblem, type LocalDateTime } from './local-date-time.ts';

export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface LocalTime {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: 'malformed-input'; readonly message: string };

const malformed = (message: string): ParseResult<never> => ({
  ok: false,
  reason: 'malformed-input',
  message,
});

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME_24H = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const TIME_12H = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?$/i;
const DATE_TIME = /^(\d{4}-\d{1,2}-\d{1,2})(?:t|\s+)(.+)$/i;

/** `YYYY-MM-DD` (month and day may have one digit). */
export function parseLocalDate(text: string): ParseResult<LocalDate> {
  const match = DATE.exec(text.trim());
  if (match === null) return malformed(`"${text}" is not a date like 2026-03-29.`);
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const problem = localDateTimeProblem({ year, month, day, hour: 0, minute: 0, second: 0 });
  if (problem !== null) return malformed(`"${text}" is not a valid date: ${problem}.`);
  return { ok: true, value: { year, month, day } };
}

/** 24-hour `19:30` / `19:30:15`, or 12-hour `7pm`, `7:30pm`, `7:30 PM`, `12am` (midnight). */
export function parseLocalTime(text: string): ParseResult<LocalTime> {
  const trimmed = text.trim();
  const h24 = TIME_24H.exec(trimmed);
  if (h24 !== null) {
    const hour = Number(h24[1]);
    const minute = Number(h24[2]);
    const second = Number(h24[3] ?? '0');
    if (hour > 23 || minute > 59 || second > 59) {
      return malformed(`"${text}" is not a valid time: use 00:00 to 23:59.`);
    }
    return { ok: true, value: { hour, minute, second } };
  }
  const h12 = TIME_12H.exec(trimmed);
  if (h12 !== null) {
    const hour12 = Number(h12[1]);
    const minute = Number(h12[2] ?? '0');
    if (hour12 < 1 || hour12 > 12 || minute > 59) {
      return malformed(`"${text}" is not a valid time: use 12:00am to 11:59pm.`);
    }
    const pm = h12[3]?.toLowerCase() === 'p';
    return { ok: true, value: { hour: (hour12 % 12) + (pm ? 12 : 0), minute, second: 0 } };
  }
  return malformed(`"${text}" is not a time like 19:30 or 7:30pm.`);
}

/** A date and a time separated by a space or `T`: `2026-03-29 02:30`, `2026-03-29T7:30pm`. */
export function parseLocalDateTime(text: string): ParseResult<LocalDateTime> {
  const match = DATE_TIME.exec(text.trim());
  if (match === null) {
    return malformed(`"${text}" is not a date and time like 2026-03-29 19:30.`);
  }
  return combineDateAndTime(match[1] ?? '', match[2] ?? '');
}

/** Separate date and time strings, as a form or a slash command collects them. */
export function combineDateAndTime(date: string, time: string): ParseResult<LocalDateTime> {
  const parsedDate = parseLocalDate(date);
  if (!parsedDate.ok) return parsedDate;
  const parsedTime = parseLocalTime(time);
  if (!parsedTime.ok) return parsedTime;
  return { ok: true, value: { ...parsedDate.value, ...parsedTime.value } };
}
