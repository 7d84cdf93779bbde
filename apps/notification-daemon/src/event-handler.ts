// What the daemon does with each consumed event: keep the game's reminder schedule in step. An event
// that changes the schedule runs in the idempotency store's transaction, so a replayed event id
// changes nothing twice; the others (roster changes) have nothing to do and skip it. The consume
// span's traceparent goes on the rows, for the link of the scheduled reminder's root span.
import type { Prisma } from '@game-scheduler/db';
import type { DomainEvent, HandlerContext } from '@game-scheduler/messaging';
import { currentTraceparent, type Logger } from '@game-scheduler/telemetry';
import { dropReminderSchedule, rebuildReminderSchedule } from './reminder-schedule.ts';

/** `game.updated` fields that move reminders. */
const TIMING_FIELDS: ReadonlySet<string> = new Set(['startsAt', 'reminderMinutesBefore']);

/**
 * Whether the event changes the reminder schedule. One that does not (every roster change is a
 * `game.updated` without timing fields; reminders go to the roster as it is when they are due) has
 * nothing to do twice: the consumer handles it without the idempotency record and its transaction.
 */
export function changesReminderSchedule(event: DomainEvent): boolean {
  if (event.type === 'game.updated') {
    return event.payload.changes.fields.some((field) => TIMING_FIELDS.has(field));
  }
  return event.type === 'game.created' || event.type === 'game.cancelled';
}

export function createEventHandler(
  logger: Pick<Logger, 'info' | 'debug'>,
  now: () => Date = () => new Date(),
) {
  return async (
    event: DomainEvent,
    { tx }: HandlerContext<Prisma.TransactionClient>,
  ): Promise<void> => {
    const gameId = event.payload.gameId;
    const changedAt = new Date(event.occurredAt);
    switch (event.type) {
      case 'game.created': {
        const change = await rebuildReminderSchedule(
          tx,
          gameId,
          currentTraceparent() ?? null,
          now(),
          changedAt,
        );
        logger.info({ gameId, ...change }, 'Reminder schedule built');
        return;
      }
      case 'game.updated': {
        if (!changesReminderSchedule(event)) return;
        const change = await rebuildReminderSchedule(
          tx,
          gameId,
          currentTraceparent() ?? null,
          now(),
          changedAt,
        );
        logger.info({ gameId, ...change }, 'Reminder schedule moved');
        return;
      }
      case 'game.cancelled': {
        const removed = await dropReminderSchedule(tx, gameId);
        logger.info({ gameId, removed }, 'Reminder schedule dropped');
        return;
      }
      case 'game.player_removed':
        // Reminders go to the roster as it is when they are due, so the removed player is left out
        // without touching the schedule.
        logger.debug({ gameId, userId: event.payload.removedUserId }, 'Player removed');
        return;
      default:
        logger.debug({ type: event.type }, 'Event not for this daemon');
    }
  };
}
