// Flattens OTLP AnyValue/KeyValue lists into plain data for assertions.
import type { AttributeValue, Attributes, CapturedOrigin } from './captured-types.ts';
import type {
  DecodedAnyValue,
  DecodedKeyValue,
  DecodedResource,
  DecodedScope,
} from './otlp-decoded.ts';

/** int64 becomes a number (precise up to 2^53), bytes become base64 text, an empty AnyValue null. */
export function flattenAnyValue(value: DecodedAnyValue | undefined): AttributeValue {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return value.arrayValue.values.map(flattenAnyValue);
  if (value.kvlistValue !== undefined) return flattenAttributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return Buffer.from(value.bytesValue).toString('base64');
  return null;
}

export function flattenAttributes(keyValues: DecodedKeyValue[] | undefined): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of keyValues ?? []) attributes[key ?? ''] = flattenAnyValue(value);
  return attributes;
}

/** Lower-case hex of an ID; undefined for an absent or empty (all-unset) ID. */
export function hexId(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  const hex = Buffer.from(bytes).toString('hex');
  return /^0+$/.test(hex) ? undefined : hex;
}

export function captureOrigin(
  resource: DecodedResource | undefined,
  scope: DecodedScope | undefined,
): CapturedOrigin {
  const resourceAttributes = flattenAttributes(resource?.attributes);
  const serviceName = resourceAttributes['service.name'];
  return {
    resource: resourceAttributes,
    serviceName: typeof serviceName === 'string' ? serviceName : undefined,
    scope: {
      name: scope?.name ?? '',
      version: scope?.version ?? '',
      attributes: flattenAttributes(scope?.attributes),
    },
  };
}
