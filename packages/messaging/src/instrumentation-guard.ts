// This package creates the PRODUCER and CONSUMER spans and carries the trace context itself. The
// @opentelemetry/instrumentation-amqplib package does the same when enabled, which would give every
// message two publish spans, two consumer spans and an overwritten `traceparent`. It must be disabled
// in the OpenTelemetry bootstrap; this guard fails fast if it is not.
import { DomainError } from '@game-scheduler/domain';

interface MaybeWrapped {
  __wrapped?: unknown;
}

/** Throws (INTERNAL) when the channel's publish/consume were patched by shimmer. */
export function assertNotAutoInstrumented(channel: object): void {
  const methods = ['publish', 'consume'] as const;
  for (const method of methods) {
    const fn = (channel as Partial<Record<string, MaybeWrapped>>)[method];
    if (fn?.__wrapped === true) {
      throw new DomainError(
        'INTERNAL',
        `amqplib's ${method} is patched by an OpenTelemetry instrumentation; disable ` +
          `@opentelemetry/instrumentation-amqplib: @game-scheduler/messaging traces messages itself`,
      );
    }
  }
}
