// The loop both daemons share. It sleeps until the earliest pending row is due (a timer re-armed after
// every pass and by NOTIFYs of earlier rows), wakes on NOTIFY for rows due now, and re-checks at a
// bounded interval in case a notification was lost. Each pass claims due rows in small batches with
// FOR UPDATE SKIP LOCKED, so replicas never process the same row; each row's handler runs inside the
// claiming transaction (behind a savepoint), so its writes and the row being marked done commit
// together — exactly once — and a failing row only rolls back its own savepoint, is given a later
// next_attempt_at (exponential backoff) or parked, and never blocks the rows behind it.
import type { Span } from '@opentelemetry/api';
import {
  Attr,
  AttrValues,
  Metrics,
  createCounter,
  createHistogram,
  recordError,
  startLinkedRootSpan,
  withSpan,
  type Logger,
} from '@game-scheduler/telemetry';
import cron, { type ScheduledTask } from 'node-cron';
import { backoffDelayMs } from './backoff.ts';
import {
  dueRowQueries,
  toDueRow,
  type DueRow,
  type DueRowQueries,
  type DueRowTable,
  type RawDueRow,
} from './due-row-table.ts';
import type { MaintenanceJob } from './maintenance-job.ts';
import { startNotifyListener, type NotifyListener } from './notify-listener.ts';
import type { SchedulerDatabase, SqlClient } from './sql-client.ts';

export type SchedulerTrigger =
  (typeof AttrValues.schedulerTrigger)[keyof typeof AttrValues.schedulerTrigger];

export interface DueRowContext<Tx> {
  /** The claiming transaction: write the row's effects with it. */
  readonly tx: Tx;
  /** Raw SQL on the same transaction. */
  readonly sql: SqlClient;
  /** What woke the scheduler for this row. */
  readonly trigger: SchedulerTrigger;
  /** The row's root span (add attributes to it). */
  readonly span: Span;
}

/**
 * Processes one due row. Resolve: the row is marked done in the same transaction. Throw: the
 * handler's writes are rolled back and the row is retried later (or parked).
 */
export type DueRowHandler<Tx> = (row: DueRow, context: DueRowContext<Tx>) => Promise<void>;

export type SchedulerLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface DueRowSchedulerOptions<Tx> {
  readonly database: SchedulerDatabase<Tx>;
  /** For the dedicated LISTEN connection. */
  readonly databaseUrl: string;
  readonly table: DueRowTable;
  readonly handler: DueRowHandler<Tx>;
  /** Root span of each row, e.g. `scheduled.status_transition`. */
  readonly spanName: string;
  /** Low-cardinality job name for metrics (`scheduler.job`), e.g. `status_transition`. */
  readonly jobName: string;
  /** Rows per claim (one transaction). Default 10. */
  readonly batchSize?: number;
  /**
   * Claims in flight at once, each its own transaction (one pooled connection each). A second claim
   * starts only once a claim came back full with due rows left, so a trickle of rows takes one.
   * Default 1.
   */
  readonly concurrency?: number;
  /** Attempts before a row is parked. Default 5. */
  readonly maxAttempts?: number;
  /** Retry backoff: first delay and ceiling. Default 5 s and 15 min. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Longest sleep without looking at the table (a lost NOTIFY is found by then). Default 60 s. */
  readonly safetyIntervalMs?: number;
  /** Wait before looking again at due rows other replicas hold. Default 1 s. */
  readonly lockedRetryMs?: number;
  /** LISTEN reconnect backoff. Default 1 s doubling to 30 s. */
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** Cron maintenance jobs on this table. */
  readonly maintenance?: readonly MaintenanceJob[];
  readonly applicationName?: string;
  readonly logger?: SchedulerLogger;
}

export interface DueRowScheduler {
  /** Starts listening, processes what is due now (trigger `startup`) and arms the timer. */
  start(): Promise<void>;
  /** Stops taking work: no new passes or cron runs; waits for the batch in flight; closes LISTEN. */
  stop(): Promise<void>;
  /** Runs a pass now and resolves when it is over (tests and operations). */
  runNow(trigger?: SchedulerTrigger): Promise<void>;
  /** Runs one maintenance job now (as cron would); resolves with the rows it touched. */
  runMaintenance(name: string): Promise<number>;
  /** When the timer will next wake the loop (ms since epoch), or null. For tests and logs. */
  nextWakeAt(): number | null;
}

/** Batch sizes up to this keep every row's savepoint until the commit. */
const MAX_KEPT_SAVEPOINTS = 32;

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2_000);
}

export function createDueRowScheduler<Tx>(options: DueRowSchedulerOptions<Tx>): DueRowScheduler {
  const queries: DueRowQueries = dueRowQueries(options.table);
  const columns = options.table.columns ?? [];
  const batchSize = options.batchSize ?? 10;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  // A row's savepoint is left to the commit (one statement less per row): a ROLLBACK TO goes back
  // to the newest one of that name, the row's own. Large batches release each, so a transaction
  // stays within the subtransactions PostgreSQL keeps in shared memory (64).
  const releaseSavepoints = batchSize > MAX_KEPT_SAVEPOINTS;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = { baseMs: options.retryBaseMs ?? 5_000, maxMs: options.retryMaxMs ?? 900_000 };
  const safetyIntervalMs = options.safetyIntervalMs ?? 60_000;
  const lockedRetryMs = options.lockedRetryMs ?? 1_000;
  const logger = options.logger;
  const jobAttributes = { [Attr.schedulerJob]: options.jobName };
  const lateness = createHistogram(Metrics.schedulerLateness);
  const retries = createCounter(Metrics.schedulerRetries);
  const parked = createCounter(Metrics.schedulerParked);

  let started = false;
  let stopped = false;
  let listener: NotifyListener | null = null;
  let timer: NodeJS.Timeout | null = null;
  let wakeAt: number | null = null;
  let running: Promise<void> | null = null;
  let rerun: SchedulerTrigger | null = null;
  let failures = 0;
  const cronTasks: ScheduledTask[] = [];
  const maintenanceRuns = new Set<Promise<unknown>>();

  /** The pass in progress (and the reruns it was asked for), if any. */
  function inFlight(): Promise<void> | null {
    return running;
  }

  function arm(at: number): void {
    if (stopped) return;
    if (timer !== null && wakeAt !== null && wakeAt <= at) return;
    if (timer !== null) clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(
      () => {
        timer = null;
        wakeAt = null;
        wake(AttrValues.schedulerTrigger.timer);
      },
      Math.max(0, at - Date.now()),
    );
  }

  function rearm(at: number): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    wakeAt = null;
    arm(at);
  }

  function wake(trigger: SchedulerTrigger): void {
    if (stopped) return;
    if (running !== null) {
      rerun = trigger;
      return;
    }
    running = loop(trigger).finally(() => {
      running = null;
    });
  }

  async function loop(first: SchedulerTrigger): Promise<void> {
    let trigger: SchedulerTrigger | null = first;
    while (trigger !== null && !stopped) {
      rerun = null;
      try {
        const delay = await pass(trigger);
        failures = 0;
        rearm(Date.now() + delay);
      } catch (error) {
        failures += 1;
        logger?.error({ err: error, table: queries.table }, 'Scheduler pass failed; retrying');
        rearm(Date.now() + backoffDelayMs(failures, { baseMs: 1_000, maxMs: 30_000 }));
      }
      trigger = rerun;
    }
  }

  /** Claims and processes due rows until none is left to claim; returns how long to sleep. */
  async function pass(trigger: SchedulerTrigger): Promise<number> {
    // Whether the last look at the table (nextDue) saw a row due BEFORE the claims that followed it.
    let dueBeforeClaims = false;
    for (;;) {
      const claimed = await drain(trigger);
      if (stopped) return safetyIntervalMs;
      const [next] = await options.database.sql.query<{
        delay_ms: number | null;
        later_ms: number | null;
      }>(queries.nextDue);
      const delay = next?.delay_ms ?? null;
      if (delay === null) return safetyIntervalMs;
      if (delay > 0) return Math.min(delay, safetyIntervalMs);
      if (claimed === 0 && dueBeforeClaims) {
        // Due before the claims began and none could take it: another replica holds it. Rows not
        // due yet still wake us on time.
        const later = next?.later_ms ?? null;
        return later === null ? lockedRetryMs : Math.min(lockedRetryMs, Math.max(0, later));
      }
      // Fell due while the claims ran (their now() was earlier): claim again at once.
      dueBeforeClaims = true;
    }
  }

  /**
   * Claims and processes batches until a claim leaves no due row behind. Claims run one at a time
   * until one comes back full with due rows left; then another starts beside it, up to
   * `concurrency`. Resolves with the rows claimed once every claim is over (rejects with the first
   * failure, after all are over).
   */
  async function drain(trigger: SchedulerTrigger): Promise<number> {
    let total = 0;
    let active = 0;
    const lanes: Promise<void>[] = [];
    const startLane = (): void => {
      active += 1;
      lanes.push(
        (async () => {
          try {
            for (;;) {
              const { claimed, more } = await claimAndProcess(trigger, (next) => {
                if (next && active < concurrency && !stopped) startLane();
              });
              total += claimed;
              // Rows that fell due since are found by the pass's next look.
              if (!more || stopped) return;
            }
          } finally {
            active -= 1;
          }
        })(),
      );
    };
    startLane();
    let failure: { error: unknown } | null = null;
    // Lanes started while waiting are awaited too.
    for (let index = 0; index < lanes.length; index += 1) {
      try {
        await lanes[index];
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
    return total;
  }

  /**
   * One claim and its rows, in one transaction. `onClaimed(more)` is told at once whether due rows
   * were left beyond the claim (a full claim that left some).
   */
  async function claimAndProcess(
    trigger: SchedulerTrigger,
    onClaimed: (more: boolean) => void,
  ): Promise<{ claimed: number; more: boolean }> {
    return options.database.transaction(async (tx, sql) => {
      const raw = await sql.query<RawDueRow & { more_due: boolean }>(queries.claim, [batchSize]);
      const more = raw.length >= batchSize && raw[0]?.more_due === true;
      onClaimed(more);
      for (const row of raw.map((r) => toDueRow(r, columns))) {
        await processRow(row, tx, sql, trigger);
      }
      return { claimed: raw.length, more };
    });
  }

  async function processRow(
    row: DueRow,
    tx: Tx,
    sql: SqlClient,
    trigger: SchedulerTrigger,
  ): Promise<void> {
    await startLinkedRootSpan(
      options.spanName,
      row.traceparent,
      { [Attr.schedulerJobId]: row.id, [Attr.schedulerTrigger]: trigger },
      async (span) => {
        await sql.execute('SAVEPOINT due_row');
        try {
          await options.handler(row, { tx, sql, trigger, span });
          if (releaseSavepoints) await sql.execute('RELEASE SAVEPOINT due_row');
        } catch (error) {
          await sql.execute('ROLLBACK TO SAVEPOINT due_row');
          recordError(span, error);
          await markFailed(row, error, sql, span);
          return;
        }
        await sql.execute(queries.markDone, [row.id]);
        span.setAttribute(Attr.outcome, AttrValues.outcome.success);
        lateness.record(Math.max(0, (Date.now() - row.dueAt.getTime()) / 1000), jobAttributes);
      },
    );
  }

  async function markFailed(row: DueRow, error: unknown, sql: SqlClient, span: Span) {
    const attempts = row.attempts + 1;
    const message = errorText(error);
    span.setAttribute(Attr.outcome, AttrValues.outcome.error);
    if (attempts >= maxAttempts) {
      await sql.execute(queries.markParked, [row.id, attempts, message]);
      parked.add(1, jobAttributes);
      logger?.error(
        { err: error, table: queries.table, rowId: row.id, attempts },
        'Due row failed its last attempt; parked',
      );
      return;
    }
    const delayMs = backoffDelayMs(attempts, backoff);
    await sql.execute(queries.markRetry, [row.id, attempts, message, delayMs]);
    retries.add(1, jobAttributes);
    logger?.warn(
      { err: error, table: queries.table, rowId: row.id, attempts, retryInMs: delayMs },
      'Due row failed; will retry',
    );
  }

  function onNotify(payload: string): void {
    const due = Date.parse(payload);
    if (Number.isNaN(due) || due <= Date.now()) {
      wake(AttrValues.schedulerTrigger.notify);
      return;
    }
    // A future row: wake no later than its due time.
    arm(due);
  }

  async function runMaintenance(name: string): Promise<number> {
    const job = options.maintenance?.find((candidate) => candidate.name === name);
    if (job === undefined) throw new Error(`No maintenance job named ${name}`);
    const jobId = `${queries.table}.${job.name}`;
    const run = withSpan(
      job.spanName,
      { [Attr.schedulerJobId]: jobId, [Attr.schedulerTrigger]: AttrValues.schedulerTrigger.cron },
      () =>
        options.database.transaction(async (_tx, sql) => {
          const [lock] = await sql.query<{ locked: boolean }>(
            'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
            [jobId],
          );
          if (lock?.locked !== true) return 0;
          return job.run(sql, queries);
        }),
      { root: true },
    );
    maintenanceRuns.add(run);
    try {
      return await run;
    } finally {
      maintenanceRuns.delete(run);
    }
  }

  return {
    async start() {
      if (started) throw new Error('The scheduler was already started');
      started = true;
      listener = await startNotifyListener({
        databaseUrl: options.databaseUrl,
        channel: options.table.channel,
        ...(options.applicationName === undefined
          ? {}
          : { applicationName: `${options.applicationName}-listen` }),
        ...(options.reconnectBaseMs === undefined
          ? {}
          : { reconnectBaseMs: options.reconnectBaseMs }),
        ...(options.reconnectMaxMs === undefined ? {} : { reconnectMaxMs: options.reconnectMaxMs }),
        onNotify,
        onReconnected: () => {
          logger?.info({ table: queries.table }, 'LISTEN connection restored');
          wake(AttrValues.schedulerTrigger.timer);
        },
        onError: (error) => {
          logger?.warn(
            { err: error, table: queries.table },
            'LISTEN connection lost; reconnecting',
          );
        },
      });
      if (stopped) {
        // stop() came while connecting.
        await listener.close();
        listener = null;
        return;
      }
      for (const job of options.maintenance ?? []) {
        const task = cron.schedule(
          job.schedule,
          async () => {
            try {
              await runMaintenance(job.name);
            } catch (error) {
              logger?.error({ err: error, job: job.name }, 'Maintenance job failed');
            }
          },
          { name: `${queries.table}.${job.name}`, noOverlap: true, timezone: 'Etc/UTC' },
        );
        cronTasks.push(task);
      }
      wake(AttrValues.schedulerTrigger.startup);
    },

    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      wakeAt = null;
      for (const task of cronTasks.splice(0)) await Promise.resolve(task.destroy());
      await inFlight();
      await Promise.allSettled([...maintenanceRuns]);
      await listener?.close();
      listener = null;
    },

    async runNow(trigger = AttrValues.schedulerTrigger.timer) {
      if (running !== null) rerun = trigger;
      else wake(trigger);
      await inFlight();
    },

    runMaintenance,

    nextWakeAt: () => wakeAt,
  };
}
