// An in-process meter for tests that do not start a service: installed as the global meter provider
// with the project's views (so the attribute allow-lists apply as in production), read on demand.
// Observable instruments run their callbacks at each read.
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createMetricViews } from '../views.ts';

export interface MetricPoint {
  readonly attributes: Record<string, unknown>;
  /** A number for sums and gauges; the histogram's data for histograms. */
  readonly value: unknown;
}

export interface TestMetrics {
  /** Collects now (cumulative since install) and returns the points of the instrument `name`. */
  read(name: string): Promise<MetricPoint[]>;
  /** The unit the instrument `name` was created with, undefined when it has no points. */
  unit(name: string): Promise<string | undefined>;
  shutdown(): Promise<void>;
}

class OnDemandReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export function installTestMetrics(): TestMetrics {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader], views: createMetricViews() });
  metrics.setGlobalMeterProvider(provider);

  async function find(name: string) {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, 'metric collection failed');
    return resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === name);
  }

  return {
    async read(name) {
      const metric = await find(name);
      return (metric?.dataPoints ?? []).map((point) => ({
        attributes: { ...point.attributes },
        value: point.value,
      }));
    },
    async unit(name) {
      return (await find(name))?.descriptor.unit;
    },
    async shutdown() {
      await provider.shutdown();
      metrics.disable();
    },
  };
}
