// Carrying a trace across time: serialise the active span context to a W3C `traceparent` string (to
// store it in a database row), and later start a NEW root span linked to it (scheduled jobs).
import {
  SpanKind,
  TraceFlags,
  context,
  isSpanContextValid,
  trace,
  type Attributes,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { withSpan } from './span-helpers.ts';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** W3C traceparent of the active span, or undefined when there is no valid active span. */
export function currentTraceparent(): string | undefined {
  const span = trace.getSpan(context.active());
  return span === undefined ? undefined : formatTraceparent(span.spanContext());
}

/** Formats a span context as a W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
export function formatTraceparent(spanContext: SpanContext): string | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** Parses a stored traceparent; undefined when absent or malformed. */
export function parseTraceparent(traceparent: string | null | undefined): SpanContext | undefined {
  if (traceparent === null || traceparent === undefined) return undefined;
  const match = TRACEPARENT.exec(traceparent.trim().toLowerCase());
  if (match === null) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * Starts a new ROOT span (a new trace) linked to the trace described by `traceparent`, runs `fn`
 * inside it and ends it like withSpan. A missing or malformed traceparent just means no link.
 */
export function startLinkedRootSpan<T>(
  name: string,
  traceparent: string | null | undefined,
  attributes: Attributes,
  fn: (span: Span) => T,
): T {
  const linked = parseTraceparent(traceparent);
  return withSpan(name, attributes, fn, {
    root: true,
    kind: SpanKind.INTERNAL,
    links: linked === undefined ? [] : [{ context: linked }],
  });
}
