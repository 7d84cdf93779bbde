// Turns a decoded ExportMetricsServiceRequest into CapturedMetric records (one per metric per export).
import type {
  AggregationTemporalityName,
  CapturedDataPoint,
  CapturedExemplar,
  CapturedMetric,
  CapturedOrigin,
  MetricType,
} from './captured-types.ts';
import { captureOrigin, flattenAttributes, hexId } from './any-value.ts';
import type {
  DecodedBuckets,
  DecodedExemplar,
  DecodedMetric,
  DecodedMetricsRequest,
  DecodedNumberDataPoint,
} from './otlp-decoded.ts';

const temporalities: readonly AggregationTemporalityName[] = ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'];

export function normaliseMetrics(request: DecodedMetricsRequest): CapturedMetric[] {
  const metrics: CapturedMetric[] = [];
  for (const resourceMetrics of request.resourceMetrics) {
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      const origin = captureOrigin(resourceMetrics.resource, scopeMetrics.scope);
      for (const metric of scopeMetrics.metrics) {
        const normalised = normaliseMetric(metric, origin);
        if (normalised !== undefined) metrics.push(normalised);
      }
    }
  }
  return metrics;
}

function normaliseMetric(
  metric: DecodedMetric,
  origin: CapturedOrigin,
): CapturedMetric | undefined {
  const base = {
    ...origin,
    name: metric.name ?? '',
    unit: metric.unit ?? '',
    description: metric.description ?? '',
  };
  const shaped = (
    type: MetricType,
    dataPoints: CapturedDataPoint[],
    temporality = 0,
    isMonotonic = false,
  ): CapturedMetric => ({
    ...base,
    type,
    isMonotonic,
    temporality: temporalities[temporality] ?? 'UNSPECIFIED',
    dataPoints,
  });

  if (metric.sum !== undefined) {
    const { sum } = metric;
    return shaped(
      'sum',
      sum.dataPoints.map(numberPoint),
      sum.aggregationTemporality,
      sum.isMonotonic ?? false,
    );
  }
  if (metric.gauge !== undefined) return shaped('gauge', metric.gauge.dataPoints.map(numberPoint));
  if (metric.histogram !== undefined) {
    const { histogram } = metric;
    const points = histogram.dataPoints.map((point) => ({
      ...pointBase(point),
      ...optionalStats(point),
      count: Number(point.count ?? 0n),
      bucketCounts: point.bucketCounts.map(Number),
      explicitBounds: point.explicitBounds,
    }));
    return shaped('histogram', points, histogram.aggregationTemporality);
  }
  if (metric.exponentialHistogram !== undefined) {
    const { exponentialHistogram } = metric;
    const points = exponentialHistogram.dataPoints.map((point) => ({
      ...pointBase(point),
      ...optionalStats(point),
      count: Number(point.count ?? 0n),
      scale: point.scale ?? 0,
      zeroCount: Number(point.zeroCount ?? 0n),
      positive: buckets(point.positive),
      negative: buckets(point.negative),
    }));
    return shaped('exponentialHistogram', points, exponentialHistogram.aggregationTemporality);
  }
  if (metric.summary !== undefined) {
    const points = metric.summary.dataPoints.map((point) => ({
      ...pointBase(point),
      count: Number(point.count ?? 0n),
      sum: point.sum ?? 0,
      quantileValues: point.quantileValues.map((q) => ({
        quantile: q.quantile ?? 0,
        value: q.value ?? 0,
      })),
    }));
    return shaped('summary', points);
  }
  return undefined;
}

function pointBase(point: {
  attributes: DecodedNumberDataPoint['attributes'];
  startTimeUnixNano?: bigint;
  timeUnixNano?: bigint;
  exemplars: DecodedExemplar[];
}): CapturedDataPoint {
  return {
    attributes: flattenAttributes(point.attributes),
    startTimeUnixNano: point.startTimeUnixNano ?? 0n,
    timeUnixNano: point.timeUnixNano ?? 0n,
    exemplars: point.exemplars.map(exemplar),
  };
}

function numberPoint(point: DecodedNumberDataPoint): CapturedDataPoint {
  return { ...pointBase(point), value: numberValue(point) };
}

function numberValue(point: { asDouble?: number; asInt?: bigint }): number {
  if (point.asInt !== undefined) return Number(point.asInt);
  return point.asDouble ?? 0;
}

function optionalStats(point: { sum?: number; min?: number; max?: number }): {
  sum?: number;
  min?: number;
  max?: number;
} {
  const stats: { sum?: number; min?: number; max?: number } = {};
  if (point.sum !== undefined) stats.sum = point.sum;
  if (point.min !== undefined) stats.min = point.min;
  if (point.max !== undefined) stats.max = point.max;
  return stats;
}

function buckets(decoded: DecodedBuckets | undefined): { offset: number; bucketCounts: number[] } {
  return { offset: decoded?.offset ?? 0, bucketCounts: (decoded?.bucketCounts ?? []).map(Number) };
}

function exemplar(decoded: DecodedExemplar): CapturedExemplar {
  return {
    value: numberValue(decoded),
    timeUnixNano: decoded.timeUnixNano ?? 0n,
    traceId: hexId(decoded.traceId),
    spanId: hexId(decoded.spanId),
    attributes: flattenAttributes(decoded.filteredAttributes),
  };
}
