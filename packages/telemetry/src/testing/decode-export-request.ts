// Decodes the body of an OTLP/HTTP export request (binary protobuf or OTLP/JSON) into plain objects
// shaped like the .proto messages (camelCase fields, 64-bit integers as bigint, bytes as Uint8Array,
// enums as numbers), and encodes the matching empty response.
import type { Signal } from './captured-types.ts';
import { otlpMessageTypes } from './otlp-schema.ts';

export type OtlpEncoding = 'protobuf' | 'json';

const toObjectOptions = { longs: BigInt, enums: Number, arrays: true } as const;

/** Fields OTLP/JSON writes as hex strings where protobuf's JSON mapping would use base64. */
const hexIdFields = new Set(['traceId', 'spanId', 'parentSpanId']);

export function decodeExportRequest(
  signal: Signal,
  encoding: OtlpEncoding,
  body: Uint8Array,
): Record<string, unknown> {
  const { request } = otlpMessageTypes(signal);
  const message =
    encoding === 'protobuf'
      ? request.decode(body)
      : request.fromObject(hexIdsToBytes(JSON.parse(Buffer.from(body).toString('utf8'))) as object);
  return request.toObject(message, toObjectOptions);
}

/** An empty ExportXServiceResponse (no partial success) in the request's encoding. */
export function encodeEmptyResponse(signal: Signal, encoding: OtlpEncoding): Buffer {
  if (encoding === 'json') return Buffer.from('{}');
  const { response } = otlpMessageTypes(signal);
  return Buffer.from(response.encode(response.create({})).finish());
}

function hexIdsToBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hexIdsToBytes);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    result[key] =
      hexIdFields.has(key) && typeof field === 'string'
        ? Buffer.from(field, 'hex')
        : hexIdsToBytes(field);
  }
  return result;
}

/** Deep copy with bigint as decimal text and bytes as hex, so the payload can be shown as JSON. */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) result[key] = toJsonSafe(field);
  return result;
}
