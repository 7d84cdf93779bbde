import {
  AggregationTemporality,
  DataPointType,
  type HistogramMetricData,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  FastCounter,
  FastHistogram,
  createFastCounter,
  createFastHistogram,
  fastMetrics,
} from './histograms.ts';

const definition = {
  name: 'test.duration',
  kind: 'histogram',
  unit: 's',
  description: 'A test histogram.',
  attributes: ['http.route', 'http.response.status_code'],
  buckets: [0.1, 0.5, 1],
} as const;

function collect(histogram: FastHistogram): HistogramMetricData {
  const data = histogram.collect([1_700_000_000, 0]);
  if (data?.dataPointType !== DataPointType.HISTOGRAM) throw new Error('no histogram data');
  return data;
}

describe('FastHistogram', () => {
  it('counts each value in the bucket whose upper boundary is the first at or above it', () => {
    const histogram = new FastHistogram(definition);
    const series = histogram.seriesFor('a', () => ({ 'http.route': '/a' }));
    for (const value of [0, 0.1, 0.10001, 0.5, 0.7, 1, 1.5, 30]) series.record(value);
    const [point] = collect(histogram).dataPoints;
    expect(point?.value).toEqual({
      buckets: { boundaries: [0.1, 0.5, 1], counts: [2, 2, 2, 2] },
      sum: 0 + 0.1 + 0.10001 + 0.5 + 0.7 + 1 + 1.5 + 30,
      count: 8,
      min: 0,
      max: 30,
    });
  });

  it('ignores values that are no duration (negative, NaN, infinite)', () => {
    const histogram = new FastHistogram(definition);
    const series = histogram.seriesFor('a', () => ({}));
    for (const value of [-1, Number.NaN, Infinity]) series.record(value);
    expect(histogram.collect([0, 0])).toBeUndefined();
    series.record(0.2);
    expect(collect(histogram).dataPoints[0]?.value.count).toBe(1);
  });

  it('builds the attributes of a key once, keeping only those names.ts allows and dropping undefined', () => {
    const histogram = new FastHistogram(definition);
    let built = 0;
    const attributes = () => {
      built += 1;
      return {
        'http.route': '/games/:id',
        'url.path': '/games/41',
        'http.response.status_code': undefined,
      };
    };
    histogram.seriesFor('GET /games/:id', attributes).record(0.2);
    histogram.seriesFor('GET /games/:id', attributes).record(0.3);
    expect(built).toBe(1);
    const points = collect(histogram).dataPoints;
    expect(points).toHaveLength(1);
    expect(points[0]?.attributes).toEqual({ 'http.route': '/games/:id' });
    expect(points[0]?.value.count).toBe(2);
  });

  it('is cumulative: a collection resets nothing', () => {
    const histogram = new FastHistogram(definition);
    const series = histogram.seriesFor('a', () => ({}));
    series.record(0.2);
    collect(histogram);
    series.record(0.3);
    expect(collect(histogram).dataPoints[0]?.value.count).toBe(2);
  });

  it('sends every series past the cardinality limit into one overflow series', () => {
    const histogram = new FastHistogram(definition, 2);
    for (const route of ['/a', '/b', '/c', '/d']) {
      histogram.seriesFor(route, () => ({ 'http.route': route })).record(0.2);
    }
    const points = collect(histogram).dataPoints;
    expect(points.map((point) => point.attributes)).toEqual([
      { 'http.route': '/a' },
      { 'http.route': '/b' },
      { 'otel.metric.overflow': true },
    ]);
    expect(points[2]?.value.count).toBe(2);
  });

  it('refuses an instrument without declared buckets', () => {
    expect(() => new FastHistogram({ ...definition, buckets: undefined })).toThrow(
      'declares no buckets',
    );
  });
});

const counterDefinition = {
  name: 'test.requests',
  kind: 'counter',
  unit: '{request}',
  description: 'A test counter.',
  attributes: ['http.request.method', 'http.response.status_code', 'error.type'],
} as const;

function sums(counter: FastCounter): [Record<string, unknown>, number][] {
  const data = counter.collect([1_700_000_000, 0]);
  if (data === undefined) return [];
  if (data.dataPointType !== DataPointType.SUM) throw new Error('no sum data');
  return data.dataPoints.map((point) => [point.attributes, point.value]);
}

describe('FastCounter', () => {
  it('adds equal attribute sets into one series whatever their order, and keeps only allowed attributes', () => {
    const counter = new FastCounter(counterDefinition);
    counter.add(1, { 'http.request.method': 'GET', 'http.response.status_code': 200 });
    counter.add(2, { 'http.response.status_code': 200, 'http.request.method': 'GET' });
    counter.add(1, {
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'discord.user.id': '123456789012345678', // not allowed: never a series of its own
    });
    counter.add(1, { 'http.request.method': 'GET', 'http.response.status_code': '200' });
    counter.add(1, { 'http.request.method': 'POST', 'error.type': 'ECONNREFUSED' });
    counter.add(1);
    expect(sums(counter)).toEqual([
      [{ 'http.request.method': 'GET', 'http.response.status_code': 200 }, 4],
      [{ 'http.request.method': 'GET', 'http.response.status_code': '200' }, 1],
      [{ 'http.request.method': 'POST', 'error.type': 'ECONNREFUSED' }, 1],
      [{}, 1],
    ]);
  });

  it('exports a cumulative monotonic sum, nothing before the first add, and ignores what a counter cannot add', () => {
    const counter = new FastCounter(counterDefinition);
    expect(counter.collect([0, 0])).toBeUndefined();
    for (const value of [-1, Number.NaN, Infinity]) counter.add(value);
    expect(counter.collect([0, 0])).toBeUndefined();
    counter.add(0.5);
    counter.add(2);
    const data = counter.collect([1_700_000_000, 0]) as SumMetricData;
    expect(data.descriptor).toMatchObject({ name: 'test.requests', unit: '{request}' });
    expect(data.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(data.isMonotonic).toBe(true);
    expect(data.dataPoints.map((point) => point.value)).toEqual([2.5]);
  });

  it('adds past the cardinality limit into one overflow series', () => {
    const counter = new FastCounter(counterDefinition, 2);
    for (const status of [200, 201, 202, 203, 200]) {
      counter.add(1, { 'http.response.status_code': status });
    }
    expect(sums(counter)).toEqual([
      [{ 'http.response.status_code': 200 }, 2],
      [{ 'http.response.status_code': 201 }, 1],
      [{ 'otel.metric.overflow': true }, 2],
    ]);
  });
});

describe('the fast instruments of a process', () => {
  it('are one per metric name, shared by everyone who asks, and exported once', async () => {
    const first = createFastCounter({ ...counterDefinition, name: 'test.shared' });
    const second = createFastCounter({ ...counterDefinition, name: 'test.shared' });
    expect(second).toBe(first);
    first.add(1, { 'http.request.method': 'GET' });
    second.add(1, { 'http.request.method': 'GET' });
    const { resourceMetrics } = await fastMetrics.collect();
    const shared = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .filter((metric) => metric.descriptor.name === 'test.shared');
    expect(shared.map((metric) => metric.dataPoints.map((point) => point.value))).toEqual([[2]]);
    expect(() => createFastHistogram({ ...definition, name: 'test.shared' })).toThrow(
      /another kind/,
    );
    expect(createFastHistogram({ ...definition, name: 'test.shared.duration' })).toBe(
      createFastHistogram({ ...definition, name: 'test.shared.duration' }),
    );
  });
});
