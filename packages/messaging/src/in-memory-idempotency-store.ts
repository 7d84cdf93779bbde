import type { IdempotencyStore, RunOnceResult } from './idempotency.ts';

export interface InMemoryIdempotencyStore extends IdempotencyStore<undefined> {
  /** Whether this consumer completed this message. */
  seen(consumer: string, messageId: string): boolean;
}

/** For tests and single-process tools: completions are kept in memory and lost on restart. */
export function createInMemoryIdempotencyStore(): InMemoryIdempotencyStore {
  const completed = new Set<string>();
  const inFlight = new Map<string, Promise<unknown>>();
  const keyOf = (consumer: string, messageId: string): string => `${consumer}\u0000${messageId}`;

  return {
    seen: (consumer, messageId) => completed.has(keyOf(consumer, messageId)),
    runUnrecorded: (work) => work(undefined),
    async runOnce<T>(
      consumer: string,
      messageId: string,
      work: (tx: undefined) => Promise<T>,
    ): Promise<RunOnceResult<T>> {
      const key = keyOf(consumer, messageId);
      for (let running = inFlight.get(key); running; running = inFlight.get(key)) {
        await running.catch(() => undefined);
      }
      if (completed.has(key)) return { ran: false };
      const promise = work(undefined);
      inFlight.set(key, promise);
      try {
        const value = await promise;
        completed.add(key);
        return { ran: true, value };
      } finally {
        inFlight.delete(key);
      }
    },
  };
}
