// Message headers this package writes and reads, besides the W3C trace context.

export const HEADERS = {
  /** Attempt number of the delivery: absent or 1 on the first, incremented on each retry. */
  attempt: 'x-gs-attempt',
  /** Why a message was parked in the dead-letter queue. */
  deadLetterReason: 'x-gs-dead-letter-reason',
  /** `CONTRACT_*` (rejected without retries) or `HANDLER_FAILED` (failed every attempt). */
  deadLetterCode: 'x-gs-dead-letter-code',
  /** The queue the message was consumed from when it was parked or retried. */
  sourceQueue: 'x-gs-source-queue',
  /** The routing key the event was published with (retries go through the default exchange). */
  routingKey: 'x-gs-routing-key',
} as const;

export type MessageHeaders = Record<string, unknown>;

/** The attempt number carried by a message, 1 when absent or malformed. */
export function attemptOf(headers: MessageHeaders | undefined): number {
  const value = headers?.[HEADERS.attempt];
  const attempt = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}
