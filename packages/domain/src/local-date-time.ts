/** A wall-clock date and time with no time zone (what a user types). */
export interface LocalDateTime {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
  /** 0–23 */
  readonly hour: number;
  /** 0–59 */
  readonly minute: number;
  /** 0–59 */
  readonly second: number;
}

export const MIN_YEAR = 1000;
export const MAX_YEAR = 9999;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A description of what is wrong with the fields, or `null` when they name a real calendar time. */
export function localDateTimeProblem(local: LocalDateTime): string | null {
  const { year, month, day, hour, minute, second } = local;
  const whole = [year, month, day, hour, minute, second].every((n) => Number.isInteger(n));
  if (!whole) return 'every date and time field must be a whole number';
  if (year < MIN_YEAR || year > MAX_YEAR) return `the year must be from ${MIN_YEAR} to ${MAX_YEAR}`;
  if (month < 1 || month > 12) return 'the month must be from 1 to 12';
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `the day must be from 1 to ${days} in that month`;
  if (hour < 0 || hour > 23) return 'the hour must be from 0 to 23';
  if (minute < 0 || minute > 59) return 'the minutes must be from 0 to 59';
  if (second < 0 || second > 59) return 'the seconds must be from 0 to 59';
  return null;
}

/** The fields read as if they were UTC, in epoch milliseconds (the "wall clock" number). */
export function wallClockMs(local: LocalDateTime): number {
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, 0);
  return date.getTime();
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2026-03-29 02:30`, with `:ss` only when the seconds are not zero. */
export function formatLocalDateTime(local: LocalDateTime): string {
  const date = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
  const time = `${pad(local.hour)}:${pad(local.minute)}`;
  return local.second === 0 ? `${date} ${time}` : `${date} ${time}:${pad(local.second)}`;
}
