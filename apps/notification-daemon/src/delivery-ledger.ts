// Where deliveries are remembered, OUTSIDE the claiming transaction: each statement commits on its
// own, at once, so what reached Discord is on record even if the batch around it is later rolled
// back (a crash, a lost connection, a timed-out transaction).
//
// Two records per (game, reminder, user):
//   - an intent, written just BEFORE the send: a row in processed_messages (consumer
//     `notification-daemon.reminder`, message id `<game>:<minutes>:<due ms>:<user>`), the project's
//     table of "done once" keys;
//   - the delivery, written just AFTER the send: reminder_deliveries, unique (game, minutes, user).
// An intent without a delivery means a send may have reached Discord before the process died; the
// handler then looks in Discord before sending again (see deliver-reminder.ts).
import type { PrismaClient } from '@game-scheduler/db';

export const INTENT_CONSUMER = 'notification-daemon.reminder';

export type DeliveryMethod = 'DM' | 'CHANNEL_MENTION';

export interface DeliveryKey {
  readonly gameId: string;
  readonly reminderMinutes: number;
  /** The reminder's due time: a moved reminder is a new one. */
  readonly dueAt: Date;
  readonly userId: string;
}

export interface DeliveryLedger {
  /** Users already delivered this reminder. */
  delivered(gameId: string, reminderMinutes: number): Promise<Set<string>>;
  /** Records the intent to send; false when it was recorded before (a send may have happened). */
  recordIntent(key: DeliveryKey): Promise<boolean>;
  /** Records the delivery (idempotent). */
  recordDelivery(key: DeliveryKey, method: DeliveryMethod): Promise<void>;
}

export function intentId(key: DeliveryKey): string {
  return `${key.gameId}:${String(key.reminderMinutes)}:${String(key.dueAt.getTime())}:${key.userId}`;
}

export function createDeliveryLedger(prisma: PrismaClient): DeliveryLedger {
  return {
    async delivered(gameId, reminderMinutes) {
      const rows = await prisma.reminderDelivery.findMany({
        where: { gameId, reminderMinutes },
        select: { userId: true },
      });
      return new Set(rows.map((row) => row.userId));
    },
    async recordIntent(key) {
      const inserted = await prisma.$executeRaw`
        INSERT INTO processed_messages (consumer, message_id)
        VALUES (${INTENT_CONSUMER}, ${intentId(key)})
        ON CONFLICT DO NOTHING`;
      return inserted === 1;
    },
    async recordDelivery(key, method) {
      await prisma.reminderDelivery.createMany({
        data: [
          {
            gameId: key.gameId,
            reminderMinutes: key.reminderMinutes,
            userId: key.userId,
            method,
          },
        ],
        skipDuplicates: true,
      });
    },
  };
}
