// Encodes pino JSON log lines straight into OTLP protobuf (ExportLogsServiceRequest), without the
// OpenTelemetry logs SDK: the log transport worker does this for every line, so it must be cheap.
import { ProtobufWriter, isHexId } from './protobuf-writer.ts';

// opentelemetry.proto.logs.v1 / common.v1 field numbers
const LOG_TIME = 1;
const LOG_SEVERITY_NUMBER = 2;
const LOG_SEVERITY_TEXT = 3;
const LOG_BODY = 5;
const LOG_ATTRIBUTES = 6;
const LOG_FLAGS = 8;
const LOG_TRACE_ID = 9;
const LOG_SPAN_ID = 10;
const LOG_OBSERVED_TIME = 11;
const ANY_STRING = 1;
const ANY_BOOL = 2;
const ANY_INT = 3;
const ANY_DOUBLE = 4;
const ANY_ARRAY = 5;
const ANY_KVLIST = 6;
const KV_KEY = 1;
const KV_VALUE = 2;
const LIST_VALUES = 1;

/** pino level → [OTLP SeverityNumber, severity text]. */
const SEVERITY: Readonly<Record<number, readonly [number, string]>> = {
  10: [1, 'TRACE'],
  20: [5, 'DEBUG'],
  30: [9, 'INFO'],
  40: [13, 'WARN'],
  50: [17, 'ERROR'],
  60: [21, 'FATAL'],
};

/** Fields of a pino line that become LogRecord fields rather than attributes. */
const RECORD_FIELDS = new Set([
  'time',
  'level',
  'msg',
  'trace_id',
  'span_id',
  'trace_flags',
  'pid',
  'hostname',
]);

export function writeAnyValue(writer: ProtobufWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      writer.string(ANY_STRING, value);
      return;
    case 'boolean':
      writer.bool(ANY_BOOL, value);
      return;
    case 'number':
      if (Number.isSafeInteger(value)) writer.int64(ANY_INT, value);
      else writer.double(ANY_DOUBLE, value);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        writer.message(ANY_ARRAY, (array) => {
          for (const item of value)
            array.message(LIST_VALUES, (any) => {
              writeAnyValue(any, item);
            });
        });
        return;
      }
      writer.message(ANY_KVLIST, (list) => {
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          list.message(LIST_VALUES, (kv) => {
            writeKeyValue(kv, key, item);
          });
        }
      });
      return;
    default:
      writer.string(ANY_STRING, String(value));
  }
}

function writeKeyValue(writer: ProtobufWriter, key: string, value: unknown): void {
  writer.string(KV_KEY, key);
  writer.message(KV_VALUE, (any) => {
    writeAnyValue(any, value);
  });
}

/** Encodes a list of attributes as repeated KeyValue messages under `field`. */
export function writeAttributes(
  writer: ProtobufWriter,
  field: number,
  attributes: Readonly<Record<string, unknown>>,
): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined)
      writer.message(field, (kv) => {
        writeKeyValue(kv, key, value);
      });
  }
}

/** One parsed pino line → an encoded LogRecord message (without its field tag). */
export function encodeLogRecord(
  line: Readonly<Record<string, unknown>>,
  observedMs: number,
): Uint8Array {
  const writer = new ProtobufWriter();
  const time = typeof line['time'] === 'number' ? line['time'] : observedMs;
  writer.fixed64(LOG_TIME, BigInt(Math.round(time)) * 1_000_000n);
  writer.fixed64(LOG_OBSERVED_TIME, BigInt(Math.round(observedMs)) * 1_000_000n);
  const level = typeof line['level'] === 'number' ? line['level'] : 30;
  const [severityNumber, severityText] = SEVERITY[level] ?? [9, 'INFO'];
  writer.uint(LOG_SEVERITY_NUMBER, severityNumber);
  writer.string(LOG_SEVERITY_TEXT, severityText);
  if (typeof line['msg'] === 'string') {
    writer.message(LOG_BODY, (any) => any.string(ANY_STRING, line['msg'] as string));
  }
  for (const [key, value] of Object.entries(line)) {
    if (!RECORD_FIELDS.has(key) && value !== undefined) {
      writer.message(LOG_ATTRIBUTES, (kv) => {
        writeKeyValue(kv, key, value);
      });
    }
  }
  const traceId = line['trace_id'];
  const spanId = line['span_id'];
  if (isHexId(traceId, 16) && isHexId(spanId, 8)) {
    const flags =
      typeof line['trace_flags'] === 'string' ? Number.parseInt(line['trace_flags'], 16) : 1;
    writer.fixed32(LOG_FLAGS, Number.isNaN(flags) ? 0 : flags & 0xff);
    writer.hexId(LOG_TRACE_ID, traceId, 16);
    writer.hexId(LOG_SPAN_ID, spanId, 8);
  }
  return writer.finish();
}

/** Pre-encodes the resource and scope once; wraps batches of encoded records into a request. */
export function createLogsRequestEncoder(
  resource: Readonly<Record<string, string>>,
  scopeName: string,
): (records: readonly Uint8Array[]) => Uint8Array {
  const resourceWriter = new ProtobufWriter();
  writeAttributes(resourceWriter, 1, resource);
  const encodedResource = resourceWriter.finish();
  const scopeWriter = new ProtobufWriter();
  scopeWriter.string(1, scopeName);
  const encodedScope = scopeWriter.finish();

  return (records) => {
    const scopeLogs = new ProtobufWriter();
    scopeLogs.bytes(1, encodedScope);
    for (const record of records) scopeLogs.bytes(2, record);
    const resourceLogs = new ProtobufWriter();
    resourceLogs.bytes(1, encodedResource);
    resourceLogs.bytes(2, scopeLogs.finish());
    return new ProtobufWriter().bytes(1, resourceLogs.finish()).finish();
  };
}
