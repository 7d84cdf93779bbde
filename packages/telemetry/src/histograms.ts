// Histograms recorded on every request (the HTTP server duration, a query's duration) at a
// fraction of the SDK's cost. The SDK's Histogram.record runs the view's attribute filter and hashes
// the attribute set on every call (its keys sorted and serialised) to find the series: ~1.8 µs a
// record measured in-process, on every request of a route that itself costs ~50 µs. Here the caller
// names the series with a string it builds cheaply; the attribute set is made, filtered and stored
// once, the first time that key is seen, and a record is a bucket search and four additions.
//
// Our counters (FastCounter below) are recorded the same way while the SDK runs.
//
// The series are handed to the SDK's metric reader as an extra MetricProducer (sdk-setup.ts), so
// they are exported with everything else: cumulative, explicit buckets from names.ts, at most
// CARDINALITY_LIMIT series per instrument (more land in one overflow series, as the SDK does).
import { ValueType, type Attributes, type Counter, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { METER_NAME, type MetricDefinition } from './names.ts';
import { CARDINALITY_LIMIT } from './views.ts';

const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

/** One attribute set of a histogram: explicit buckets, sum, count, min and max since start. */
export class HistogramSeries {
  readonly counts: number[];
  sum = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;

  readonly attributes: Attributes;
  private readonly boundaries: readonly number[];

  constructor(attributes: Attributes, boundaries: readonly number[]) {
    this.attributes = attributes;
    this.boundaries = boundaries;
    this.counts = new Array<number>(boundaries.length + 1).fill(0);
  }

  record(value: number): void {
    if (!(value >= 0) || value === Infinity) return; // negative, NaN or infinite: not a duration
    // A bucket holds values up to and including its boundary (OTLP explicit buckets).
    const boundaries = this.boundaries;
    let low = 0;
    let high = boundaries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (value <= (boundaries[middle] as number)) high = middle;
      else low = middle + 1;
    }
    (this.counts[low] as number) += 1;
    this.sum += value;
    this.count += 1;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}

/**
 * What a histogram and a counter share: their series by key, made the first time a key is seen
 * with only the attributes names.ts allows for the instrument, one overflow series past the
 * cardinality limit, and the descriptor and start time they are exported with.
 */
abstract class SeriesInstrument<S extends { readonly attributes: Attributes }> {
  private readonly series = new Map<string, S>();
  private overflow: S | undefined;
  protected readonly startTime: HrTime = millisToHrTime(Date.now());
  readonly definition: MetricDefinition;
  private readonly limit: number;

  constructor(definition: MetricDefinition, limit: number) {
    this.definition = definition;
    this.limit = limit;
  }

  protected abstract newSeries(attributes: Attributes): S;

  /** The series named `key`; `attributes` is called only the first time a key is seen. */
  protected seriesNamed(key: string, attributes: () => Attributes): S {
    const known = this.series.get(key);
    if (known !== undefined) return known;
    if (this.series.size >= this.limit) {
      this.overflow ??= this.newSeries(OVERFLOW_ATTRIBUTES);
      return this.overflow;
    }
    const given = attributes();
    const kept: Attributes = {};
    for (const name of this.definition.attributes) {
      const value = given[name];
      if (value !== undefined) kept[name] = value;
    }
    const created = this.newSeries(kept);
    this.series.set(key, created);
    return created;
  }

  /** Every series, the overflow last. */
  protected allSeries(): S[] {
    const all = [...this.series.values()];
    if (this.overflow !== undefined) all.push(this.overflow);
    return all;
  }

  protected descriptor(): MetricData['descriptor'] {
    return {
      name: this.definition.name,
      description: this.definition.description,
      unit: this.definition.unit,
      valueType: ValueType.DOUBLE,
    };
  }

  abstract collect(endTime: HrTime): MetricData | undefined;
}

export class FastHistogram extends SeriesInstrument<HistogramSeries> {
  private readonly boundaries: readonly number[];

  constructor(definition: MetricDefinition & { kind: 'histogram' }, limit = CARDINALITY_LIMIT) {
    super(definition, limit);
    if (definition.buckets === undefined) {
      throw new Error(`histogram ${definition.name} declares no buckets in names.ts`);
    }
    this.boundaries = definition.buckets;
  }

  protected newSeries(attributes: Attributes): HistogramSeries {
    return new HistogramSeries(attributes, this.boundaries);
  }

  /**
   * The series named `key`; `attributes` is called only the first time a key is seen, and only
   * the attributes names.ts allows for this instrument are kept.
   */
  seriesFor(key: string, attributes: () => Attributes): HistogramSeries {
    return this.seriesNamed(key, attributes);
  }

  /** The cumulative data points, or undefined while nothing was recorded. */
  collect(endTime: HrTime): MetricData | undefined {
    const recorded = this.allSeries().filter((series) => series.count > 0);
    if (recorded.length === 0) return undefined;
    return {
      descriptor: this.descriptor(),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: recorded.map((series) => ({
        attributes: series.attributes,
        startTime: this.startTime,
        endTime,
        value: {
          buckets: { boundaries: [...this.boundaries], counts: [...series.counts] },
          sum: series.sum,
          count: series.count,
          min: series.min,
          max: series.max,
        },
      })),
    };
  }
}

/** One attribute set of a counter: its sum since start. */
class CounterSeries {
  value = 0;
  readonly attributes: Attributes;

  constructor(attributes: Attributes) {
    this.attributes = attributes;
  }
}

/** One attribute's share of a counter's series key (strings as they are, other kinds marked). */
function keyPart(attribute: Attributes[string]): string {
  if (attribute === undefined) return '\u0002\u0001';
  if (typeof attribute === 'string') return `${attribute}\u0001`;
  if (typeof attribute === 'number' || typeof attribute === 'boolean') {
    return `\u0003${String(attribute)}\u0001`;
  }
  return `\u0003${JSON.stringify(attribute)}\u0001`;
}

/**
 * A monotonic counter recorded the same way, for the instruments added to on every request or
 * interaction (`discord.rest.requests`, `players.joined`, …). The SDK's Counter.add filters and
 * hashes the attribute set on every call; here the series is found by a key made of the values of
 * the attributes names.ts allows, in their declared order, so equal sets always meet in one series
 * and an attribute names.ts does not allow never reaches the key (no ids, however they are passed).
 */
export class FastCounter extends SeriesInstrument<CounterSeries> implements Counter {
  constructor(definition: MetricDefinition & { kind: 'counter' }, limit = CARDINALITY_LIMIT) {
    super(definition, limit);
  }

  protected newSeries(attributes: Attributes): CounterSeries {
    return new CounterSeries(attributes);
  }

  add(value: number, attributes: Attributes = {}): void {
    if (!(value >= 0) || value === Infinity) return; // a counter only grows (the SDK drops these too)
    let key = '';
    for (const name of this.definition.attributes) key += keyPart(attributes[name]);
    this.seriesNamed(key, () => attributes).value += value;
  }

  /** The cumulative sums, or undefined while nothing was added. */
  collect(endTime: HrTime): MetricData | undefined {
    const all = this.allSeries();
    if (all.length === 0) return undefined;
    return {
      descriptor: this.descriptor(),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: all.map((series) => ({
        attributes: series.attributes,
        startTime: this.startTime,
        endTime,
        value: series.value,
      })),
    };
  }
}

type AnyInstrument = SeriesInstrument<{ readonly attributes: Attributes }>;

/** Every fast histogram and counter of the process, collected by the metric reader as one more producer. */
class FastMetricProducer implements MetricProducer {
  /** By metric name: asked for again (a second fastify instance, REST client, …), one is shared. */
  readonly instruments = new Map<string, AnyInstrument>();

  collect(): Promise<CollectionResult> {
    const endTime = millisToHrTime(Date.now());
    const metrics = [...this.instruments.values()]
      .map((instrument) => instrument.collect(endTime))
      .filter((data) => data !== undefined);
    return Promise.resolve({
      resourceMetrics: {
        // The reader keeps the SDK producer's resource and takes only our scope metrics.
        resource: resourceFromAttributes({}),
        scopeMetrics: metrics.length === 0 ? [] : [{ scope: { name: METER_NAME }, metrics }],
      },
      errors: [],
    });
  }

  /** The instrument already made for `name`, or the one `create` makes (then registered). */
  instrument<T extends AnyInstrument>(
    name: string,
    kind: abstract new (...args: never[]) => T,
    create: () => T,
  ): T {
    const known = this.instruments.get(name);
    if (known instanceof kind) return known;
    if (known !== undefined)
      throw new Error(`metric ${name} is already another kind of instrument`);
    const made = create();
    this.instruments.set(name, made);
    return made;
  }
}

export const fastMetrics = new FastMetricProducer();

/**
 * A histogram recorded through series (see above), exported by the SDK's metric reader; one per
 * metric name in the process, as the SDK's meter gives one stream per instrument name.
 */
export function createFastHistogram(
  definition: MetricDefinition & { kind: 'histogram' },
): FastHistogram {
  return fastMetrics.instrument(
    definition.name,
    FastHistogram,
    () => new FastHistogram(definition),
  );
}

/** A counter recorded through series (see above), exported by the SDK's metric reader; one per name. */
export function createFastCounter(definition: MetricDefinition & { kind: 'counter' }): FastCounter {
  return fastMetrics.instrument(definition.name, FastCounter, () => new FastCounter(definition));
}
