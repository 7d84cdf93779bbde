// The receiver's memory: every span, log record, metric and raw payload received, and the queries tests
// ask of them (by name and attributes, along trace parent/child and link relations, across services).
import type {
  CapturedLog,
  CapturedMetric,
  CapturedSpan,
  ExportedPayload,
  ReceivedRequest,
  Signal,
} from './captured-types.ts';
import { pollUntil, type PollOptions } from './poll-until.ts';
import { prometheusSeriesNames } from './prometheus-names.ts';
import {
  logMatches,
  metricMatches,
  spanMatches,
  type LogFilter,
  type MetricFilter,
  type SpanFilter,
} from './telemetry-filters.ts';

export interface WaitForOptions extends PollOptions {
  /** Resolve once at least this many records match (default 1). */
  count?: number;
}

export interface TelemetryCounts {
  spans: number;
  logs: number;
  /** Distinct metric names. */
  metrics: number;
  /** Metric records (one per metric per export). */
  metricExports: number;
  /** Requests answered per signal, whatever their status. */
  requests: Record<Signal, number>;
}

/** A parent span and its child in another service (e.g. a publisher and a consumer). */
export interface CrossServiceEdge {
  parent: CapturedSpan;
  child: CapturedSpan;
}

/** Everything a test can ask the receiver about what it has captured. */
export interface TelemetryQueries {
  spans(filter?: SpanFilter): CapturedSpan[];
  spansByName(name: string | RegExp): CapturedSpan[];
  /** Resolves with all matching spans once `count` (default 1) match; rejects after `timeoutMs`. */
  waitForSpans(
    match: SpanFilter | ((span: CapturedSpan) => boolean),
    options?: WaitForOptions,
  ): Promise<CapturedSpan[]>;
  /** The first matching span, waiting for it like waitForSpans. */
  waitForSpan(
    match: SpanFilter | ((span: CapturedSpan) => boolean),
    options?: PollOptions,
  ): Promise<CapturedSpan>;
  traceIds(): string[];
  /** All spans of a trace, in start order, across services. */
  trace(traceId: string): CapturedSpan[];
  traceOf(span: CapturedSpan): CapturedSpan[];
  /** Spans of the trace (or of all traces) that have no parent. */
  rootSpans(traceId?: string): CapturedSpan[];
  parent(span: CapturedSpan): CapturedSpan | undefined;
  /** Parent, grandparent, … up to the highest captured ancestor. */
  ancestors(span: CapturedSpan): CapturedSpan[];
  children(span: CapturedSpan): CapturedSpan[];
  descendants(span: CapturedSpan): CapturedSpan[];
  /** Children in a different service than the span (the far side of a message or HTTP call). */
  remoteChildren(span: CapturedSpan): CapturedSpan[];
  /** Parent/child pairs whose services differ, within a trace or across everything captured. */
  crossServiceEdges(traceId?: string): CrossServiceEdge[];
  /** The captured spans this span links to. */
  linkedSpans(span: CapturedSpan): CapturedSpan[];
  /** The captured spans that link to this span. */
  linkingSpans(span: CapturedSpan): CapturedSpan[];
  logs(filter?: LogFilter): CapturedLog[];
  /** Log records emitted inside the span (same trace and span ID). */
  logsOf(span: CapturedSpan): CapturedLog[];
  waitForLogs(
    match: LogFilter | ((log: CapturedLog) => boolean),
    options?: WaitForOptions,
  ): Promise<CapturedLog[]>;
  /** Every metric record received (a periodic reader exports the same metric repeatedly). */
  metrics(filter?: MetricFilter): CapturedMetric[];
  /** The most recently received record of the named metric. */
  latestMetric(name: string): CapturedMetric | undefined;
  /** Distinct OTLP metric names, sorted. */
  metricNames(): string[];
  /**
   * Distinct series names as Prometheus/Mimir show them after OTLP ingestion, sorted. With
   * `targetInfo`, includes the `target_info` series Prometheus derives from resource attributes.
   */
  prometheusMetricNames(options?: { targetInfo?: boolean }): string[];
  /** Resolves with the latest record of the metric once one (matching `predicate`) arrives. */
  waitForMetric(
    name: string,
    options?: PollOptions & { predicate?: (metric: CapturedMetric) => boolean },
  ): Promise<CapturedMetric>;
  counts(): TelemetryCounts;
  /** Every HTTP request answered, in arrival order. */
  requests(): ReceivedRequest[];
  /** Every export request accepted and decoded, in arrival order. */
  payloads(): ExportedPayload[];
  /** Every accepted payload as JSON text, one per line, for scanning what left the process. */
  allExportedText(): string;
}

export interface TelemetryStore {
  queries: TelemetryQueries;
  addSpans(spans: CapturedSpan[]): void;
  addLogs(logs: CapturedLog[]): void;
  addMetrics(metrics: CapturedMetric[]): void;
  addPayload(payload: ExportedPayload): void;
  addRequest(request: ReceivedRequest): void;
  clear(): void;
}

function byStart(a: CapturedSpan, b: CapturedSpan): number {
  if (a.startTimeUnixNano === b.startTimeUnixNano) return 0;
  return a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1;
}

function describeSpan(span: CapturedSpan): string {
  return `${span.serviceName ?? '?'}:${span.name}`;
}

export function createTelemetryStore(): TelemetryStore {
  let spans: CapturedSpan[] = [];
  let logs: CapturedLog[] = [];
  let metrics: CapturedMetric[] = [];
  let payloads: ExportedPayload[] = [];
  let requests: ReceivedRequest[] = [];

  // First capture of each span by trace and span ID (a retried export may deliver a span twice).
  let spansById = new Map<string, CapturedSpan>();
  const spanIndex = (traceId: string, spanId: string): CapturedSpan | undefined =>
    spansById.get(`${traceId}/${spanId}`);

  const store: TelemetryQueries = {
    spans: (filter = {}) => spans.filter((span) => spanMatches(span, filter)),
    spansByName: (name) => store.spans({ name }),
    waitForSpans: (match, options = {}) => {
      const count = options.count ?? 1;
      const test =
        typeof match === 'function' ? match : (span: CapturedSpan) => spanMatches(span, match);
      return pollUntil(
        () => {
          const found = spans.filter(test);
          return found.length >= count ? found : undefined;
        },
        {
          ...options,
          waitingFor: `${count} matching span(s)`,
          seen: () => `received ${spans.length} span(s): ${spans.map(describeSpan).join(', ')}`,
        },
      );
    },
    waitForSpan: async (match, options = {}) => {
      const [first] = await store.waitForSpans(match, { ...options, count: 1 });
      if (first === undefined) throw new Error('waitForSpans resolved without a span');
      return first;
    },
    traceIds: () => [...new Set(spans.map((span) => span.traceId))],
    trace: (traceId) => {
      // Start order; spans starting in the same instant keep parents before children.
      const depth = new Map<CapturedSpan, number>();
      const inTrace = spans.filter((span) => span.traceId === traceId);
      for (const span of inTrace) depth.set(span, store.ancestors(span).length);
      return inTrace.sort((a, b) => byStart(a, b) || (depth.get(a) ?? 0) - (depth.get(b) ?? 0));
    },
    traceOf: (span) => store.trace(span.traceId),
    rootSpans: (traceId) =>
      spans
        .filter(
          (span) =>
            span.parentSpanId === undefined && (traceId === undefined || span.traceId === traceId),
        )
        .sort(byStart),
    parent: (span) =>
      span.parentSpanId === undefined ? undefined : spanIndex(span.traceId, span.parentSpanId),
    ancestors: (span) => {
      const found: CapturedSpan[] = [];
      for (let next = store.parent(span); next !== undefined; next = store.parent(next)) {
        if (found.includes(next)) break;
        found.push(next);
      }
      return found;
    },
    children: (span) =>
      spans
        .filter((other) => other.traceId === span.traceId && other.parentSpanId === span.spanId)
        .sort(byStart),
    descendants: (span) => {
      const found: CapturedSpan[] = [];
      const queue = [span];
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        for (const child of store.children(next)) {
          if (found.includes(child)) continue;
          found.push(child);
          queue.push(child);
        }
      }
      return found.sort(byStart);
    },
    remoteChildren: (span) =>
      store.children(span).filter((child) => child.serviceName !== span.serviceName),
    crossServiceEdges: (traceId) => {
      const edges: CrossServiceEdge[] = [];
      for (const child of traceId === undefined ? spans : store.trace(traceId)) {
        const parent = store.parent(child);
        if (parent !== undefined && parent.serviceName !== child.serviceName) {
          edges.push({ parent, child });
        }
      }
      return edges;
    },
    linkedSpans: (span) => span.links.flatMap((link) => spanIndex(link.traceId, link.spanId) ?? []),
    linkingSpans: (span) =>
      spans.filter((other) =>
        other.links.some((link) => link.traceId === span.traceId && link.spanId === span.spanId),
      ),

    logs: (filter = {}) => logs.filter((log) => logMatches(log, filter)),
    logsOf: (span) => store.logs({ traceId: span.traceId, spanId: span.spanId }),
    waitForLogs: (match, options = {}) => {
      const count = options.count ?? 1;
      const test =
        typeof match === 'function' ? match : (log: CapturedLog) => logMatches(log, match);
      return pollUntil(
        () => {
          const found = logs.filter(test);
          return found.length >= count ? found : undefined;
        },
        {
          ...options,
          waitingFor: `${count} matching log record(s)`,
          seen: () =>
            `received ${logs.length} log record(s): ${logs
              .map((log) => JSON.stringify(log.body ?? null))
              .join(', ')}`,
        },
      );
    },

    metrics: (filter = {}) => metrics.filter((metric) => metricMatches(metric, filter)),
    latestMetric: (name) => metrics.findLast((metric) => metric.name === name),
    metricNames: () => [...new Set(metrics.map((metric) => metric.name))].sort(),
    prometheusMetricNames: (options = {}) => {
      const names = new Set(metrics.flatMap((metric) => prometheusSeriesNames(metric)));
      if (options.targetInfo === true && metrics.length > 0) names.add('target_info');
      return [...names].sort();
    },
    waitForMetric: (name, options = {}) =>
      pollUntil(
        () =>
          metrics.findLast(
            (metric) => metric.name === name && (options.predicate?.(metric) ?? true),
          ),
        {
          ...options,
          waitingFor: `metric ${name}`,
          seen: () => `received metrics: ${store.metricNames().join(', ') || 'none'}`,
        },
      ),

    counts: () => ({
      spans: spans.length,
      logs: logs.length,
      metrics: store.metricNames().length,
      metricExports: metrics.length,
      requests: {
        traces: requests.filter((request) => request.signal === 'traces').length,
        metrics: requests.filter((request) => request.signal === 'metrics').length,
        logs: requests.filter((request) => request.signal === 'logs').length,
      },
    }),
    requests: () => [...requests],
    payloads: () => [...payloads],
    allExportedText: () => payloads.map((payload) => JSON.stringify(payload.decoded)).join('\n'),
  };

  return {
    queries: store,
    addSpans: (added) => {
      spans.push(...added);
      for (const span of added) {
        const key = `${span.traceId}/${span.spanId}`;
        if (!spansById.has(key)) spansById.set(key, span);
      }
    },
    addLogs: (added) => {
      logs.push(...added);
    },
    addMetrics: (added) => {
      metrics.push(...added);
    },
    addPayload: (payload) => {
      payloads.push(payload);
    },
    addRequest: (request) => {
      requests.push(request);
    },
    clear: () => {
      spans = [];
      spansById = new Map();
      logs = [];
      metrics = [];
      payloads = [];
      requests = [];
    },
  };
}
