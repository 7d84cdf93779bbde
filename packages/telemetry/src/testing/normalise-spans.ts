// Turns a decoded ExportTraceServiceRequest into CapturedSpan records.
import type {
  CapturedOrigin,
  CapturedSpan,
  SpanKindName,
  SpanStatusCodeName,
} from './captured-types.ts';
import { captureOrigin, flattenAttributes, hexId } from './any-value.ts';
import type { DecodedSpan, DecodedTraceRequest } from './otlp-decoded.ts';

const spanKinds: readonly SpanKindName[] = [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
];
const statusCodes: readonly SpanStatusCodeName[] = ['UNSET', 'OK', 'ERROR'];

/** SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK and SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK from trace.proto. */
const hasIsRemoteMask = 0x100;
const isRemoteMask = 0x200;

export function normaliseSpans(request: DecodedTraceRequest): CapturedSpan[] {
  const spans: CapturedSpan[] = [];
  for (const resourceSpans of request.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const origin = captureOrigin(resourceSpans.resource, scopeSpans.scope);
      for (const span of scopeSpans.spans) spans.push({ ...origin, ...normaliseSpan(span) });
    }
  }
  return spans;
}

function normaliseSpan(span: DecodedSpan): Omit<CapturedSpan, keyof CapturedOrigin> {
  const start = span.startTimeUnixNano ?? 0n;
  const end = span.endTimeUnixNano ?? 0n;
  const flags = span.flags ?? 0;
  const parentSpanId = hexId(span.parentSpanId);
  return {
    traceId: hexId(span.traceId) ?? '',
    spanId: hexId(span.spanId) ?? '',
    parentSpanId,
    parentIsRemote:
      parentSpanId !== undefined && (flags & hasIsRemoteMask) !== 0
        ? (flags & isRemoteMask) !== 0
        : undefined,
    traceState: span.traceState ?? '',
    flags,
    name: span.name ?? '',
    kind: spanKinds[span.kind ?? 0] ?? 'UNSPECIFIED',
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    durationMs: Number(end - start) / 1e6,
    attributes: flattenAttributes(span.attributes),
    status: {
      code: statusCodes[span.status?.code ?? 0] ?? 'UNSET',
      message: span.status?.message ?? '',
    },
    events: span.events.map((event) => ({
      name: event.name ?? '',
      timeUnixNano: event.timeUnixNano ?? 0n,
      attributes: flattenAttributes(event.attributes),
    })),
    links: span.links.map((link) => ({
      traceId: hexId(link.traceId) ?? '',
      spanId: hexId(link.spanId) ?? '',
      traceState: link.traceState ?? '',
      attributes: flattenAttributes(link.attributes),
    })),
  };
}
