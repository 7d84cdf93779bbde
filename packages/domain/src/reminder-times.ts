import { DomainError } from './errors.ts';

/** Four weeks: a reminder further ahead than this is a mistake, not a plan. */
export const MAX_REMINDER_MINUTES = 4 * 7 * 24 * 60;

export interface ReminderTime {
  readonly minutesBefore: number;
  readonly at: Date;
}

/**
 * Checks minutes-before values (whole numbers from 0 to `MAX_REMINDER_MINUTES`) and returns them
 * deduplicated, furthest ahead first. Throws one `VALIDATION` error listing every invalid value.
 */
export function normalizeReminderMinutes(minutesBefore: readonly number[]): number[] {
  const invalid = minutesBefore.filter(
    (m) => !Number.isInteger(m) || m < 0 || m > MAX_REMINDER_MINUTES,
  );
  if (invalid.length > 0) {
    throw new DomainError(
      'VALIDATION',
      `Reminder times must be whole minutes from 0 to ${MAX_REMINDER_MINUTES} (4 weeks) before the start; invalid: ${invalid.map(String).join(', ')}.`,
      { details: { invalid, max: MAX_REMINDER_MINUTES } },
    );
  }
  return [...new Set(minutesBefore)].sort((a, b) => b - a);
}

/**
 * The reminders still to send for a game starting at `startsAt`: deduplicated, earliest first,
 * skipping those already in the past (`at < now`; a reminder due exactly now is kept).
 */
export function reminderTimes(
  startsAt: Date,
  minutesBefore: readonly number[],
  now: Date,
): ReminderTime[] {
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(now.getTime())) {
    throw new DomainError('VALIDATION', 'The start and the current time must be valid dates.');
  }
  return normalizeReminderMinutes(minutesBefore)
    .map((m) => ({ minutesBefore: m, at: new Date(startsAt.getTime() - m * 60_000) }))
    .filter((reminder) => reminder.at.getTime() >= now.getTime());
}
