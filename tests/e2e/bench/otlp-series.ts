// What the services' OTLP metrics cost in Grafana Cloud: active series as Mimir stores them after
// OTLP ingestion (one per metric, data-point attribute set and exporting process; a classic
// histogram is one series per bucket plus `_sum` and `_count`; each process adds `target_info`),
// and the data points and bytes of each periodic export.
import {
  prometheusBaseName,
  type CapturedMetric,
  type CapturedDataPoint,
  type ExportedPayload,
} from '@game-scheduler/telemetry/testing';

/** Prometheus series one OTLP data point becomes. */
export function seriesOfPoint(metric: CapturedMetric, point: CapturedDataPoint): number {
  switch (metric.type) {
    case 'histogram':
      // One `_bucket` series per bound plus +Inf, then `_sum` and `_count`.
      return (point.explicitBounds?.length ?? 0) + 1 + 2;
    case 'summary':
      return (point.quantileValues?.length ?? 0) + 2;
    default:
      // Sums, gauges, and exponential histograms (one native histogram series).
      return 1;
  }
}

function stableAttributes(attributes: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
}

/** Mimir's `instance` of an OTLP series: the process that exported it. */
function instanceOf(metric: CapturedMetric): string {
  const instance = metric.resource['service.instance.id'];
  return typeof instance === 'string' ? instance : '';
}

export interface SeriesCounter {
  /** Adds every record received (the same series in many exports counts once). */
  add(metrics: readonly CapturedMetric[]): void;
  /** Distinct series, including one `target_info` per exporting process. */
  total(): number;
  byService(): Record<string, number>;
  /** The metrics with the most series, as [Prometheus base name, series], most first. */
  largest(limit: number): [string, number][];
}

export function createSeriesCounter(): SeriesCounter {
  const series = new Map<string, { service: string; metric: string; count: number }>();
  const processes = new Map<string, string>();
  return {
    add(metrics) {
      for (const metric of metrics) {
        const service = metric.serviceName ?? '?';
        const instance = instanceOf(metric);
        processes.set(`${service}\u0000${instance}`, service);
        const name = prometheusBaseName(metric);
        for (const point of metric.dataPoints) {
          const key = [service, instance, name, stableAttributes(point.attributes)].join('\u0000');
          const count = seriesOfPoint(metric, point);
          const known = series.get(key);
          if (known === undefined || known.count < count)
            series.set(key, { service, metric: name, count });
        }
      }
    },
    total() {
      let total = processes.size;
      for (const entry of series.values()) total += entry.count;
      return total;
    },
    byService() {
      const counts: Record<string, number> = {};
      for (const service of processes.values()) counts[service] = (counts[service] ?? 0) + 1;
      for (const entry of series.values())
        counts[entry.service] = (counts[entry.service] ?? 0) + entry.count;
      return counts;
    },
    largest(limit) {
      const byMetric = new Map<string, number>();
      for (const entry of series.values())
        byMetric.set(entry.metric, (byMetric.get(entry.metric) ?? 0) + entry.count);
      return [...byMetric.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
    },
  };
}

interface JsonKeyValue {
  key?: string;
  value?: { stringValue?: string };
}

interface JsonResourceGroup {
  resource?: { attributes?: JsonKeyValue[] };
  scopeMetrics?: { metrics?: Record<string, unknown>[] }[];
}

const GROUPS = ['resourceSpans', 'resourceLogs', 'resourceMetrics'] as const;

function groupsOf(payload: ExportedPayload): JsonResourceGroup[] {
  const decoded = payload.decoded as Partial<Record<(typeof GROUPS)[number], JsonResourceGroup[]>>;
  return GROUPS.flatMap((key) => decoded[key] ?? []);
}

/** `service.name` of the (first) resource in an export request. */
export function serviceOfPayload(payload: ExportedPayload): string {
  for (const group of groupsOf(payload)) {
    const name = group.resource?.attributes?.find((attribute) => attribute.key === 'service.name');
    if (name?.value?.stringValue !== undefined) return name.value.stringValue;
  }
  return '?';
}

/** OTLP data points in a metrics export request. */
export function metricPointsOfPayload(payload: ExportedPayload): number {
  let points = 0;
  for (const group of groupsOf(payload)) {
    for (const scope of group.scopeMetrics ?? []) {
      for (const metric of scope.metrics ?? []) {
        for (const data of Object.values(metric)) {
          const dataPoints = (data as { dataPoints?: unknown } | null)?.dataPoints;
          if (Array.isArray(dataPoints)) points += dataPoints.length;
        }
      }
    }
  }
  return points;
}
