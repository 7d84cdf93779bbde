// Test helpers for code that exports OpenTelemetry data: an in-process OTLP/HTTP receiver that decodes
// what services really send and answers questions about it.
export { startOtlpReceiver } from './otlp-receiver.ts';
export type { OtlpReceiver, OtlpReceiverOptions, ReceiverResponse } from './otlp-receiver.ts';
export type {
  CrossServiceEdge,
  TelemetryCounts,
  TelemetryQueries,
  WaitForOptions,
} from './telemetry-store.ts';
export type { LogFilter, MetricFilter, SpanFilter } from './telemetry-filters.ts';
export type { PollOptions } from './poll-until.ts';
export { prometheusBaseName, prometheusSeriesNames } from './prometheus-names.ts';
export type { PrometheusNameInput } from './prometheus-names.ts';
export { otlpProtoDir } from './otlp-schema.ts';
export type * from './captured-types.ts';
export { installTestTracing } from './in-memory-tracing.ts';
export type { TestTracing } from './in-memory-tracing.ts';
export { installTestMetrics } from './in-memory-metrics.ts';
export type { MetricPoint, TestMetrics } from './in-memory-metrics.ts';
