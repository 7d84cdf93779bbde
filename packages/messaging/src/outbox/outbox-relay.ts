// Publishes the transactional outbox: woken by insert notifications and by a periodic sweep, it
// publishes unpublished rows oldest first with broker confirms, marks them published, and continues
// the trace of the request that wrote each row.
import { parseEvent } from '../contracts/parse-event.ts';
import { isContractError } from '../errors.ts';
import type { Publisher } from '../publisher.ts';
import { contextFromTraceparent } from '../trace-context.ts';
import type { OutboxStore } from './outbox-store.ts';

export interface OutboxRelayOptions {
  store: OutboxStore;
  publisher: Pick<Publisher, 'publish'>;
  /** Rows per claim. Default 100. */
  batchSize?: number;
  /** Sweep for rows whose notification was missed (or whose publish failed). Default 5 s. */
  sweepIntervalMs?: number;
  /** For logging: a pass that failed (database or broker unavailable); the next wake retries. */
  onError?: (error: unknown) => void;
}

export interface OutboxRelay {
  /** Publishes what is pending now; resolves when nothing is left or a publish failed. */
  drain(): Promise<void>;
  /** Stops listening and sweeping, then waits for the pass in progress. */
  stop(): Promise<void>;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  const batchSize = options.batchSize ?? 100;
  const onError = options.onError ?? ((): void => undefined);
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const isStopped = (): boolean => stopped;

  /** One claim: returns true when the batch was full and more rows may be waiting. */
  async function pass(): Promise<boolean> {
    const batch = await options.store.claimBatch(batchSize);
    try {
      for (const row of batch.rows) {
        try {
          await options.publisher.publish(parseEvent(row.event), {
            parentContext: contextFromTraceparent(row.traceparent, row.tracestate),
          });
        } catch (error) {
          if (isContractError(error)) {
            // Can never be published; it must not block the rows behind it.
            await batch.markFailed(row.id, errorMessage(error), { permanent: true });
            onError(error);
            continue;
          }
          // Broker trouble: keep this row and everything after it for the next pass, in order.
          await batch.markFailed(row.id, errorMessage(error), { permanent: false });
          throw error;
        }
        await batch.markPublished(row.id);
      }
    } finally {
      await batch.release();
    }
    return batch.rows.length === batchSize;
  }

  function drain(): Promise<void> {
    again = true;
    running ??= (async () => {
      try {
        while (again && !isStopped()) {
          again = false;
          // A full batch means more rows may be waiting: claim the next one right away.
          let full = await pass();
          while (full && !isStopped()) full = await pass();
        }
      } catch (error) {
        onError(error);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const unsubscribe = await options.store.onInserted(() => {
    void drain();
  });
  const sweep = setInterval(() => {
    void drain();
  }, options.sweepIntervalMs ?? 5_000);
  sweep.unref();
  void drain();

  return {
    drain,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      await unsubscribe();
      await running;
    },
  };
}
