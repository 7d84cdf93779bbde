import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobuf-writer.ts';

/** Reads field 1 (string) and every field 2 (nested message, recursively) with protobufjs. */
function decode(bytes: Uint8Array): { text: string; children: unknown[] } {
  const reader = protobuf.Reader.create(bytes);
  const node = { text: '', children: [] as unknown[] };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) node.text = reader.string();
    else if (tag >>> 3 === 2) node.children.push(decode(reader.bytes()));
    else reader.skipType(tag & 7);
  }
  return node;
}

describe('the protobuf writer', () => {
  it('writes nested messages of every length-prefix size in place', () => {
    for (const size of [0, 1, 127, 128, 16_383, 16_384, 300_000]) {
      const text = 'x'.repeat(size);
      const bytes = new ProtobufWriter()
        .message(2, (child) => {
          child.string(1, text);
          child.message(2, (grandchild) => grandchild.string(1, 'inner'));
        })
        .finish();
      expect(decode(bytes)).toEqual({
        text: '',
        children: [{ text, children: [{ text: 'inner', children: [] }] }],
      });
    }
  });

  it('writes UTF-8 for strings beyond ASCII, short and long', () => {
    for (const text of ['café', 'ゲーム', '🎲 dice night', `${'é'.repeat(200)}🎲`]) {
      expect(decode(new ProtobufWriter().string(1, text).finish()).text).toBe(text);
    }
  });

  it('writes [seconds, nanoseconds] as the fixed64 nanoseconds BigInt arithmetic gives', () => {
    const times: [number, number][] = [
      [0, 0],
      [0, 999_999_999],
      [1_700_000_000, 5],
      [1_795_000_000, 123_456_789],
      [65_535, 999_999_999],
      [65_536, 0],
      [2 ** 32 + 5, 999_999_999],
    ];
    for (const [seconds, nanoseconds] of times) {
      const bytes = new ProtobufWriter().fixed64Nanos(7, seconds, nanoseconds).finish();
      expect(bytes).toHaveLength(9);
      expect(bytes[0]).toBe((7 << 3) | 1);
      const read = new DataView(bytes.buffer, bytes.byteOffset + 1, 8).getBigUint64(0, true);
      expect(read).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds));
    }
  });

  it('writes an id from lowercase hex, and nothing for anything else', () => {
    const writer = new ProtobufWriter();
    expect(writer.hexId(2, 'b7ad6b7169203331', 8)).toBe(true);
    const written = writer.byteLength;
    for (const bad of ['B7AD6B7169203331', 'b7ad6b716920333', 'b7ad6b716920333g', undefined]) {
      expect(writer.hexId(2, bad, 8)).toBe(false);
    }
    expect(writer.byteLength).toBe(written);
    expect([...writer.finish()]).toEqual([0x12, 8, 0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31]);
  });
});
