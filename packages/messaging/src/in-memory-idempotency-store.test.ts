import { describe, expect, it } from 'vitest';
import { createInMemoryIdempotencyStore } from './in-memory-idempotency-store.ts';

describe('in-memory idempotency store', () => {
  it('runs the work for a message id once per consumer', async () => {
    const store = createInMemoryIdempotencyStore();
    let runs = 0;
    const work = (): Promise<number> => Promise.resolve(++runs);
    expect(await store.runOnce('bot', 'm1', work)).toEqual({ ran: true, value: 1 });
    expect(await store.runOnce('bot', 'm1', work)).toEqual({ ran: false });
    expect(await store.runOnce('notification-daemon', 'm1', work)).toEqual({ ran: true, value: 2 });
    expect(store.seen('bot', 'm1')).toBe(true);
  });

  it('does not remember work that failed, so a retry runs it again', async () => {
    const store = createInMemoryIdempotencyStore();
    await expect(
      store.runOnce('bot', 'm1', () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(store.seen('bot', 'm1')).toBe(false);
    expect(await store.runOnce('bot', 'm1', () => Promise.resolve('ok'))).toEqual({
      ran: true,
      value: 'ok',
    });
  });

  it('makes a concurrent duplicate wait and then skip', async () => {
    const store = createInMemoryIdempotencyStore();
    let release: () => void = () => undefined;
    const first = store.runOnce(
      'bot',
      'm1',
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const second = store.runOnce('bot', 'm1', () => Promise.resolve());
    release();
    expect(await first).toEqual({ ran: true, value: undefined });
    expect(await second).toEqual({ ran: false });
  });
});
