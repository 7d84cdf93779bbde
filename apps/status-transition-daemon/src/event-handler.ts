// What the daemon does with each consumed event: keep the game's status schedule in step. Runs in the
// idempotency store's transaction, so a replayed event id changes nothing twice.
import type { Prisma } from '@game-scheduler/db';
import type { DomainEvent, HandlerContext } from '@game-scheduler/messaging';
import { currentTraceparent, type Logger } from '@game-scheduler/telemetry';
import { dropStatusSchedule, rebuildStatusSchedule } from './status-schedule.ts';

/** `game.updated` fields that move the status schedule. */
const TIMING_FIELDS: ReadonlySet<string> = new Set(['startsAt', 'durationMinutes']);

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
        if (!event.payload.changes.fields.some((field) => TIMING_FIELDS.has(field))) return;
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
