/**
 * PostgreSQL NOTIFY channels raised by triggers in the migrations. Listeners (the daemons and the
 * outbox relay) `LISTEN` on these names to wake up early instead of polling.
 *
 * - `reminder_schedule_changed` / `status_schedule_changed`: a PENDING schedule row was inserted or
 *   updated. Payload: the row's effective due time (the later of due_at and next_attempt_at) as an
 *   ISO 8601 UTC timestamp, e.g. `2026-11-24T18:30:00.000Z` (`new Date(payload)` parses it).
 * - `outbox_inserted`: an outbox row was inserted. Payload: the row's id (uuid).
 *
 * Notifications are delivered when the writing transaction commits.
 */
export const NotifyChannel = {
  reminderScheduleChanged: 'reminder_schedule_changed',
  statusScheduleChanged: 'status_schedule_changed',
  outboxInserted: 'outbox_inserted',
} as const;

export type NotifyChannel = (typeof NotifyChannel)[keyof typeof NotifyChannel];

export const REMINDER_SCHEDULE_CHANGED_CHANNEL = NotifyChannel.reminderScheduleChanged;
export const STATUS_SCHEDULE_CHANGED_CHANNEL = NotifyChannel.statusScheduleChanged;
export const OUTBOX_INSERTED_CHANNEL = NotifyChannel.outboxInserted;
