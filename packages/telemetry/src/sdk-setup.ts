// Builds and starts the NodeSDK (loaded by init.ts only when telemetry is enabled, so a disabled
// service never loads the SDK, the exporters or the instrumentations).
import { randomUUID } from 'node:crypto';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { Logger } from 'pino';
import { guardLogExporter, guardMetricExporter, type HealthReport } from './export-health.ts';
import { installEsmHooks } from './esm-hooks.ts';
import { instrumentNewFastifyInstances } from './fastify-server-spans.ts';
import { fastMetrics } from './histograms.ts';
import type { TelemetryOptions } from './init.ts';
import { HOOKED_MODULES, createInstrumentations } from './instrumentations.ts';
import { OtlpSpanProcessor } from './otlp-span-processor.ts';
import type { TelemetryEnv } from './otel-env.ts';
import { state } from './state.ts';
import { CARDINALITY_LIMIT, createMetricViews } from './views.ts';

/** Starts the SDK; resolves with the telemetry package's own logger once everything runs. */
export async function startSdk(
  serviceName: string,
  options: TelemetryOptions,
  env: TelemetryEnv,
): Promise<Logger> {
  const waitForHooks =
    options.esmHooks === false ? () => Promise.resolve() : installEsmHooks(HOOKED_MODULES);

  const resource = {
    ...env.resourceAttributes,
    'service.name': serviceName,
    'service.version':
      options.serviceVersion ?? env.resourceAttributes['service.version'] ?? 'unknown',
    'deployment.environment.name':
      options.environment ?? env.resourceAttributes['deployment.environment.name'] ?? 'development',
    'service.instance.id': env.resourceAttributes['service.instance.id'] ?? randomUUID(),
  };

  // The logger is created after the SDK starts (so pino is loaded patched); exporter trouble that
  // happens before that is still reported.
  const reporting: { logger?: Logger } = {};
  const report: HealthReport = (level, message, fields) => {
    reporting.logger?.[level](fields, message);
  };

  const fastifySpans = options.fastifySpans ?? env.fastifySpans;
  const instrumentations = await createInstrumentations(fastifySpans);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes(resource),
    autoDetectResources: false,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    instrumentations,
    views: createMetricViews(),
    spanProcessors: env.signals.traces
      ? [
          new OtlpSpanProcessor({
            endpoint: env.endpoint,
            resource,
            exportTimeoutMillis: env.exportTimeoutMillis,
            scheduledDelayMillis: env.spanScheduleDelayMillis,
            maxQueueSize: env.spanMaxQueueSize,
            maxExportBatchSize: env.spanMaxExportBatchSize,
            report,
          }),
        ]
      : [],
    metricReaders: env.signals.metrics
      ? [
          new PeriodicExportingMetricReader({
            exporter: guardMetricExporter(
              new OTLPMetricExporter({
                url: `${env.endpoint}/v1/metrics`,
                timeoutMillis: env.exportTimeoutMillis,
              }),
              env.endpoint,
              report,
            ),
            // histograms.ts: the per-request histograms and our counters, recorded without the
            // SDK's attribute hashing
            metricProducers: [fastMetrics],
            exportIntervalMillis: env.metricExportIntervalMillis,
            exportTimeoutMillis: Math.min(
              env.metricExportTimeoutMillis,
              env.metricExportIntervalMillis,
            ),
            cardinalityLimits: {
              counter: CARDINALITY_LIMIT,
              gauge: CARDINALITY_LIMIT,
              histogram: CARDINALITY_LIMIT,
              upDownCounter: CARDINALITY_LIMIT,
              observableCounter: CARDINALITY_LIMIT,
              observableGauge: CARDINALITY_LIMIT,
              observableUpDownCounter: CARDINALITY_LIMIT,
            },
          }),
        ]
      : [],
    logRecordProcessors: env.signals.logs
      ? [
          new BatchLogRecordProcessor({
            exporter: guardLogExporter(
              new OTLPLogExporter({
                url: `${env.endpoint}/v1/logs`,
                timeoutMillis: env.exportTimeoutMillis,
              }),
              env.endpoint,
              report,
            ),
            scheduledDelayMillis: env.logScheduleDelayMillis,
            maxQueueSize: env.logMaxQueueSize,
            maxExportBatchSize: env.logMaxExportBatchSize,
            exportTimeoutMillis: env.exportTimeoutMillis + 1_000,
          }),
        ]
      : [],
  });
  sdk.start();
  // Counters go through histograms.ts's series, collected by the reader above; without a reader
  // (OTEL_METRICS_EXPORTER=none) they stay the SDK's, which then records nothing.
  state.fastMetrics = env.signals.metrics;
  if (fastifySpans === 'route') instrumentNewFastifyInstances();
  await waitForHooks();

  state.flushers.push({ name: 'sdk', run: () => sdk.shutdown() });
  if (env.signals.logs) {
    state.logExport = {
      endpoint: env.endpoint,
      resource,
      scheduleDelayMillis: env.logScheduleDelayMillis,
      maxQueueSize: env.logMaxQueueSize,
      maxExportBatchSize: env.logMaxExportBatchSize,
      exportTimeoutMillis: env.exportTimeoutMillis,
    };
  }

  const [{ createLogger }, { installDiagLogger }] = await Promise.all([
    import('./logger.ts'),
    import('./diag-logger.ts'),
  ]);
  const logger = createLogger({ name: 'telemetry' });
  reporting.logger = logger;
  installDiagLogger(logger);
  const fields = { serviceName, endpoint: env.endpoint };
  if (env.signals.traces)
    logger.info({ ...fields, fastifySpans }, 'OpenTelemetry tracing initialized');
  if (env.signals.metrics) {
    logger.info(
      { ...fields, exportIntervalMillis: env.metricExportIntervalMillis },
      'OpenTelemetry metrics initialized',
    );
  }
  if (env.signals.logs) logger.info(fields, 'OpenTelemetry logging initialized');
  return logger;
}
