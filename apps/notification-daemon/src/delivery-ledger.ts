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
import type { SqlClient } from '@game-scheduler/scheduler';

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
  /**
   * Records the intent to send for every key in ONE statement; returns the users whose intent is
   * new. A user missing from the answer had an intent on record already (a send may have happened).
   */
  recordIntents(keys: readonly DeliveryKey[]): Promise<Set<string>>;
  /** Records the deliveries of one reminder in ONE statement (idempotent). */
  recordDeliveries(
    deliveries: readonly { readonly key: DeliveryKey; readonly method: DeliveryMethod }[],
  ): Promise<void>;
}

export function intentId(key: DeliveryKey): string {
  return `${key.gameId}:${String(key.reminderMinutes)}:${String(key.dueAt.getTime())}:${key.userId}`;
}

/** The ledger over plain SQL outside any transaction (each statement commits on its own). */
export function createDeliveryLedger(sql: SqlClient): DeliveryLedger {
  return {
    async recordIntents(keys) {
      if (keys.length === 0) return new Set();
      const users = new Map(keys.map((key) => [intentId(key), key.userId]));
      const inserted = await sql.query<{ message_id: string }>(
        `INSERT INTO processed_messages (consumer, message_id)
         SELECT $1, id FROM unnest($2::text[]) AS id
         ON CONFLICT DO NOTHING
         RETURNING message_id`,
        [INTENT_CONSUMER, [...users.keys()]],
      );
      return new Set(inserted.map((row) => users.get(row.message_id) ?? ''));
    },
    async recordDeliveries(deliveries) {
      if (deliveries.length === 0) return;
      await sql.execute(
        `INSERT INTO reminder_deliveries (game_id, reminder_minutes, user_id, method)
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]::delivery_method[])
         ON CONFLICT DO NOTHING`,
        [
          deliveries.map(({ key }) => key.gameId),
          deliveries.map(({ key }) => key.reminderMinutes),
          deliveries.map(({ key }) => key.userId),
          deliveries.map(({ method }) => method),
        ],
      );
    },
  };
}
