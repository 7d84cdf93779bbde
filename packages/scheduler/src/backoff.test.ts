import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.ts';

const options = { baseMs: 1_000, maxMs: 60_000 };

describe('backoffDelayMs', () => {
  it('waits the base delay after the first failure', () => {
    expect(backoffDelayMs(1, options)).toBe(1_000);
  });

  it('doubles the delay with every further failure', () => {
    expect([2, 3, 4].map((attempts) => backoffDelayMs(attempts, options))).toEqual([
      2_000, 4_000, 8_000,
    ]);
  });

  it('never waits longer than the ceiling, however many failures', () => {
    expect(backoffDelayMs(7, options)).toBe(60_000);
    expect(backoffDelayMs(10_000, options)).toBe(60_000);
  });
});
