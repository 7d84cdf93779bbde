// What the daemon does with each consumed event: keep the game's reminder schedule in step. Runs in
// the idempotency store's transaction, so a replayed event id changes nothing twice. The consume
// span's traceparent goes on the rows, for the link of the scheduled reminder's root span.
import type { Prisma } from '@game-scheduler/db';
import type { DomainEvent, HandlerContext } from '@game-scheduler/messaging';
import { currentTraceparent, type Logger } from '@game-scheduler/telemetry';
import { dropReminderSchedule, rebuildReminderSchedule } from './reminder-schedule.ts';

/** `game.updated` fields that move reminders. */
const TIMING_FIELDS: ReadonlySet<string> = new Set(['startsAt', 'reminderMinutesBefore']);

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
        if (!event.payload.changes.fields.some((field) => TIMING_FIELDS.has(field))) return;
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
