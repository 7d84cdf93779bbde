import { DataPointType, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { FastHistogram } from './histograms.ts';

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
