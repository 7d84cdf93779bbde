// What the daemon does with each consumed event: keep the game's status schedule in step. An event
// that changes the schedule runs in the idempotency store's transaction, so a replayed event id
// changes nothing twice; the others (roster changes) have nothing to do and skip it.
import type { Prisma } from '@game-scheduler/db';
import type { DomainEvent, HandlerContext } from '@game-scheduler/messaging';
import { currentTraceparent, type Logger } from '@game-scheduler/telemetry';
import { dropStatusSchedule, rebuildStatusSchedule } from './status-schedule.ts';

/** `game.updated` fields that move the status schedule. */
const TIMING_FIELDS: ReadonlySet<string> = new Set(['startsAt', 'durationMinutes']);

/**
 * Whether the event changes the status schedule. One that does not (every roster change is a
 * `game.updated` without timing fields) has nothing to do twice: the consumer handles it without
 * the idempotency record and its transaction.
 */
export function changesStatusSchedule(event: DomainEvent): boolean {
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
    switch (event.type) {
      case 'game.created': {
        const change = await rebuildStatusSchedule(tx, gameId, currentTraceparent() ?? null, now());
        logger.info({ gameId, ...change }, 'Status schedule built');
        return;
      }
      case 'game.updated': {
        if (!changesStatusSchedule(event)) return;
        const change = await rebuildStatusSchedule(tx, gameId, currentTraceparent() ?? null, now());
        logger.info({ gameId, ...change }, 'Status schedule moved');
        return;
      }
      case 'game.cancelled': {
        const removed = await dropStatusSchedule(tx, gameId);
        logger.info({ gameId, removed }, 'Status schedule dropped');
        return;
      }
      default:
        logger.debug({ type: event.type }, 'Event not for this daemon');
    }
  };
}
