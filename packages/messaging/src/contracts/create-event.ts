import { randomUUID } from 'node:crypto';
import type { EventOf, PayloadOf } from './envelope.ts';
import type { EventType } from './game-events.ts';
import { parseEvent } from './parse-event.ts';

/**
 * Builds a validated event of the current version (1) with a fresh message id. Throws like
 * `parseEvent` when the payload breaks the contract, so an invalid event never reaches the outbox.
 */
export function createEvent<T extends EventType>(
  type: T,
  payload: PayloadOf<T>,
  options: { id?: string; occurredAt?: Date } = {},
): EventOf<T> {
  const event = parseEvent({
    id: options.id ?? randomUUID(),
    type,
    version: 1,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    payload,
  });
  return event as EventOf<T>;
}
