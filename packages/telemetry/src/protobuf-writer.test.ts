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
});
