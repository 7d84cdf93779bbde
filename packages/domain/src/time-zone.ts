import { DomainError } from './errors.ts';
import { wallClockMs, type LocalDateTime } from './local-date-time.ts';

// One formatter per zone name: building an Intl.DateTimeFormat is far slower than using one.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (error) {
      throw new DomainError('VALIDATION', `Unknown time zone "${timeZone}".`, {
        details: { reason: 'invalid-time-zone', timeZone },
        cause: error,
      });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The IANA name Intl resolves `timeZone` to (e.g. `europe/berlin` → `Europe/Berlin`). */
export function canonicalTimeZone(timeZone: string): string {
  return formatterFor(timeZone).resolvedOptions().timeZone;
}

/** The wall-clock date and time at `instant` in `timeZone` (milliseconds are dropped). */
export function instantToLocal(instant: Date, timeZone: string): LocalDateTime {
  if (Number.isNaN(instant.getTime())) {
    throw new DomainError('VALIDATION', 'The instant is not a valid date.');
  }
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) fields[part.type] = part.value;
  const number = (type: string): number => Number(fields[type]);
  const era = fields['era'];
  const year = era === 'BC' || era === 'B' ? 1 - number('year') : number('year');
  return {
    year,
    month: number('month'),
    day: number('day'),
    hour: number('hour'),
    minute: number('minute'),
    second: number('second'),
  };
}

/** The zone's UTC offset at `instant` in milliseconds (east of Greenwich is positive). */
export function offsetMsAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockMs(instantToLocal(new Date(whole), timeZone)) - whole;
}

/** The zone's UTC offset at `instant` in minutes, e.g. 60 for Berlin in winter, 330 for Kolkata. */
export function offsetMinutesAt(instant: Date, timeZone: string): number {
  return offsetMsAt(instant.getTime(), timeZone) / 60_000;
}
