// Process-wide telemetry state shared by the bootstrap, the logger and shutdown.
import type { TelemetryEnv } from './otel-env.ts';

export interface LogExportSettings {
  readonly endpoint: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly scheduleDelayMillis: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly exportTimeoutMillis: number;
}

export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<void>;
}

interface TelemetryState {
  env: TelemetryEnv | undefined;
  /** Set while the SDK runs: where pino loggers ship their OTLP logs. */
  logExport: LogExportSettings | undefined;
  /** Flushes of the SDK and of the log transport, run by shutdownTelemetry(). */
  flushers: ShutdownStep[];
  /** Set while the SDK runs: counters are recorded through histograms.ts's series (metrics.ts). */
  fastMetrics: boolean;
}

export const state: TelemetryState = {
  env: undefined,
  logExport: undefined,
  flushers: [],
  fastMetrics: false,
};
