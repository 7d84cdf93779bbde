// The due-row handler: applies a due status transition to its game with the domain status machine,
// writing the new status and a game.status_changed outbox event in the claiming transaction (so the
// transition, the event and the row being marked applied commit together, exactly once).
import { GameStatus as DbGameStatus, type Prisma } from '@game-scheduler/db';
import {
  DomainError,
  assertTransition,
  isGameStatus,
  nextTransition,
  type GameStatus,
} from '@game-scheduler/domain';
import { createEvent, writeOutboxEvent } from '@game-scheduler/messaging';
import type { DueRow, DueRowContext } from '@game-scheduler/scheduler';
import { Attr, Metrics, createCounter } from '@game-scheduler/telemetry';

export type StatusTransitionHandler = (
  row: DueRow,
  context: DueRowContext<Prisma.TransactionClient>,
) => Promise<void>;

interface LockedGame {
  id: string;
  guild_id: string;
  channel_id: string;
  message_id: string | null;
  title: string;
  status: string;
  starts_at: Date;
  duration_minutes: number;
}

const ORDER: Readonly<Record<string, number>> = { IN_PROGRESS: 1, COMPLETED: 2 };

export function createStatusTransitionHandler(
  now: () => Date = () => new Date(),
): StatusTransitionHandler {
  const applied = createCounter(Metrics.gameStatusTransitions);

  return async (row, { tx, sql, span }) => {
    const gameId = String(row.values.game_id);
    const target = String(row.values.target_status);
    span.setAttribute(Attr.gameId, gameId);
    const targetOrder = ORDER[target];
    if (targetOrder === undefined) {
      throw new DomainError('VALIDATION', `Not a timed target status: ${target}`);
    }
    // Locks the game against a concurrent edit for the rest of this transaction.
    const [game] = await sql.query<LockedGame>(
      `SELECT id::text AS id, guild_id, channel_id, message_id, title, status::text AS status,
              starts_at, duration_minutes
         FROM games WHERE id = $1::uuid FOR UPDATE`,
      [gameId],
    );
    if (game === undefined || !isGameStatus(game.status)) return;
    let status: GameStatus = game.status;
    // The row was claimed because it is due by the database clock: judge the game's own times by the
    // later of our clock and the row's due time, so clock skew never skips a transition.
    const at = new Date(Math.max(now().getTime(), row.dueAt.getTime()));
    const timed = { startsAt: new Date(game.starts_at), durationMinutes: game.duration_minutes };
    // One step at a time (a late SCHEDULED game still goes through IN_PROGRESS), up to this row's
    // target. Nothing happens for a cancelled or completed game, or a step already taken.
    for (;;) {
      const next = nextTransition({ status, ...timed }, at);
      const order = next === null ? undefined : ORDER[next.to];
      if (next === null || !next.due || order === undefined || order > targetOrder) break;
      const to = assertTransition(status, next.to);
      const changedAt = now();
      await tx.game.update({
        where: { id: gameId },
        data: { status: DbGameStatus[next.to], updatedAt: changedAt },
      });
      await writeOutboxEvent(
        tx,
        createEvent('game.status_changed', {
          gameId,
          guildId: game.guild_id,
          channelId: game.channel_id,
          announcementMessageId: game.message_id,
          title: game.title,
          from: status,
          to,
          changedAt: changedAt.toISOString(),
        }),
      );
      const transition = `${status}->${to}`;
      span.setAttribute(Attr.gameStatusTransition, transition);
      applied.add(1, { [Attr.gameStatusTransition]: transition });
      status = to;
    }
  };
}
