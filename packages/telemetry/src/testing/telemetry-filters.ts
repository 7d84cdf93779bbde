// Filters the receiver's queries accept, and how a captured record is matched against one.
import { isDeepStrictEqual } from 'node:util';
import type {
  Attributes,
  CapturedLog,
  CapturedMetric,
  CapturedSpan,
  MetricType,
  SpanKindName,
  SpanStatusCodeName,
} from './captured-types.ts';

export interface SpanFilter {
  /** Exact name, or a pattern. */
  name?: string | RegExp;
  serviceName?: string;
  kind?: SpanKindName;
  traceId?: string;
  /** `null` matches root spans only. */
  parentSpanId?: string | null;
  status?: SpanStatusCodeName;
  scopeName?: string;
  /** Every listed attribute must be present with a deeply equal value. */
  attributes?: Attributes;
}

export interface LogFilter {
  traceId?: string;
  spanId?: string;
  serviceName?: string;
  severityText?: string;
  /** Matches a string body exactly (string) or by pattern (RegExp, also tried on a structured body's JSON). */
  body?: string | RegExp;
  attributes?: Attributes;
}

export interface MetricFilter {
  name?: string | RegExp;
  serviceName?: string;
  type?: MetricType;
}

function matchesText(actual: string, expected: string | RegExp | undefined): boolean {
  if (expected === undefined) return true;
  return typeof expected === 'string' ? actual === expected : expected.test(actual);
}

function matchesAttributes(actual: Attributes, expected: Attributes | undefined): boolean {
  if (expected === undefined) return true;
  return Object.entries(expected).every(
    ([key, value]) => key in actual && isDeepStrictEqual(actual[key], value),
  );
}

function same<T>(actual: T, expected: T | undefined): boolean {
  return expected === undefined || actual === expected;
}

export function spanMatches(span: CapturedSpan, filter: SpanFilter): boolean {
  return (
    matchesText(span.name, filter.name) &&
    same(span.serviceName, filter.serviceName) &&
    same(span.kind, filter.kind) &&
    same(span.traceId, filter.traceId) &&
    (filter.parentSpanId === undefined ||
      span.parentSpanId === (filter.parentSpanId ?? undefined)) &&
    same(span.status.code, filter.status) &&
    same(span.scope.name, filter.scopeName) &&
    matchesAttributes(span.attributes, filter.attributes)
  );
}

export function logMatches(log: CapturedLog, filter: LogFilter): boolean {
  let bodyMatches = true;
  if (filter.body !== undefined) {
    const bodyText = typeof log.body === 'string' ? log.body : JSON.stringify(log.body ?? null);
    bodyMatches =
      typeof filter.body === 'string' ? log.body === filter.body : filter.body.test(bodyText);
  }
  return (
    bodyMatches &&
    same(log.traceId, filter.traceId) &&
    same(log.spanId, filter.spanId) &&
    same(log.serviceName, filter.serviceName) &&
    same(log.severityText, filter.severityText) &&
    matchesAttributes(log.attributes, filter.attributes)
  );
}

export function metricMatches(metric: CapturedMetric, filter: MetricFilter): boolean {
  return (
    matchesText(metric.name, filter.name) &&
    same(metric.serviceName, filter.serviceName) &&
    same(metric.type, filter.type)
  );
}
