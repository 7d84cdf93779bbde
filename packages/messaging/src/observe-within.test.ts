import { describe, expect, it } from 'vitest';
import { within } from './observe-within.ts';

describe('within', () => {
  it('gives the value of work that finishes in time', async () => {
    expect(await within(Promise.resolve(3), 1_000)).toBe(3);
  });

  it('gives undefined for work that fails', async () => {
    expect(await within(Promise.reject<number>(new Error('down')), 1_000)).toBeUndefined();
  });

  it('gives up on work that hangs', async () => {
    expect(await within(new Promise<number>(() => undefined), 20)).toBeUndefined();
  });
});
