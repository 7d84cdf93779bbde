// Encodes span records into an OTLP ExportTraceServiceRequest (protobuf), grouped by scope.
import { writeAnyValue } from './otlp-logs-encoder.ts';
import { ProtobufWriter, isHexId } from './protobuf-writer.ts';
import type { SpanRecord } from './span-records.ts';

const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

function nanos([seconds, nanoseconds]: readonly [number, number]): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds);
}

function writeAttributes(
  writer: ProtobufWriter,
  field: number,
  attributes: Readonly<Record<string, unknown>> | undefined,
): void {
  if (attributes === undefined) return;
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    writer.message(field, (kv) => {
      kv.string(1, key);
      kv.message(2, (any) => {
        writeAnyValue(any, value);
      });
    });
  }
}

function remoteFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (
    (traceFlags & 0xff) |
    (isRemote === undefined ? 0 : HAS_IS_REMOTE) |
    (isRemote === true ? IS_REMOTE : 0)
  );
}

function writeSpan(writer: ProtobufWriter, span: SpanRecord): void {
  if (isHexId(span.traceId, 16)) writer.hexBytes(1, span.traceId);
  if (isHexId(span.spanId, 8)) writer.hexBytes(2, span.spanId);
  if (span.traceState !== undefined && span.traceState !== '') writer.string(3, span.traceState);
  if (isHexId(span.parentSpanId, 8)) writer.hexBytes(4, span.parentSpanId);
  writer.string(5, span.name);
  writer.uint(6, span.kind + 1); // API SpanKind INTERNAL=0 … ; OTLP SPAN_KIND_INTERNAL=1 …
  writer.fixed64(7, nanos(span.start));
  writer.fixed64(8, nanos(span.end));
  writeAttributes(writer, 9, span.attributes);
  if (span.droppedAttributes > 0) writer.uint(10, span.droppedAttributes);
  for (const event of span.events) {
    writer.message(11, (eventWriter) => {
      eventWriter.fixed64(1, nanos(event.time));
      eventWriter.string(2, event.name);
      writeAttributes(eventWriter, 3, event.attributes);
    });
  }
  if (span.droppedEvents > 0) writer.uint(12, span.droppedEvents);
  for (const link of span.links) {
    writer.message(13, (linkWriter) => {
      if (isHexId(link.traceId, 16)) linkWriter.hexBytes(1, link.traceId);
      if (isHexId(link.spanId, 8)) linkWriter.hexBytes(2, link.spanId);
      if (link.traceState !== undefined && link.traceState !== '') {
        linkWriter.string(3, link.traceState);
      }
      writeAttributes(linkWriter, 4, link.attributes);
      linkWriter.fixed32(6, remoteFlags(link.traceFlags, link.isRemote));
    });
  }
  if (span.droppedLinks > 0) writer.uint(14, span.droppedLinks);
  writer.message(15, (status) => {
    if (span.statusMessage !== undefined && span.statusMessage !== '') {
      status.string(2, span.statusMessage);
    }
    if (span.statusCode !== 0) status.uint(3, span.statusCode);
  });
  writer.fixed32(16, remoteFlags(span.traceFlags, span.parentIsRemote ?? false));
}

/** Pre-encodes the resource; turns a batch of span records into one export request. */
export function createTraceRequestEncoder(
  resource: Readonly<Record<string, string>>,
): (spans: readonly SpanRecord[]) => Uint8Array {
  const resourceWriter = new ProtobufWriter();
  writeAttributes(resourceWriter, 1, resource);
  const encodedResource = resourceWriter.finish();

  return (spans) => {
    const byScope = new Map<string, SpanRecord[]>();
    for (const span of spans) {
      const key = `${span.scopeName}\u0000${span.scopeVersion ?? ''}`;
      const list = byScope.get(key);
      if (list === undefined) byScope.set(key, [span]);
      else list.push(span);
    }
    const resourceSpans = new ProtobufWriter();
    resourceSpans.bytes(1, encodedResource);
    for (const list of byScope.values()) {
      const first = list[0];
      if (first === undefined) continue;
      resourceSpans.message(2, (scopeSpans) => {
        scopeSpans.message(1, (scope) => {
          scope.string(1, first.scopeName);
          if (first.scopeVersion !== undefined) scope.string(2, first.scopeVersion);
        });
        for (const span of list) {
          scopeSpans.message(2, (spanWriter) => {
            writeSpan(spanWriter, span);
          });
        }
      });
    }
    return new ProtobufWriter().bytes(1, resourceSpans.finish()).finish();
  };
}
