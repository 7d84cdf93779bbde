// The telemetry names this package uses, all from the project's registry in @game-scheduler/telemetry.
import { Attr, AttrValues, SpanNames } from '@game-scheduler/telemetry';

export {
  Attr,
  AttrValues,
  Metrics,
  SpanNames,
  createCounter,
  createHistogram,
  createObservableGauge,
  getMeter,
} from '@game-scheduler/telemetry';

/** Instrumentation scope of the spans and instruments this package creates. */
export const MESSAGING_TRACER_NAME = '@game-scheduler/messaging';

export const spanNames = {
  /** PRODUCER span around one confirmed publish. */
  eventPublish: SpanNames.eventPublish,
  /** CONSUMER span around handling one consumed domain event. */
  eventProcess: SpanNames.eventProcess,
} as const;

/** What the consumer did with a delivery, as the registry's `outcome` attribute. */
export const outcomeValue = {
  acked: AttrValues.outcome.success,
  duplicate: AttrValues.outcome.success,
  retried: AttrValues.outcome.error,
  dead_lettered: AttrValues.outcome.rejected,
} as const;

export const attributeKeys = {
  messagingSystem: Attr.messagingSystem,
  messagingDestinationName: Attr.messagingDestinationName,
  messagingMessageId: Attr.messagingMessageId,
  messagingOperationType: Attr.messagingOperationType,
  eventType: Attr.eventType,
  eventVersion: Attr.eventVersion,
  retryAttempt: Attr.retryAttempt,
  messagingQueueKind: Attr.messagingQueueKind,
  outcome: Attr.outcome,
} as const;
