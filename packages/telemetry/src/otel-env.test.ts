import { describe, expect, it } from 'vitest';
import { DEFAULT_OTLP_ENDPOINT, readTelemetryEnv } from './otel-env.ts';

describe('readTelemetryEnv', () => {
  it('defaults to the local Alloy collector and 60 s metric exports', () => {
    const env = readTelemetryEnv({});
    expect(env.endpoint).toBe(DEFAULT_OTLP_ENDPOINT);
    expect(env.metricExportIntervalMillis).toBe(60_000);
    expect(env.sdkDisabled).toBe(false);
    expect(env.fastifySpans).toBe('route');
  });

  it('reads the standard OTEL_* variables', () => {
    const env = readTelemetryEnv({
      OTEL_SDK_DISABLED: 'TRUE',
      OTEL_SERVICE_NAME: 'api',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.0.0,deployment.environment.name=prod%20eu',
      OTEL_LOGS_EXPORTER: 'none',
    });
    expect(env).toMatchObject({
      sdkDisabled: true,
      serviceName: 'api',
      endpoint: 'http://collector:4318',
      metricExportIntervalMillis: 5000,
      resourceAttributes: { 'service.version': '1.0.0', 'deployment.environment.name': 'prod eu' },
      signals: { traces: true, metrics: true, logs: false },
    });
  });

  it('ignores invalid numbers', () => {
    expect(
      readTelemetryEnv({ OTEL_METRIC_EXPORT_INTERVAL: 'soon' }).metricExportIntervalMillis,
    ).toBe(60_000);
  });
});
