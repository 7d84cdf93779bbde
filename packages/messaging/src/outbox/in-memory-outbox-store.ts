import type { OutboxBatch, OutboxPending, OutboxRow, OutboxStore } from './outbox-store.ts';

export interface InMemoryOutboxRecord extends OutboxRow {
  publishedAt: Date | null;
  attempts: number;
  lastError: string | null;
  rejected: boolean;
}

export interface InMemoryOutboxStore extends OutboxStore {
  /** Adds a row (as a transaction writing a change would) and notifies listeners. */
  insert(row: OutboxRow): void;
  readonly records: readonly InMemoryOutboxRecord[];
}

/** The reference `OutboxStore`: rows in memory, in insertion order, one claim at a time. */
export function createInMemoryOutboxStore(): InMemoryOutboxStore {
  const records: InMemoryOutboxRecord[] = [];
  const listeners = new Set<() => void>();
  let claimed = false;

  function find(id: string): InMemoryOutboxRecord {
    const record = records.find((candidate) => candidate.id === id);
    if (!record) throw new Error(`No outbox row ${id}`);
    return record;
  }

  return {
    records,
    insert(row) {
      records.push({ ...row, publishedAt: null, attempts: 0, lastError: null, rejected: false });
      for (const listener of listeners) listener();
    },
    claimBatch(limit) {
      if (claimed) {
        const empty: OutboxBatch = {
          rows: [],
          markPublished: () => Promise.reject(new Error('Nothing claimed')),
          markFailed: () => Promise.reject(new Error('Nothing claimed')),
          release: () => Promise.resolve(),
        };
        return Promise.resolve(empty);
      }
      claimed = true;
      const rows = records
        .filter((record) => record.publishedAt === null && !record.rejected)
        .slice(0, limit)
        .map(({ id, event, traceparent, tracestate }) => ({ id, event, traceparent, tracestate }));
      return Promise.resolve({
        rows,
        markPublished: (ids) => {
          const at = new Date();
          for (const id of ids) find(id).publishedAt = at;
          return Promise.resolve();
        },
        markFailed: (id, error, { permanent }) => {
          const record = find(id);
          record.attempts += 1;
          record.lastError = error;
          record.rejected = permanent;
          return Promise.resolve();
        },
        release: () => {
          claimed = false;
          return Promise.resolve();
        },
      });
    },
    pending() {
      const waiting = records.filter((record) => record.publishedAt === null && !record.rejected);
      const written = waiting.flatMap((record) =>
        record.writtenAt === undefined ? [] : [record.writtenAt.getTime()],
      );
      const pending: OutboxPending = {
        count: waiting.length,
        oldestWrittenAt: written.length === 0 ? null : new Date(Math.min(...written)),
      };
      return Promise.resolve(pending);
    },
    onInserted(listener) {
      listeners.add(listener);
      return Promise.resolve(() => {
        listeners.delete(listener);
        return Promise.resolve();
      });
    },
  };
}
