// A minimal protobuf writer: just what encoding OTLP records needs (varints, fixed64/32, doubles,
// length-delimited strings, bytes and nested messages). Everything is written into one growing
// buffer: a nested message reserves room for its length, is written in place, and is moved left
// once its length is known, so encoding allocates almost nothing per field.

const textEncoder = new TextEncoder();

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
/** Room reserved for a nested message's length: 4 varint bytes cover bodies up to 256 MiB. */
const MAX_LENGTH_BYTES = 4;

/** 0–15 for a lowercase hex digit, -1 for anything else. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Bytes of `value` as a varint. */
function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest > 0x7f; rest = Math.floor(rest / 128)) size += 1;
  return size;
}

/**
 * An attribute key encoded once as KeyValue's `key` field (tag, length, ASCII bytes) for
 * ProtobufWriter.keyValue; undefined for a key that is not short ASCII.
 */
export function encodeKeyField(key: string): Uint8Array | undefined {
  if (key.length >= 128) return undefined;
  const bytes = new Uint8Array(2 + key.length);
  bytes[0] = (1 << 3) | WIRE_LENGTH_DELIMITED;
  bytes[1] = key.length;
  for (let i = 0; i < key.length; i += 1) {
    const code = key.charCodeAt(i);
    if (code >= 0x80) return undefined;
    bytes[2 + i] = code;
  }
  return bytes;
}

/** Whether `value` is lowercase hex of exactly `byteLength` bytes (a trace or span id). */
export function isHexId(value: unknown, byteLength: number): value is string {
  if (typeof value !== 'string' || value.length !== byteLength * 2) return false;
  for (let i = 0; i < value.length; i += 1) {
    if (nibble(value.charCodeAt(i)) === -1) return false;
  }
  return true;
}

export class ProtobufWriter {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  private rawVarint(value: number): void {
    this.reserve(10);
    let remaining = value;
    while (remaining > 0x7f) {
      this.buffer[this.length++] = (remaining & 0x7f) | 0x80;
      remaining = Math.floor(remaining / 128);
    }
    this.buffer[this.length++] = remaining;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint((field << 3) | wire);
  }

  /** uint32/uint64/enum/bool fields with non-negative values. */
  uint(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  /** int64 (two's complement for negatives, as protobuf requires). */
  int64(field: number, value: number): this {
    if (value >= 0 && Number.isSafeInteger(value)) return this.uint(field, value);
    this.tag(field, WIRE_VARINT);
    let remaining = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    this.reserve(10);
    while (remaining > 0x7fn) {
      this.buffer[this.length++] = Number(remaining & 0x7fn) | 0x80;
      remaining >>= 7n;
    }
    this.buffer[this.length++] = Number(remaining);
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  double(field: number, value: number): this {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    this.view.setBigUint64(this.length, value, true);
    this.length += 8;
    return this;
  }

  fixed32(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.length);
    return this.raw(value);
  }

  /**
   * A bytes field of `byteLength` bytes from lowercase hex (trace and span ids), checked while it
   * is decoded in place; returns false, having written nothing, unless `hex` is exactly that.
   */
  hexId(field: number, hex: string | undefined, byteLength: number): boolean {
    if (hex?.length !== byteLength * 2) return false;
    const start = this.length;
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(byteLength);
    this.reserve(byteLength);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < hex.length; i += 2) {
      const high = nibble(hex.charCodeAt(i));
      const low = nibble(hex.charCodeAt(i + 1));
      if (high < 0 || low < 0) {
        this.length = start;
        return false;
      }
      buffer[at++] = (high << 4) | low;
    }
    this.length = at;
    return true;
  }

  /**
   * A fixed64 field of nanoseconds from [seconds, nanoseconds] (OpenTelemetry's HrTime), in two
   * 32-bit halves computed exactly with doubles instead of BigInt arithmetic (which allocates).
   */
  fixed64Nanos(field: number, seconds: number, nanoseconds: number): this {
    // seconds · 10⁹ + nanoseconds, with seconds split at 2¹⁶ so every product stays below 2⁵³
    const high16 = Math.floor(seconds / 65_536);
    const low16 = seconds - high16 * 65_536;
    const a = high16 * 1e9; // to be shifted left by 16 bits
    const b = low16 * 1e9 + nanoseconds;
    const lowSum = (a % 65_536) * 65_536 + (b % 4_294_967_296);
    const low32 = lowSum % 4_294_967_296;
    const high32 =
      Math.floor(a / 65_536) + Math.floor(b / 4_294_967_296) + Math.floor(lowSum / 4_294_967_296);
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    this.view.setUint32(this.length, low32, true);
    this.view.setUint32(this.length + 4, high32, true);
    this.length += 8;
    return this;
  }

  string(field: number, value: string): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    if (value.length < 128) {
      // short strings, usually ASCII: one length byte, copied char by char
      this.reserve(1 + value.length);
      const start = this.length + 1;
      let ascii = true;
      for (let i = 0; i < value.length; i += 1) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) {
          ascii = false;
          break;
        }
        this.buffer[start + i] = code;
      }
      if (ascii) {
        this.buffer[this.length] = value.length;
        this.length = start + value.length;
        return this;
      }
    }
    return this.lengthDelimited(() => {
      this.reserve(value.length * 3);
      const { written } = textEncoder.encodeInto(value, this.buffer.subarray(this.length));
      this.length += written;
    });
  }

  /** A nested message, written by `write` in place (the writer passed is this one). */
  message(field: number, write: (writer: ProtobufWriter) => void): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    return this.lengthDelimited(() => {
      write(this);
    });
  }

  /** Writes a body in place after room for its length, then writes the length and closes the gap. */
  private lengthDelimited(writeBody: () => void): this {
    this.reserve(MAX_LENGTH_BYTES);
    const lengthAt = this.length;
    const bodyStart = lengthAt + MAX_LENGTH_BYTES;
    this.length = bodyStart;
    writeBody();
    const bodyLength = this.length - bodyStart;
    const lengthBytes = varintSize(bodyLength);
    if (lengthBytes > MAX_LENGTH_BYTES) throw new RangeError('protobuf message too large');
    if (lengthBytes < MAX_LENGTH_BYTES) {
      this.buffer.copyWithin(lengthAt + lengthBytes, bodyStart, this.length);
    }
    this.length = lengthAt;
    this.rawVarint(bodyLength);
    this.length += bodyLength;
    return this;
  }

  /**
   * A KeyValue message (`key` from encodeKeyField, `value` an AnyValue) as field `field`, with its
   * lengths computed up front instead of reserved and shifted: for short ASCII strings, booleans
   * and non-negative safe integers. Returns false, having written nothing, for any other value.
   */
  keyValue(field: number, keyField: Uint8Array, value: unknown): boolean {
    let anyLength: number;
    let stringLength = 0;
    if (typeof value === 'string') {
      stringLength = value.length;
      if (stringLength > 125) return false; // the AnyValue's length must fit one byte
      anyLength = 2 + stringLength;
    } else if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) return false;
      anyLength = 1 + varintSize(value);
    } else if (typeof value === 'boolean') {
      anyLength = 2;
    } else {
      return false;
    }
    const bodyLength = keyField.length + 1 + varintSize(anyLength) + anyLength;
    const start = this.length;
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(bodyLength);
    this.reserve(bodyLength);
    const buffer = this.buffer;
    buffer.set(keyField, this.length);
    let at = this.length + keyField.length;
    buffer[at++] = (2 << 3) | WIRE_LENGTH_DELIMITED; // KeyValue.value
    buffer[at++] = anyLength; // < 128: one byte
    if (typeof value === 'string') {
      buffer[at++] = (1 << 3) | WIRE_LENGTH_DELIMITED; // AnyValue.string_value
      buffer[at++] = stringLength;
      for (let i = 0; i < stringLength; i += 1) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) {
          this.length = start; // not ASCII: the caller writes it the long way
          return false;
        }
        buffer[at++] = code;
      }
      this.length = at;
      return true;
    }
    this.length = at;
    if (typeof value === 'number')
      this.uint(3, value); // AnyValue.int_value
    else this.uint(2, value ? 1 : 0); // AnyValue.bool_value
    return true;
  }

  /** Bytes already encoded elsewhere (whole fields), appended as they are. */
  raw(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** How many bytes have been written. */
  get byteLength(): number {
    return this.length;
  }

  /** What has been written, as a view of the buffer (valid until the next write or reset). */
  written(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Starts over, keeping the buffer grown so far. */
  reset(): void {
    this.length = 0;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
