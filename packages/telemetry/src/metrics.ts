// Creating our instruments from their registry definitions, so names, units and descriptions are
// declared only in names.ts.
import {
  metrics,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type ObservableGauge,
  type UpDownCounter,
} from '@opentelemetry/api';
import type { MetricDefinition } from './names.ts';

export const METER_NAME = '@game-scheduler/telemetry';

/** The meter for our own instruments (a no-op meter while telemetry is off). */
export function getMeter(): Meter {
  return metrics.getMeter(METER_NAME);
}

function options(definition: MetricDefinition): { unit: string; description: string } {
  return { unit: definition.unit, description: definition.description };
}

export function createCounter(
  definition: MetricDefinition & { kind: 'counter' },
  meter: Meter = getMeter(),
): Counter {
  return meter.createCounter(definition.name, options(definition));
}

export function createUpDownCounter(
  definition: MetricDefinition & { kind: 'up_down_counter' },
  meter: Meter = getMeter(),
): UpDownCounter {
  return meter.createUpDownCounter(definition.name, options(definition));
}

export function createHistogram(
  definition: MetricDefinition & { kind: 'histogram' },
  meter: Meter = getMeter(),
): Histogram {
  return meter.createHistogram(definition.name, {
    ...options(definition),
    ...(definition.buckets === undefined
      ? {}
      : { advice: { explicitBucketBoundaries: [...definition.buckets] } }),
  });
}

export function createGauge(
  definition: MetricDefinition & { kind: 'gauge' },
  meter: Meter = getMeter(),
): Gauge {
  return meter.createGauge(definition.name, options(definition));
}

/** A gauge read by callbacks at each collection (queue depths, pending rows). */
export function createObservableGauge(
  definition: MetricDefinition & { kind: 'observable_gauge' },
  meter: Meter = getMeter(),
): ObservableGauge {
  return meter.createObservableGauge(definition.name, options(definition));
}
