// Keeping a game's reminder_schedule rows in step with the game: one row per reminder still ahead
// (domain reminderTimes: deduplicated, past ones skipped), built from the game row itself — the source
// of truth — so a replayed or out-of-order event can never install stale times.
import type { Prisma } from '@game-scheduler/db';
import { reminderTimes } from '@game-scheduler/domain';

export interface ReminderScheduleChange {
  /** Minutes-before values whose row was created or moved. */
  readonly scheduled: readonly number[];
  /** Rows left as they were (same due time). */
  readonly unchanged: readonly number[];
  /** Pending or parked rows removed. */
  readonly removed: number;
}

/**
 * The reminders wanted for a game starting at `startsAt`, as of a change made at `changedAt` and seen
 * `now`. Reminders already past when the change was made are skipped; those that fell due while its
 * event was on the way (RabbitMQ down, a daemon restarting) are kept, due at once, as long as the
 * game has not started yet: a late reminder rather than a lost one.
 */
export function wantedReminders(
  startsAt: Date,
  minutesBefore: readonly number[],
  changedAt: Date,
  now: Date,
) {
  const asOf = changedAt.getTime() < now.getTime() ? changedAt : now;
  return reminderTimes(startsAt, minutesBefore, asOf).filter(
    (reminder) => reminder.at.getTime() >= now.getTime() || startsAt.getTime() > now.getTime(),
  );
}

/**
 * Creates the game's missing reminder rows, moves those whose due time changed (back to PENDING, with
 * the deliveries of the old time forgotten, so everyone is reminded of the new time) and removes the
 * pending or parked rows no longer wanted. Sent rows whose time did not change stay sent. A game that
 * is not SCHEDULED keeps no pending reminders. `traceparent` goes on every row written; `changedAt`
 * is when the change behind the event was made (see wantedReminders).
 */
export async function rebuildReminderSchedule(
  tx: Prisma.TransactionClient,
  gameId: string,
  traceparent: string | null,
  now: Date,
  changedAt: Date = now,
): Promise<ReminderScheduleChange> {
  const game = await tx.game.findUnique({
    where: { id: gameId },
    select: { status: true, startsAt: true, reminderMinutes: true },
  });
  const wanted =
    game === null || game.status !== 'SCHEDULED'
      ? []
      : wantedReminders(game.startsAt, game.reminderMinutes, changedAt, now);
  const existing = await tx.reminderSchedule.findMany({ where: { gameId } });
  const scheduled: number[] = [];
  const unchanged: number[] = [];
  for (const reminder of wanted) {
    const row = existing.find((candidate) => candidate.reminderMinutes === reminder.minutesBefore);
    if (row !== undefined && row.dueAt.getTime() === reminder.at.getTime()) {
      unchanged.push(reminder.minutesBefore);
      continue;
    }
    const fields = {
      dueAt: reminder.at,
      status: 'PENDING' as const,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      traceparent,
    };
    if (row === undefined) {
      await tx.reminderSchedule.create({
        data: { gameId, reminderMinutes: reminder.minutesBefore, ...fields },
      });
    } else {
      // Waits for a replica holding the row (FOR UPDATE) to finish its batch; its deliveries are
      // committed by then, and belong to the old time.
      await tx.reminderSchedule.update({ where: { id: row.id }, data: fields });
      await tx.reminderDelivery.deleteMany({
        where: { gameId, reminderMinutes: reminder.minutesBefore },
      });
    }
    scheduled.push(reminder.minutesBefore);
  }
  const { count } = await tx.reminderSchedule.deleteMany({
    where: {
      gameId,
      status: { in: ['PENDING', 'PARKED'] },
      reminderMinutes: { notIn: wanted.map((reminder) => reminder.minutesBefore) },
    },
  });
  return { scheduled, unchanged, removed: count };
}

/** Removes the game's pending and parked reminders (a cancelled game reminds no one). */
export async function dropReminderSchedule(
  tx: Prisma.TransactionClient,
  gameId: string,
): Promise<number> {
  const { count } = await tx.reminderSchedule.deleteMany({
    where: { gameId, status: { in: ['PENDING', 'PARKED'] } },
  });
  return count;
}
