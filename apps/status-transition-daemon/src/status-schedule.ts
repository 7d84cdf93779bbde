// Keeping a game's status_schedule rows in step with the game: one PENDING row per timed transition
// still ahead (IN_PROGRESS at the start, COMPLETED at start + duration), built from the game row
// itself — the source of truth — so a replayed or out-of-order event can never install stale times.
import type { Prisma } from '@game-scheduler/db';
import { isGameStatus, remainingTransitions } from '@game-scheduler/domain';

export interface ScheduleChange {
  /** Targets whose row was created or moved. */
  readonly scheduled: readonly string[];
  /** Pending or parked rows removed. */
  readonly removed: number;
}

/**
 * Creates or moves the game's pending rows and removes those no longer ahead (e.g. the game was
 * cancelled or completed). Rows already applied stay as history. `traceparent` is stored on the rows
 * written, for the span link of the scheduled job.
 */
export async function rebuildStatusSchedule(
  tx: Prisma.TransactionClient,
  gameId: string,
  traceparent: string | null,
  now: Date,
): Promise<ScheduleChange> {
  const game = await tx.game.findUnique({
    where: { id: gameId },
    select: { status: true, startsAt: true, durationMinutes: true },
  });
  const transitions =
    game === null || !isGameStatus(game.status) ? [] : remainingTransitions(game, now);
  const scheduled: string[] = [];
  for (const transition of transitions) {
    const fields = {
      dueAt: transition.at,
      status: 'PENDING' as const,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      traceparent,
    };
    await tx.statusSchedule.upsert({
      where: { gameId_targetStatus: { gameId, targetStatus: transition.to } },
      create: { gameId, targetStatus: transition.to, ...fields },
      update: fields,
    });
    scheduled.push(transition.to);
  }
  const { count } = await tx.statusSchedule.deleteMany({
    where: {
      gameId,
      status: { in: ['PENDING', 'PARKED'] },
      targetStatus: { notIn: transitions.map((transition) => transition.to) },
    },
  });
  return { scheduled, removed: count };
}

/** Removes the game's pending and parked rows (a cancelled game moves no further). */
export async function dropStatusSchedule(
  tx: Prisma.TransactionClient,
  gameId: string,
): Promise<number> {
  const { count } = await tx.statusSchedule.deleteMany({
    where: { gameId, status: { in: ['PENDING', 'PARKED'] } },
  });
  return count;
}
