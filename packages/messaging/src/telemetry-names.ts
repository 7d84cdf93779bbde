// TEMPORARY home of the telemetry names this package uses. The project declares every span name and
// custom attribute once, in packages/telemetry's registry (src/names.ts); that registry had not landed
// when this package was written. When it lands, move these names there, import them from
// `@game-scheduler/telemetry` and delete this file: the names must not live in two places.

/** Instrumentation scope of the spans this package creates. */
export const MESSAGING_TRACER_NAME = '@game-scheduler/messaging';

/** Span names: `publish <event type>` and `process <event type>` (event types are a closed set). */
export const spanNames = {
  publish: (eventType: string): string => `publish ${eventType}`,
  process: (eventType: string): string => `process ${eventType}`,
  /** A delivery whose type is not a known contract (it is dead-lettered). */
  processInvalid: 'process invalid',
} as const;

/** OpenTelemetry messaging semantic-convention attributes (stable names, not ours). */
export const messagingAttributes = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destinationName: 'messaging.destination.name',
  routingKey: 'messaging.rabbitmq.destination.routing_key',
  messageId: 'messaging.message.id',
  consumerGroup: 'messaging.consumer.group.name',
  deliveryTag: 'messaging.rabbitmq.message.delivery_tag',
} as const;

/** Custom attributes of this project. */
export const gameSchedulerMessagingAttributes = {
  eventType: 'game_scheduler.event.type',
  eventVersion: 'game_scheduler.event.version',
  /** 1 for the first delivery, then counting our retries. */
  deliveryAttempt: 'game_scheduler.message.attempt',
  /** What the consumer did: `acked`, `duplicate`, `retried` or `dead_lettered`. */
  outcome: 'game_scheduler.message.outcome',
} as const;
