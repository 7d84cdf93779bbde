// Runs work one at a time per key, in arrival order. The bot queues roster changes per game: 200
// clicks on one game would otherwise each hold a pooled connection while waiting for the game row's
// lock (SELECT … FOR UPDATE), starving every other query of connections. Interactions are deferred
// first, so waiting here costs the user nothing but a moment.

export interface KeyedQueue {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, work) {
      const previous = tails.get(key) ?? Promise.resolve();
      // `then` runs `work` in the caller's context, so its spans stay in the caller's trace.
      const result = previous.then(work);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
