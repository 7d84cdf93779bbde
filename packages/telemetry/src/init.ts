// The one OpenTelemetry bootstrap: NodeSDK with traces, metrics and logs over OTLP/HTTP protobuf,
// our instrumentations (patched under ESM through the loader hook), W3C trace context + baggage,
// bounded exporters, cardinality-bounding views, and a logger line per initialised signal.
import type { Logger } from 'pino';
import { readTelemetryEnv, type FastifySpans, type TelemetryEnv } from './otel-env.ts';
import { state } from './state.ts';

export interface TelemetryOptions {
  /** `service.version`; default from OTEL_RESOURCE_ATTRIBUTES, else `unknown`. */
  readonly serviceVersion?: string;
  /** `deployment.environment.name`; default from OTEL_RESOURCE_ATTRIBUTES, else `development`. */
  readonly environment?: string;
  /** How many spans @fastify/otel records; default OTEL_FASTIFY_SPANS, else `route`. */
  readonly fastifySpans?: FastifySpans;
  /** Register the ESM loader hook (default true; needs to happen before instrumented modules load). */
  readonly esmHooks?: boolean;
  /** Settings to use instead of the process's OTEL_* variables (tests). */
  readonly env?: TelemetryEnv;
}

export interface TelemetryHandle {
  /** False when OTEL_SDK_DISABLED=true: nothing was started. */
  readonly enabled: boolean;
  readonly serviceName: string;
  /** The telemetry package's own logger (also what reports exporter trouble). */
  readonly logger: Logger;
}

let current: Promise<TelemetryHandle> | undefined;

/**
 * Starts OpenTelemetry for this process (once; later calls return the first handle). Call it before
 * importing instrumented modules, or preload `@game-scheduler/telemetry/register` instead.
 */
export function initTelemetry(
  serviceName: string,
  options: TelemetryOptions = {},
): Promise<TelemetryHandle> {
  current ??= start(serviceName, options);
  return current;
}

/** The running telemetry, if initTelemetry was called. */
export function currentTelemetry(): Promise<TelemetryHandle> | undefined {
  return current;
}

async function start(serviceName: string, options: TelemetryOptions): Promise<TelemetryHandle> {
  const env = options.env ?? readTelemetryEnv();
  state.env = env;
  if (env.sdkDisabled) {
    const { createLogger } = await import('./logger.ts');
    return { enabled: false, serviceName, logger: createLogger({ name: 'telemetry' }) };
  }

  // The SDK and instrumentations are loaded only when telemetry is on.
  const { startSdk } = await import('./sdk-setup.ts');
  const logger = await startSdk(serviceName, options, env);
  return { enabled: true, serviceName, logger };
}
