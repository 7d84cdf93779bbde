// How an event is stored in packages/db's `outbox` table: `id` = the event id, `event_type` = its
// type, `payload` = the whole envelope (so the version travels with it), `headers` = the W3C trace
// context of the writing request. Writers and the relay both go through this file.
import { context, type Context } from '@opentelemetry/api';
import type { Prisma } from '@game-scheduler/db';
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

/**
 * Writes `event` to the outbox inside the caller's transaction (the one that makes the change the
 * event describes), with the active trace context. The insert trigger wakes the relay on commit.
 */
export async function writeOutboxEvent(
  tx: Prisma.TransactionClient,
  event: DomainEvent,
  traceContext: Context = context.active(),
): Promise<void> {
  const checked = parseEvent(event);
  const headers: MessageHeaders = {};
  injectTraceContext(headers, traceContext);
  await tx.outboxEvent.create({
    data: {
      id: checked.id,
      eventType: checked.type,
      payload: checked as unknown as Prisma.InputJsonValue,
      headers: headers as Prisma.InputJsonValue,
      createdAt: nextCreatedAt(),
    },
  });
}
