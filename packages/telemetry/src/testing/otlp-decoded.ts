// The shapes protobufjs produces for decoded OTLP export requests (toObject with bigint longs, numeric
// enums, arrays always present, other unset fields absent). Only the fields the receiver reads.

export interface DecodedAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: bigint;
  doubleValue?: number;
  arrayValue?: { values: DecodedAnyValue[] };
  kvlistValue?: { values: DecodedKeyValue[] };
  bytesValue?: Uint8Array;
}

export interface DecodedKeyValue {
  key?: string;
  value?: DecodedAnyValue;
}

export interface DecodedScope {
  name?: string;
  version?: string;
  attributes: DecodedKeyValue[];
}

export interface DecodedResource {
  attributes: DecodedKeyValue[];
}

export interface DecodedSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  traceState?: string;
  parentSpanId?: Uint8Array;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: bigint;
  endTimeUnixNano?: bigint;
  attributes: DecodedKeyValue[];
  events: { timeUnixNano?: bigint; name?: string; attributes: DecodedKeyValue[] }[];
  links: {
    traceId?: Uint8Array;
    spanId?: Uint8Array;
    traceState?: string;
    attributes: DecodedKeyValue[];
  }[];
  status?: { message?: string; code?: number };
}

export interface DecodedTraceRequest {
  resourceSpans: {
    resource?: DecodedResource;
    scopeSpans: { scope?: DecodedScope; spans: DecodedSpan[] }[];
  }[];
}

export interface DecodedLogRecord {
  timeUnixNano?: bigint;
  observedTimeUnixNano?: bigint;
  severityNumber?: number;
  severityText?: string;
  body?: DecodedAnyValue;
  attributes: DecodedKeyValue[];
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}

export interface DecodedLogsRequest {
  resourceLogs: {
    resource?: DecodedResource;
    scopeLogs: { scope?: DecodedScope; logRecords: DecodedLogRecord[] }[];
  }[];
}

export interface DecodedExemplar {
  filteredAttributes: DecodedKeyValue[];
  timeUnixNano?: bigint;
  asDouble?: number;
  asInt?: bigint;
  spanId?: Uint8Array;
  traceId?: Uint8Array;
}

interface DecodedPointBase {
  attributes: DecodedKeyValue[];
  startTimeUnixNano?: bigint;
  timeUnixNano?: bigint;
  exemplars: DecodedExemplar[];
}

export interface DecodedNumberDataPoint extends DecodedPointBase {
  asDouble?: number;
  asInt?: bigint;
}

export interface DecodedHistogramDataPoint extends DecodedPointBase {
  count?: bigint;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts: bigint[];
  explicitBounds: number[];
}

export interface DecodedBuckets {
  offset?: number;
  bucketCounts: bigint[];
}

export interface DecodedExponentialHistogramDataPoint extends DecodedPointBase {
  count?: bigint;
  sum?: number;
  min?: number;
  max?: number;
  scale?: number;
  zeroCount?: bigint;
  positive?: DecodedBuckets;
  negative?: DecodedBuckets;
}

export interface DecodedSummaryDataPoint extends DecodedPointBase {
  count?: bigint;
  sum?: number;
  quantileValues: { quantile?: number; value?: number }[];
}

export interface DecodedMetric {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints: DecodedNumberDataPoint[] };
  sum?: {
    dataPoints: DecodedNumberDataPoint[];
    aggregationTemporality?: number;
    isMonotonic?: boolean;
  };
  histogram?: { dataPoints: DecodedHistogramDataPoint[]; aggregationTemporality?: number };
  exponentialHistogram?: {
    dataPoints: DecodedExponentialHistogramDataPoint[];
    aggregationTemporality?: number;
  };
  summary?: { dataPoints: DecodedSummaryDataPoint[] };
}

export interface DecodedMetricsRequest {
  resourceMetrics: {
    resource?: DecodedResource;
    scopeMetrics: { scope?: DecodedScope; metrics: DecodedMetric[] }[];
  }[];
}
