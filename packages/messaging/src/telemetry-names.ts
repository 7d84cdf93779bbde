// TEMPORARY home of the telemetry names this package uses. The project declares every span name and
// attribute key once, in packages/telemetry's registry (src/names.ts), which had not been committed
// when this package was written. The values below match that registry as drafted (SpanNames.eventProcess,
// Attr.eventType, Attr.retryAttempt, ...); `eventPublish` and `consumerOutcome` still have to be added
// there. When it lands, import from `@game-scheduler/telemetry` and delete this file: the names must
// not live in two places.

/** Instrumentation scope of the spans this package creates. */
export const MESSAGING_TRACER_NAME = '@game-scheduler/messaging';

/** Low-cardinality span names; the event type is an attribute. */
export const spanNames = {
  /** PRODUCER span around one confirmed publish (to be added to the registry as `eventPublish`). */
  eventPublish: 'event.publish',
  /** CONSUMER span around handling one consumed domain event (registry: `SpanNames.eventProcess`). */
  eventProcess: 'event.process',
} as const;

export const attributeKeys = {
  messagingSystem: 'messaging.system',
  messagingDestinationName: 'messaging.destination.name',
  messagingMessageId: 'messaging.message.id',
  messagingOperationType: 'messaging.operation.type',
  eventType: 'messaging.event.type',
  eventVersion: 'messaging.event.version',
  /** 1 for the first delivery, then counting our retries (registry: `Attr.retryAttempt`). */
  retryAttempt: 'messaging.retry.attempt',
  /** What the consumer did: `acked`, `duplicate`, `retried` or `dead_lettered` (to be added). */
  consumerOutcome: 'messaging.consumer.outcome',
} as const;
