// Runs work one at a time per key, in arrival order. The bot queues roster changes per game: 200
// clicks on one game would otherwise each hold a pooled connection while waiting for the game row's
// lock (SELECT … FOR UPDATE), starving every other query of connections. Interactions are deferred
// first, so waiting here costs the user nothing but a moment.
//
// Arrival order is the order places are reserved, not the order work is handed in: an interaction
// reserves its place the moment it arrives, then defers (and a Join records the user) before its
// roster change, and those awaits finish in any order. A Join and a Leave clicked back to back
// would otherwise swap, and the Leave be refused as "not in this game".
import { AsyncResource } from 'node:async_hooks';

/** One place in a key's line. */
export interface QueuePlace {
  /** Runs `work` once every earlier place of the key is done (at most once per place). */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Gives the place up without work, so the places behind it do not wait for it (idempotent). */
  release(): void;
}

export interface KeyedQueue {
  /** Takes the next place in the key's line now; the work comes later (or the place is released). */
  reserve(key: string): QueuePlace;
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();

  function reserve(key: string): QueuePlace {
    let begin: (work: (() => Promise<unknown>) | undefined) => void = () => undefined;
    const given = new Promise<(() => Promise<unknown>) | undefined>((resolve) => {
      begin = resolve;
    });
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(() => given).then((work) => work?.());
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    let taken = false;
    return {
      run<T>(work: () => Promise<T>): Promise<T> {
        if (taken) return Promise.reject(new Error('This place in the queue was already taken'));
        taken = true;
        // Bound to the caller's context, so the work's spans stay in the caller's trace.
        begin(AsyncResource.bind(work));
        return result as Promise<T>;
      },
      release() {
        if (taken) return;
        taken = true;
        begin(undefined);
      },
    };
  }

  return {
    reserve,
    run(key, work) {
      return reserve(key).run(work);
    },
  };
}
