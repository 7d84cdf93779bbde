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
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** A bytes field from lowercase hex (trace and span ids), decoded in place; see isHexId. */
  hexBytes(field: number, hex: string): this {
    const byteLength = hex.length >> 1;
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(byteLength);
    this.reserve(byteLength);
    for (let i = 0; i < byteLength; i += 1) {
      this.buffer[this.length++] =
        (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
    }
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
    let lengthBytes = 1;
    for (let rest = bodyLength; rest > 0x7f; rest = Math.floor(rest / 128)) lengthBytes += 1;
    if (lengthBytes > MAX_LENGTH_BYTES) throw new RangeError('protobuf message too large');
    if (lengthBytes < MAX_LENGTH_BYTES) {
      this.buffer.copyWithin(lengthAt + lengthBytes, bodyStart, this.length);
    }
    this.length = lengthAt;
    this.rawVarint(bodyLength);
    this.length += bodyLength;
    return this;
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
