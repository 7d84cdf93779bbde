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
});
