import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from './keyed-queue.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('createKeyedQueue', () => {
  it('runs the work of one key one at a time, in order, even when some fails', async () => {
    const queue = createKeyedQueue();
    const log: string[] = [];
    let running = 0;
    const job =
      (name: string, fail = false) =>
      async () => {
        running += 1;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        running -= 1;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run('game', job('a')),
      queue.run('game', job('b', true)),
      queue.run('game', job('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets different keys run side by side', async () => {
    const queue = createKeyedQueue();
    const order: string[] = [];
    await Promise.all([
      queue.run('one', async () => {
        order.push('one started');
        await tick();
        order.push('one ended');
      }),
      queue.run('two', async () => {
        order.push('two started');
        await tick();
        order.push('two ended');
      }),
    ]);
    expect(order.slice(0, 2)).toEqual(['one started', 'two started']);
  });

  it('runs work in the order places were reserved, not the order work was handed in', async () => {
    const queue = createKeyedQueue();
    const order: string[] = [];
    const first = queue.reserve('game');
    const second = queue.reserve('game');
    const third = queue.reserve('game');
    const done = [
      third.run(() => {
        order.push('third');
        return Promise.resolve();
      }),
      second.run(() => {
        order.push('second');
        return Promise.resolve();
      }),
    ];
    await tick();
    expect(order).toEqual([]);
    await first.run(() => {
      order.push('first');
      return Promise.resolve();
    });
    await Promise.all(done);
    expect(order).toEqual(['first', 'second', 'third']);
  });

  it('lets the places behind a released one go on', async () => {
    const queue = createKeyedQueue();
    const given = queue.reserve('game');
    const next = queue.run('game', () => Promise.resolve('next'));
    given.release();
    given.release();
    await expect(next).resolves.toBe('next');
    await expect(given.run(() => Promise.resolve('late'))).rejects.toThrow('already taken');
  });
});
