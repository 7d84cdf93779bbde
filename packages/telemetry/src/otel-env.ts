// The only place in the project that reads OTEL_* variables. Everything else receives a TelemetryEnv.

export interface TelemetryEnv {
  readonly sdkDisabled: boolean;
  readonly serviceName: string | undefined;
  /** Base OTLP/HTTP endpoint, without the /v1/<signal> suffix. */
  readonly endpoint: string;
  readonly metricExportIntervalMillis: number;
  readonly metricExportTimeoutMillis: number;
  readonly spanScheduleDelayMillis: number;
  readonly spanMaxQueueSize: number;
  readonly spanMaxExportBatchSize: number;
  readonly logScheduleDelayMillis: number;
  readonly logMaxQueueSize: number;
  readonly logMaxExportBatchSize: number;
  readonly exportTimeoutMillis: number;
  /** How a fastify request is traced (OTEL_FASTIFY_SPANS): see instrumentations.ts. */
  readonly fastifySpans: FastifySpans;
  /** Parsed OTEL_RESOURCE_ATTRIBUTES. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** False when OTEL_<SIGNAL>_EXPORTER is `none`. */
  readonly signals: { readonly traces: boolean; readonly metrics: boolean; readonly logs: boolean };
}

export type FastifySpans = 'route' | 'request' | 'all';

export const DEFAULT_OTLP_ENDPOINT = 'http://grafana-alloy:4318';

type Env = Readonly<Record<string, string | undefined>>;

function positiveInt(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function fastifySpans(raw: string | undefined): FastifySpans {
  return raw === 'request' || raw === 'all' ? raw : 'route';
}

function resourceAttributes(raw: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    try {
      const key = decodeURIComponent(pair.slice(0, separator).trim());
      const value = decodeURIComponent(pair.slice(separator + 1).trim());
      if (key !== '') attributes[key] = value;
    } catch {
      // malformed percent-encoding: skip the pair, as the SDK does
    }
  }
  return attributes;
}

function signalEnabled(raw: string | undefined): boolean {
  return !(raw ?? '').split(',').some((value) => value.trim().toLowerCase() === 'none');
}

/** Reads the telemetry settings from an environment (process.env unless one is given). */
export function readTelemetryEnv(env: Env = process.env): TelemetryEnv {
  const endpoint = (env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || DEFAULT_OTLP_ENDPOINT).replace(
    /\/+$/,
    '',
  );
  return {
    sdkDisabled: env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true',
    serviceName: env['OTEL_SERVICE_NAME']?.trim() || undefined,
    endpoint,
    metricExportIntervalMillis: positiveInt(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000),
    metricExportTimeoutMillis: positiveInt(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 5_000),
    spanScheduleDelayMillis: positiveInt(env, 'OTEL_BSP_SCHEDULE_DELAY', 1_000),
    spanMaxQueueSize: positiveInt(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2_048),
    spanMaxExportBatchSize: positiveInt(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 64),
    logScheduleDelayMillis: positiveInt(env, 'OTEL_BLRP_SCHEDULE_DELAY', 1_000),
    logMaxQueueSize: positiveInt(env, 'OTEL_BLRP_MAX_QUEUE_SIZE', 2_048),
    logMaxExportBatchSize: positiveInt(env, 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', 256),
    exportTimeoutMillis: positiveInt(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 5_000),
    fastifySpans: fastifySpans(env['OTEL_FASTIFY_SPANS']?.trim()),
    resourceAttributes: resourceAttributes(env['OTEL_RESOURCE_ATTRIBUTES']),
    signals: {
      traces: signalEnabled(env['OTEL_TRACES_EXPORTER']),
      metrics: signalEnabled(env['OTEL_METRICS_EXPORTER']),
      logs: signalEnabled(env['OTEL_LOGS_EXPORTER']),
    },
  };
}
