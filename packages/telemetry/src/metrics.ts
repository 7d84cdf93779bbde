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
import { createFastCounter } from './histograms.ts';
import { METER_NAME, type MetricDefinition } from './names.ts';
import { state } from './state.ts';

export { METER_NAME };

/** The meter for our own instruments (a no-op meter while telemetry is off). */
export function getMeter(): Meter {
  return metrics.getMeter(METER_NAME);
}

function options(definition: MetricDefinition): { unit: string; description: string } {
  return { unit: definition.unit, description: definition.description };
}

/**
 * A counter on our meter, or on `meter` when one is given. While the SDK runs (sdk-setup.ts) ours
 * is recorded through cached series (histograms.ts) rather than the SDK hashing the attribute set
 * on every add; before it starts, with telemetry off, and in tests on their own meter provider it
 * is the meter's own.
 */
export function createCounter(
  definition: MetricDefinition & { kind: 'counter' },
  meter?: Meter,
): Counter {
  if (meter === undefined && state.fastMetrics) return createFastCounter(definition);
  return (meter ?? getMeter()).createCounter(definition.name, options(definition));
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
