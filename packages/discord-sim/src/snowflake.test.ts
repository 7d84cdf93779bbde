import { describe, expect, it } from 'vitest';
import { createSnowflakeGenerator, snowflakeTimestamp } from './snowflake.ts';

describe('snowflakes', () => {
  it('are unique, increasing, 19 digits and carry their creation time', () => {
    const next = createSnowflakeGenerator();
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => next());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || BigInt(id) > BigInt(ids[i - 1]!))).toBe(true);
    expect(ids.every((id) => /^\d{19}$/.test(id))).toBe(true);
    expect(snowflakeTimestamp(ids[0]!)).toBeGreaterThanOrEqual(before);
  });
});
