// What the bot does with each game event: bring the announcement up to date (coalesced, see the
// announcer) and tell the players what concerns them. Runs inside the idempotency store's
// transaction, so a redelivered event sends no second DM once it has been handled.
import type { DomainEvent } from '@game-scheduler/messaging';
import type { Logger } from '@game-scheduler/telemetry';
import type { Announcer, RefreshMode } from '../announcements/announcer.ts';
import { when } from '../interactions/links.ts';
import type { PlayerNotices } from './player-notices.ts';

/**
 * Events whose handling only brings the announcement up to date from the database (no DM): harmless
 * to handle again, so they need no record in `processed_messages` and no transaction around them
 * (three statements less per Join/Leave click). Every other event is handled once.
 */
export function isRepeatable(event: DomainEvent): boolean {
  switch (event.type) {
    case 'game.created':
    case 'game.status_changed':
      return true;
    case 'game.updated':
      return event.payload.changes.promotedUserIds.length === 0;
    default:
      return false;
  }
}

export function createEventHandler(deps: {
  readonly announcer: Announcer;
  readonly notices: PlayerNotices;
  readonly logger: Pick<Logger, 'debug'>;
}) {
  const { announcer, notices } = deps;

  /** Not awaited: the event is done once the write is queued; the announcer logs its failures. */
  function refresh(gameId: string, mode: RefreshMode = 'render'): void {
    announcer.refresh(gameId, mode).catch(() => undefined);
  }

  return async (event: DomainEvent): Promise<void> => {
    const { gameId } = event.payload;
    switch (event.type) {
      case 'game.created':
        refresh(gameId, 'post-only');
        return;
      case 'game.updated': {
        const { changes, title, startsAt } = event.payload;
        if (changes.fields.some((field) => field !== 'announcement')) refresh(gameId);
        if (changes.promotedUserIds.length > 0) {
          await notices.send(
            'promoted',
            changes.promotedUserIds,
            `A spot opened up: you're now playing **${title}** on ${when(startsAt)}.`,
            event.id,
          );
        }
        return;
      }
      case 'game.cancelled': {
        const { title, startsAt, reason, cancelledByUserId } = event.payload;
        refresh(gameId);
        const players = [...event.payload.participantUserIds, ...event.payload.waitlistUserIds];
        const because = reason === null || reason === '' ? '' : ` Reason: ${reason}`;
        await notices.send(
          'cancelled',
          players.filter((userId) => userId !== cancelledByUserId),
          `**${title}** on ${when(startsAt)} was cancelled by <@${cancelledByUserId}>.${because}`,
          event.id,
        );
        return;
      }
      case 'game.player_removed': {
        const { title, startsAt, removedUserId, promotedUserIds } = event.payload;
        refresh(gameId);
        await notices.send(
          'removed',
          [removedUserId],
          `You were removed from **${title}** on ${when(startsAt)}.`,
          event.id,
        );
        if (promotedUserIds.length > 0) {
          await notices.send(
            'promoted',
            promotedUserIds,
            `A spot opened up: you're now playing **${title}** on ${when(startsAt)}.`,
            event.id,
          );
        }
        return;
      }
      case 'game.status_changed':
        refresh(gameId);
        return;
      default:
        deps.logger.debug({ type: (event as { type: string }).type }, 'Event not for the bot');
    }
  };
}
