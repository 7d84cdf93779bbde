// Guards around the OTLP exporters: a collector that is down or slow is reported ONCE (and once more
// when it recovers) instead of once per export.
import { ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { redactText } from './redact.ts';

export type HealthReport = (
  level: 'warn' | 'info',
  message: string,
  fields: Record<string, unknown>,
) => void;

/** Tracks one signal's export health and reports transitions only. */
export class ExportHealth {
  private healthy = true;
  private readonly signal: string;
  private readonly endpoint: string;
  private readonly report: HealthReport;

  constructor(signal: string, endpoint: string, report: HealthReport) {
    this.signal = signal;
    this.endpoint = endpoint;
    this.report = report;
  }

  observe(result: { readonly code: number; readonly error?: Error }): void {
    if (result.code === (ExportResultCode.SUCCESS as number)) {
      if (!this.healthy) {
        this.healthy = true;
        this.report('info', `OpenTelemetry ${this.signal} export recovered`, {
          signal: this.signal,
          endpoint: this.endpoint,
        });
      }
      return;
    }
    if (this.healthy) {
      this.healthy = false;
      this.report(
        'warn',
        `OpenTelemetry ${this.signal} export failing; dropping ${this.signal} until the collector answers`,
        {
          signal: this.signal,
          endpoint: this.endpoint,
          error: redactText(result.error?.message ?? 'unknown error'),
        },
      );
    }
  }
}

export function guardLogExporter(
  inner: LogRecordExporter,
  endpoint: string,
  report: HealthReport,
): LogRecordExporter {
  const health = new ExportHealth('logs', endpoint, report);
  return {
    export(records: ReadableLogRecord[], done) {
      inner.export(records, (result) => {
        health.observe(result);
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: async () => {
      await inner.forceFlush();
    },
  };
}

export function guardMetricExporter(
  inner: PushMetricExporter,
  endpoint: string,
  report: HealthReport,
): PushMetricExporter {
  const health = new ExportHealth('metrics', endpoint, report);
  const guarded: PushMetricExporter = {
    export(metrics: ResourceMetrics, done) {
      inner.export(metrics, (result) => {
        health.observe(result);
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush(),
  };
  if (inner.selectAggregationTemporality !== undefined) {
    guarded.selectAggregationTemporality = inner.selectAggregationTemporality.bind(inner);
  }
  if (inner.selectAggregation !== undefined) {
    guarded.selectAggregation = inner.selectAggregation.bind(inner);
  }
  return guarded;
}
