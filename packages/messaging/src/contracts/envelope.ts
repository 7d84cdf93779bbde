// The envelope every event travels in, and the union of all known events.
import { z } from 'zod';
import type { EVENT_PAYLOADS, EventType } from './game-events.ts';
import { instant } from './fields.ts';

/** The envelope fields, checked before the payload so the type and version pick the payload schema. */
export const envelopeSchema = z.object({
  /** The message id: unique per event, the idempotency key of every consumer. */
  id: z.uuid(),
  type: z.string().min(1),
  version: z.int().positive(),
  occurredAt: instant,
  payload: z.unknown(),
});

type PayloadSchemas = typeof EVENT_PAYLOADS;

export interface EventEnvelope<T extends string, V extends number, P> {
  id: string;
  type: T;
  version: V;
  occurredAt: string;
  payload: P;
}

/** Every known (type, version) pair as one discriminated union. */
export type DomainEvent = {
  [T in EventType]: {
    [V in keyof PayloadSchemas[T] & number]: EventEnvelope<T, V, z.infer<PayloadSchemas[T][V]>>;
  }[keyof PayloadSchemas[T] & number];
}[EventType];

/** The event of one type (any version). */
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/** The payload of the current (version 1) event of a type. */
export type PayloadOf<T extends EventType> = z.input<PayloadSchemas[T][1]>;
