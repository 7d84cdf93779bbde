import { trace, type Tracer } from '@opentelemetry/api';

export const TRACER_NAME = '@game-scheduler/telemetry';

/** The tracer for our own spans (a no-op tracer while telemetry is off). */
export function getTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}
