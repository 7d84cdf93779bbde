// Publishes the transactional outbox: woken by insert notifications and by a periodic sweep, it
// publishes unpublished rows oldest first with broker confirms, marks them published, and continues
// the trace of the request that wrote each row.
import { parseEvent } from '../contracts/parse-event.ts';
import { isContractError } from '../errors.ts';
import type { Publisher } from '../publisher.ts';
import {
  SpanStatusCode,
  trace,
  type BatchObservableResult,
  type Link,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  MESSAGING_TRACER_NAME,
  Metrics,
  SpanNames,
  attributeKeys as attr,
  createHistogram,
  createObservableGauge,
  getMeter,
} from '../telemetry-names.ts';
import { within } from '../observe-within.ts';
import { contextFromTraceparent } from '../trace-context.ts';
import type { OutboxStore } from './outbox-store.ts';

export interface OutboxRelayOptions {
  store: OutboxStore;
  publisher: Pick<Publisher, 'publish'>;
  /** Rows per claim. Default 100. */
  batchSize?: number;
  /** Sweep for rows whose notification was missed (or whose publish failed). Default 5 s. */
  sweepIntervalMs?: number;
  tracerProvider?: TracerProvider;
  /** For logging: a pass that failed (database or broker unavailable); the next wake retries. */
  onError?: (error: unknown) => void;
}

export interface OutboxRelay {
  /** Publishes what is pending now; resolves when nothing is left or a publish failed. */
  drain(): Promise<void>;
  /** Stops listening and sweeping, then waits for the pass in progress. */
  stop(): Promise<void>;
}

const noFailure = (): undefined => undefined;
const failure = (error: unknown): { error: unknown } => ({ error });

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  const batchSize = options.batchSize ?? 100;
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
    MESSAGING_TRACER_NAME,
  );
  const lag = createHistogram(Metrics.outboxLag);
  const meter = getMeter();
  const pendingRows = createObservableGauge(Metrics.outboxPending, meter);
  const pendingAge = createObservableGauge(Metrics.outboxPendingAge, meter);
  /** At each collection: how many rows wait and how long the oldest has waited. */
  const observePending = async (result: BatchObservableResult): Promise<void> => {
    const pending = await within(options.store.pending());
    // Database unreachable or slow: no observation this time (a gap, not a false zero).
    if (pending === undefined) return;
    const { count, oldestWrittenAt } = pending;
    result.observe(pendingRows, count);
    result.observe(
      pendingAge,
      oldestWrittenAt === null ? 0 : Math.max(0, (Date.now() - oldestWrittenAt.getTime()) / 1000),
    );
  };
  meter.addBatchObservableCallback(observePending, [pendingRows, pendingAge]);
  const onError = options.onError ?? ((): void => undefined);
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const isStopped = (): boolean => stopped;

  /** One claim: returns true when the batch was full and more rows may be waiting. */
  async function pass(): Promise<boolean> {
    const batch = await options.store.claimBatch(batchSize);
    if (batch.rows.length === 0) {
      await batch.release();
      return false;
    }
    // One span per pass that found work, linked to the traces it continues; each publish is a child
    // of its own row's stored trace context, not of this span.
    const links: Link[] = batch.rows.flatMap((row) => {
      const spanContext = trace.getSpanContext(
        contextFromTraceparent(row.traceparent, row.tracestate),
      );
      return spanContext ? [{ context: spanContext }] : [];
    });
    const span = tracer.startSpan(SpanNames.outboxRelay, { root: true, links });
    // Marked published together, in one statement, once the pass ends or a publish fails.
    const published: string[] = [];
    const markPublished = async (): Promise<void> => {
      if (published.length > 0) await batch.markPublished(published.splice(0));
    };
    // Every row goes to the broker at once, in order (one confirm channel keeps it), and the
    // confirms are awaited afterwards: one round trip per pass instead of one per row, which under
    // load was one turn of a busy event loop per row. A row behind one the broker refused may have
    // reached it already and goes out again with the refused one (consumers are idempotent).
    const sends = batch.rows.map((row) => {
      try {
        const event = parseEvent(row.event);
        const sent = options.publisher.publish(event, {
          parentContext: contextFromTraceparent(row.traceparent, row.tracestate),
        });
        return { type: event.type, failed: sent.then(noFailure, failure) };
      } catch (error) {
        return { type: null, failed: Promise.resolve(failure(error)) };
      }
    });
    try {
      for (const [index, row] of batch.rows.entries()) {
        const send = sends[index];
        const failed = send === undefined ? undefined : await send.failed;
        if (failed !== undefined) {
          const { error } = failed;
          if (isContractError(error)) {
            // Can never be published; it must not block the rows behind it.
            await batch.markFailed(row.id, errorMessage(error), { permanent: true });
            onError(error);
            continue;
          }
          // Broker trouble: keep this row and everything after it for the next pass, in order.
          await markPublished();
          await batch.markFailed(row.id, errorMessage(error), { permanent: false });
          throw error;
        }
        published.push(row.id);
        if (row.writtenAt && send?.type != null) {
          lag.record((Date.now() - row.writtenAt.getTime()) / 1000, {
            [attr.eventType]: send.type,
          });
        }
      }
      await markPublished();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      throw error;
    } finally {
      span.end();
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
      meter.removeBatchObservableCallback(observePending, [pendingRows, pendingAge]);
      await unsubscribe();
      await running;
    },
  };
}
