// An in-process meter for tests: data points recorded since the last collect, by instrument.
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

export interface Point {
  readonly attributes: Record<string, unknown>;
  readonly value: unknown;
}

export interface TestMetrics {
  /** Data points recorded since the last call, for the instrument `name`. */
  collect(name: string): Promise<Point[]>;
  /** Forgets what was recorded so far. */
  reset(): Promise<void>;
  shutdown(): Promise<void>;
}

export function installTestMetrics(): TestMetrics {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  const collected = new Map<string, Point[]>();
  async function flush(): Promise<void> {
    await reader.forceFlush();
    for (const metric of exporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))) {
      const points = collected.get(metric.descriptor.name) ?? [];
      for (const point of metric.dataPoints as Point[]) {
        points.push({ attributes: { ...point.attributes }, value: point.value });
      }
      collected.set(metric.descriptor.name, points);
    }
    exporter.reset();
  }
  return {
    async collect(name) {
      await flush();
      const points = collected.get(name) ?? [];
      collected.delete(name);
      return points;
    },
    async reset() {
      await flush();
      collected.clear();
    },
    async shutdown() {
      await provider.shutdown();
      metrics.disable();
    },
  };
}
