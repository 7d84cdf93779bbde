// How an event is stored in packages/db's `outbox` table: `id` = the event id, `event_type` = its
// type, `payload` = the whole envelope (so the version travels with it), `headers` = the W3C trace
// context of the writing request. Writers and the relay both go through this file.
import { context, type Context } from '@opentelemetry/api';
import { Prisma } from '@game-scheduler/db';
import type { DomainEvent } from '../contracts/envelope.ts';
import { parseEvent } from '../contracts/parse-event.ts';
import type { MessageHeaders } from '../headers.ts';
import { injectTraceContext } from '../trace-context.ts';

/** Set on a row whose stored event can never be published (it breaks its contract). */
export const REJECTED_HEADER = 'x-gs-rejected';

let lastWrittenAt = 0;

/**
 * The relay publishes in `created_at` order, and rows of one transaction would otherwise share its
 * start time: hand out strictly increasing milliseconds within this process. (Strict order across
 * processes would need a sequence column on the outbox table.)
 */
function nextCreatedAt(): Date {
  lastWrittenAt = Math.max(Date.now(), lastWrittenAt + 1);
  return new Date(lastWrittenAt);
}

interface OutboxRowData {
  id: string;
  eventType: string;
  payload: DomainEvent;
  headers: MessageHeaders;
  createdAt: Date;
}

/** The row that stores `event`: validated against its contract, with the trace context's headers. */
function outboxRowOf(event: DomainEvent, traceContext: Context): OutboxRowData {
  const checked = parseEvent(event);
  const headers: MessageHeaders = {};
  injectTraceContext(headers, traceContext);
  return {
    id: checked.id,
    eventType: checked.type,
    payload: checked,
    headers,
    createdAt: nextCreatedAt(),
  };
}

/**
 * Writes `event` to the outbox inside the caller's transaction (the one that makes the change the
 * event describes), with the active trace context. The insert trigger wakes the relay on commit.
 */
export async function writeOutboxEvent(
  tx: Prisma.TransactionClient,
  event: DomainEvent,
  traceContext: Context = context.active(),
): Promise<void> {
  const row = outboxRowOf(event, traceContext);
  await tx.outboxEvent.create({
    data: {
      ...row,
      payload: row.payload as unknown as Prisma.InputJsonValue,
      headers: row.headers as Prisma.InputJsonValue,
    },
  });
}

/**
 * The same row as an `INSERT INTO outbox …` statement, for a writer that makes its change and
 * stores the event in ONE statement (a data-modifying CTE: `WITH change AS (…), event AS (${…})`),
 * in the same transaction as writeOutboxEvent would be.
 */
export function outboxInsert(
  event: DomainEvent,
  traceContext: Context = context.active(),
): Prisma.Sql {
  const row = outboxRowOf(event, traceContext);
  return Prisma.sql`INSERT INTO outbox (id, event_type, payload, headers, created_at)
    VALUES (${row.id}::uuid, ${row.eventType}, ${JSON.stringify(row.payload)}::jsonb,
            ${JSON.stringify(row.headers)}::jsonb, ${row.createdAt}::timestamptz)`;
}
