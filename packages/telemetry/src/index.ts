export { initTelemetry, currentTelemetry } from './init.ts';
export type { TelemetryHandle, TelemetryOptions } from './init.ts';
export {
  shutdownTelemetry,
  installShutdown,
  onShutdown,
  runShutdown,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
} from './shutdown.ts';
export type { InstallShutdownOptions, ShutdownHandler } from './shutdown.ts';
export { createLogger, traceFields } from './logger.ts';
export { runService } from './run-service.ts';
export type { RunServiceOptions, ServiceConfig } from './run-service.ts';
export {
  checkReadiness,
  isReadinessRequest,
  startReadinessServer,
  READINESS_CHECK_TIMEOUT_MS,
} from './readiness.ts';
export type {
  DependencyState,
  ReadinessBody,
  ReadinessCheck,
  ReadinessReport,
  ReadinessServer,
  ReadinessServerOptions,
} from './readiness.ts';
export type { CreateLoggerOptions, Logger } from './logger.ts';
export { withSpan, recordError, untraced } from './span-helpers.ts';
export type { WithSpanOptions } from './span-helpers.ts';
export {
  currentTraceparent,
  formatTraceparent,
  parseTraceparent,
  startLinkedRootSpan,
} from './trace-link.ts';
export { getTracer, TRACER_NAME } from './tracer.ts';
export {
  getMeter,
  METER_NAME,
  createCounter,
  createGauge,
  createHistogram,
  createObservableGauge,
  createUpDownCounter,
} from './metrics.ts';
export {
  Attr,
  AttrValues,
  InstrumentationMetrics,
  Metrics,
  SpanNames,
  allMetricDefinitions,
} from './names.ts';
export type { AttrKey, InstrumentKind, MetricDefinition, MetricName, SpanName } from './names.ts';
export { createMetricViews, CARDINALITY_LIMIT } from './views.ts';
export { redactString, redactText, registerSecret, REDACTED } from './redact.ts';
export { readTelemetryEnv, DEFAULT_OTLP_ENDPOINT } from './otel-env.ts';
export type { FastifySpans, TelemetryEnv } from './otel-env.ts';
