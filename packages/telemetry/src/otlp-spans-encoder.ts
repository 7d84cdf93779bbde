// Encodes finished spans into an OTLP ExportTraceServiceRequest (protobuf). A SpanBatch encodes each
// span as it is added, into one buffer per instrumentation scope, so a span's objects can be
// collected as soon as it ends instead of waiting for its batch (and surviving young-generation
// collections on the way); taking the batch only wraps the encoded spans in the request.
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { writeAnyValue } from './otlp-logs-encoder.ts';
import { ProtobufWriter, encodeKeyField } from './protobuf-writer.ts';

const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

/** Attribute keys encoded once (they come from names.ts and the libraries: a few dozen). */
const keyFields = new Map<string, Uint8Array | undefined>();
const MAX_CACHED_KEYS = 1_024;

function keyFieldOf(key: string): Uint8Array | undefined {
  let encoded = keyFields.get(key);
  if (encoded === undefined && !keyFields.has(key) && keyFields.size < MAX_CACHED_KEYS) {
    encoded = encodeKeyField(key);
    keyFields.set(key, encoded);
  }
  return encoded;
}

function writeAttributes(
  writer: ProtobufWriter,
  field: number,
  attributes: Attributes | Readonly<Record<string, string>> | undefined,
): void {
  if (attributes === undefined) return;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    const keyField = keyFieldOf(key);
    if (keyField !== undefined && writer.keyValue(field, keyField, value)) continue;
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

/** One Span message's fields (the caller opens the message). */
function writeSpan(writer: ProtobufWriter, span: ReadableSpan): void {
  const own = span.spanContext();
  const parent = span.parentSpanContext;
  writer.hexId(1, own.traceId, 16);
  writer.hexId(2, own.spanId, 8);
  const traceState = own.traceState?.serialize();
  if (traceState !== undefined && traceState !== '') writer.string(3, traceState);
  writer.hexId(4, parent?.spanId, 8);
  writer.string(5, span.name);
  writer.uint(6, span.kind + 1); // API SpanKind INTERNAL=0 … ; OTLP SPAN_KIND_INTERNAL=1 …
  writer.fixed64Nanos(7, span.startTime[0], span.startTime[1]);
  writer.fixed64Nanos(8, span.endTime[0], span.endTime[1]);
  writeAttributes(writer, 9, span.attributes);
  if (span.droppedAttributesCount > 0) writer.uint(10, span.droppedAttributesCount);
  for (const event of span.events) {
    writer.message(11, (eventWriter) => {
      eventWriter.fixed64Nanos(1, event.time[0], event.time[1]);
      eventWriter.string(2, event.name);
      writeAttributes(eventWriter, 3, event.attributes);
    });
  }
  if (span.droppedEventsCount > 0) writer.uint(12, span.droppedEventsCount);
  for (const link of span.links) {
    writer.message(13, (linkWriter) => {
      const linked = link.context;
      linkWriter.hexId(1, linked.traceId, 16);
      linkWriter.hexId(2, linked.spanId, 8);
      const linkedState = linked.traceState?.serialize();
      if (linkedState !== undefined && linkedState !== '') linkWriter.string(3, linkedState);
      writeAttributes(linkWriter, 4, link.attributes);
      linkWriter.fixed32(6, remoteFlags(linked.traceFlags, linked.isRemote));
    });
  }
  if (span.droppedLinksCount > 0) writer.uint(14, span.droppedLinksCount);
  writer.message(15, (status) => {
    if (span.status.message !== undefined && span.status.message !== '') {
      status.string(2, span.status.message);
    }
    if (span.status.code !== SpanStatusCode.UNSET) status.uint(3, span.status.code);
  });
  writer.fixed32(16, remoteFlags(own.traceFlags, parent?.isRemote ?? false));
}

interface ScopeSpans {
  readonly scope: InstrumentationScope;
  /** Encoded `spans` fields (ScopeSpans field 2) of this batch. */
  readonly spans: ProtobufWriter;
}

/** Finished spans, encoded as they are added, until taken as one export request. */
export class SpanBatch {
  private readonly resource: Uint8Array;
  /** By the tracer's scope object (the SDK keeps one per tracer); only scopes of this batch. */
  private readonly scopes = new Map<InstrumentationScope, ScopeSpans>();
  private count = 0;

  constructor(resource: Readonly<Record<string, string>>) {
    const writer = new ProtobufWriter();
    writeAttributes(writer, 1, resource);
    this.resource = writer.finish();
  }

  /** Spans added since the last take(). */
  get size(): number {
    return this.count;
  }

  add(span: ReadableSpan): void {
    const scope = span.instrumentationScope;
    let entry = this.scopes.get(scope);
    if (entry === undefined) {
      entry = { scope, spans: new ProtobufWriter() };
      this.scopes.set(scope, entry);
    }
    entry.spans.message(2, (writer) => {
      writeSpan(writer, span);
    });
    this.count += 1;
  }

  /** The export request of every span added since the last take(); undefined when there is none. */
  take(): Uint8Array | undefined {
    if (this.count === 0) return undefined;
    const request = new ProtobufWriter();
    request.message(1, (resourceSpans) => {
      resourceSpans.bytes(1, this.resource);
      for (const [key, entry] of this.scopes) {
        if (entry.spans.byteLength === 0) {
          // no span of this scope since the last batch: forget it (a new one is cheap)
          this.scopes.delete(key);
          continue;
        }
        resourceSpans.message(2, (scopeSpans) => {
          scopeSpans.message(1, (scope) => {
            scope.string(1, entry.scope.name);
            if (entry.scope.version !== undefined) scope.string(2, entry.scope.version);
          });
          scopeSpans.raw(entry.spans.written());
        });
        entry.spans.reset();
      }
    });
    this.count = 0;
    return request.finish();
  }
}
