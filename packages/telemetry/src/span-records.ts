// Compact, structured-clone-friendly copies of finished spans: what the main thread hands to the span
// export worker instead of serialising OTLP itself.
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean | undefined;
  readonly traceState: string | undefined;
  readonly traceFlags: number;
  readonly name: string;
  readonly kind: number;
  /** [seconds, nanoseconds] */
  readonly start: readonly [number, number];
  readonly end: readonly [number, number];
  readonly attributes: Attributes;
  readonly droppedAttributes: number;
  readonly events: readonly {
    name: string;
    time: readonly [number, number];
    attributes: Attributes | undefined;
  }[];
  readonly droppedEvents: number;
  readonly links: readonly {
    traceId: string;
    spanId: string;
    traceState: string | undefined;
    traceFlags: number;
    isRemote: boolean | undefined;
    attributes: Attributes | undefined;
  }[];
  readonly droppedLinks: number;
  readonly statusCode: number;
  readonly statusMessage: string | undefined;
  readonly scopeName: string;
  readonly scopeVersion: string | undefined;
}

export function toSpanRecord(span: ReadableSpan): SpanRecord {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parent?.spanId,
    parentIsRemote: parent?.isRemote,
    traceState: context.traceState?.serialize(),
    traceFlags: context.traceFlags,
    name: span.name,
    kind: span.kind,
    start: span.startTime,
    end: span.endTime,
    attributes: span.attributes,
    droppedAttributes: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      name: event.name,
      time: event.time,
      attributes: event.attributes,
    })),
    droppedEvents: span.droppedEventsCount,
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      traceState: link.context.traceState?.serialize(),
      traceFlags: link.context.traceFlags,
      isRemote: link.context.isRemote,
      attributes: link.attributes,
    })),
    droppedLinks: span.droppedLinksCount,
    statusCode: span.status.code,
    statusMessage: span.status.message,
    scopeName: span.instrumentationScope.name,
    scopeVersion: span.instrumentationScope.version,
  };
}
