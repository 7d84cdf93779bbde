// The friendly in-memory shapes the test receiver stores after decoding OTLP payloads. IDs are lower-case
// hex, timestamps stay exact as bigint nanoseconds, attribute values are plain JSON-like values.

/** An OTLP AnyValue flattened to plain data (int64 becomes number, bytes become base64 text). */
export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export type Signal = 'traces' | 'metrics' | 'logs';

export interface CapturedScope {
  name: string;
  version: string;
  attributes: Attributes;
}

/** Where a record came from: the exporting service's resource and its instrumentation scope. */
export interface CapturedOrigin {
  resource: Attributes;
  /** `service.name` of the resource, if set. */
  serviceName: string | undefined;
  scope: CapturedScope;
}

export type SpanKindName =
  'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

export type SpanStatusCodeName = 'UNSET' | 'OK' | 'ERROR';

export interface CapturedSpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface CapturedSpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

export interface CapturedSpan extends CapturedOrigin {
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId: string | undefined;
  /** True when the parent span context came from another process (extracted from a carrier). */
  parentIsRemote: boolean | undefined;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKindName;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationMs: number;
  attributes: Attributes;
  status: { code: SpanStatusCodeName; message: string };
  events: CapturedSpanEvent[];
  links: CapturedSpanLink[];
}

export interface CapturedLog extends CapturedOrigin {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityText: string;
  /** 0 (unspecified) … 24 (FATAL4), as in the OTLP SeverityNumber enum. */
  severityNumber: number;
  /** A string body stays a string; a structured body becomes a plain object. */
  body: AttributeValue | undefined;
  attributes: Attributes;
  eventName: string;
  traceId: string | undefined;
  spanId: string | undefined;
}

export type MetricType = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';

export type AggregationTemporalityName = 'UNSPECIFIED' | 'DELTA' | 'CUMULATIVE';

export interface CapturedExemplar {
  value: number;
  timeUnixNano: bigint;
  traceId: string | undefined;
  spanId: string | undefined;
  attributes: Attributes;
}

/**
 * One data point of any metric type. Sums and gauges set `value`; histograms set count/sum/min/max with
 * `bucketCounts` and `explicitBounds`; exponential histograms set scale/zeroCount/positive/negative;
 * summaries set count/sum/quantileValues.
 */
export interface CapturedDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  value?: number;
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  scale?: number;
  zeroCount?: number;
  positive?: { offset: number; bucketCounts: number[] };
  negative?: { offset: number; bucketCounts: number[] };
  quantileValues?: { quantile: number; value: number }[];
  exemplars: CapturedExemplar[];
}

/** One metric as received in one export (periodic readers export the same metric repeatedly). */
export interface CapturedMetric extends CapturedOrigin {
  name: string;
  unit: string;
  description: string;
  type: MetricType;
  /** Sums only; false for everything else. */
  isMonotonic: boolean;
  temporality: AggregationTemporalityName;
  dataPoints: CapturedDataPoint[];
}

/** One HTTP request the receiver answered, whatever its outcome. */
export interface ReceivedRequest {
  signal: Signal;
  method: string;
  path: string;
  contentType: string;
  contentEncoding: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The HTTP status the receiver answered with. */
  status: number;
  /** Set when the body could not be decoded. */
  error: string | undefined;
}

/** A decoded export request, kept whole so tests can search everything that was exported. */
export interface ExportedPayload {
  signal: Signal;
  encoding: 'protobuf' | 'json';
  /** The request body after any gzip decompression. */
  body: Buffer;
  /** The ExportXServiceRequest as plain data (bigint as decimal text, bytes as hex). */
  decoded: unknown;
}
