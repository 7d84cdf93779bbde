// A minimal protobuf writer: just what encoding OTLP log records needs (varints, fixed64/32,
// doubles, length-delimited strings, bytes and nested messages).

const textEncoder = new TextEncoder();

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export class ProtobufWriter {
  private buffer = new Uint8Array(256);
  private length = 0;
  private readonly view = (): DataView =>
    new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
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
    this.view().setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    this.view().setBigUint64(this.length, value, true);
    this.length += 8;
    return this;
  }

  fixed32(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.reserve(4);
    this.view().setUint32(this.length, value, true);
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

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** A nested message, written by `write` into a fresh writer. */
  message(field: number, write: (writer: ProtobufWriter) => void): this {
    const nested = new ProtobufWriter();
    write(nested);
    return this.bytes(field, nested.finish());
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
