import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { getServices, type TestDatabase } from '@game-scheduler/testing';
import { SpanNames, formatTraceparent, withSpan } from '@game-scheduler/telemetry';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDueRowScheduler,
  dueRowQueries,
  pgSchedulerDatabase,
  prismaSchedulerDatabase,
  retentionJob,
  retryParkedJob,
  type DueRowHandler,
  type DueRowScheduler,
  type DueRowSchedulerOptions,
  type PgSchedulerDatabase,
  type PrismaTransactionClient,
  type SchedulerTrigger,
} from '../src/index.ts';
import { eventually } from '@game-scheduler/testing';
import {
  JOBS_TABLE,
  createJobsTable,
  effectLabels,
  insertJob,
  jobStates,
  resetJobs,
} from './support/jobs-table.ts';
import { installTestTracing, type TestTracing } from '@game-scheduler/telemetry/testing';

let database: TestDatabase;
let prisma: PrismaClient;
let tracing: TestTracing;
let metricExporter: InMemoryMetricExporter;
let metricReader: PeriodicExportingMetricReader;
let meterProvider: MeterProvider;
const running: DueRowScheduler[] = [];

interface Call {
  label: string;
  trigger: SchedulerTrigger;
}

let calls: Call[];
let failing: Set<string>;

type Options = DueRowSchedulerOptions<PrismaTransactionClient>;

/** Two instances claiming `count` due rows concurrently (three claims each) handle every row once. */
async function expectTwoInstancesExactlyOnce(
  count: number,
  make: (options: { concurrency: number; lockedRetryMs: number }) => DueRowScheduler,
): Promise<void> {
  const labels = Array.from(
    { length: count },
    (_, index) => `row-${String(index).padStart(3, '0')}`,
  );
  for (const label of labels) await insertJob(prisma, label, -1_000);
  const first = make({ concurrency: 3, lockedRetryMs: 50 });
  const second = make({ concurrency: 3, lockedRetryMs: 50 });
  await Promise.all([first.start(), second.start()]);
  await eventually(async () =>
    [...(await jobStates(prisma)).values()].every((row) => row.status === 'DONE')
      ? true
      : undefined,
  );
  await Promise.all([first.runNow(), second.runNow()]);
  expect(calls.map((call) => call.label).sort()).toEqual(labels);
  expect(await effectLabels(prisma)).toEqual(labels);
}

/** Records the call, writes an effect in the claiming transaction, then fails as the label asks. */
function recordingHandler<Tx>(): DueRowHandler<Tx> {
  return async (row, { sql, trigger }) => {
    const label = String(row.values.label);
    calls.push({ label, trigger });
    // Written in the claiming transaction: rolled back when the handler fails.
    await sql.execute('INSERT INTO test_effects (row_id, label) VALUES ($1::uuid, $2)', [
      row.id,
      label,
    ]);
    if (failing.has(label)) throw new Error(`${label} failed`);
    // A statement PostgreSQL rejects aborts the transaction; the savepoint must undo only this row.
    if (label.startsWith('sql-error')) await sql.execute('SELECT * FROM no_such_table');
  };
}

function scheduler(overrides: Partial<Options> = {}): DueRowScheduler {
  const instance = createDueRowScheduler<PrismaTransactionClient>({
    database: prismaSchedulerDatabase(prisma),
    databaseUrl: database.url,
    table: JOBS_TABLE,
    spanName: SpanNames.scheduledStatusTransition,
    jobName: 'test_job',
    handler: recordingHandler(),
    ...overrides,
  });
  running.push(instance);
  return instance;
}

function spansNamed(name: string): ReadableSpan[] {
  return tracing.exporter.getFinishedSpans().filter((span) => span.name === name);
}

function callsOf(label: string): Call[] {
  return calls.filter((call) => call.label === label);
}

beforeAll(async () => {
  tracing = installTestTracing();
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  metricReader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 600_000,
  });
  meterProvider = new MeterProvider({ readers: [metricReader] });
  metrics.setGlobalMeterProvider(meterProvider);
  database = await createMigratedTestDatabase(getServices().databaseUrl, { prefix: 'sched' });
  prisma = createPrismaClient(database.url);
  await createJobsTable(prisma);
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
  await tracing.shutdown();
  await meterProvider.shutdown();
  metrics.disable();
});

/** Data points recorded since the last call, by metric name. */
async function collectMetrics() {
  await metricReader.forceFlush();
  const collected = metricExporter
    .getMetrics()
    .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
  metricExporter.reset();
  return collected;
}

beforeEach(async () => {
  calls = [];
  failing = new Set();
  tracing.exporter.reset();
  await resetJobs(prisma);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((instance) => instance.stop()));
});

describe('DueRowScheduler', () => {
  it('processes rows that are due at startup exactly once and marks them done', async () => {
    await insertJob(prisma, 'a', -60_000);
    await insertJob(prisma, 'b', -1_000);
    await insertJob(prisma, 'c', 0);
    const instance = scheduler({ batchSize: 2 });
    await instance.start();
    await eventually(async () =>
      [...(await jobStates(prisma)).values()].every((row) => row.status === 'DONE')
        ? true
        : undefined,
    );
    await instance.runNow();
    expect(calls.map((call) => call.label).sort()).toEqual(['a', 'b', 'c']);
    expect(calls.every((call) => call.trigger === 'startup')).toBe(true);
    expect(await effectLabels(prisma)).toEqual(['a', 'b', 'c']);
  });

  it('sleeps until the earliest due time and is woken by the timer', async () => {
    await insertJob(prisma, 'later', 1_500);
    const instance = scheduler({ safetyIntervalMs: 120_000 });
    const before = Date.now();
    await instance.start();
    const wakeAt = await eventually(() => instance.nextWakeAt() ?? undefined);
    // Armed for the row, not for the two-minute safety re-check.
    expect(wakeAt - before).toBeLessThan(10_000);
    expect(calls).toEqual([]);
    await eventually(() => (calls.length > 0 ? true : undefined));
    expect(calls).toEqual([{ label: 'later', trigger: 'timer' }]);
    await eventually(async () =>
      (await jobStates(prisma)).get('later')?.status === 'DONE' ? true : undefined,
    );
  });

  it('re-arms the timer when a NOTIFY announces a row due earlier than the one it waits for', async () => {
    await insertJob(prisma, 'far', 100_000);
    const instance = scheduler({ safetyIntervalMs: 300_000 });
    await instance.start();
    const farWake = await eventually(() => instance.nextWakeAt() ?? undefined);
    await insertJob(prisma, 'soon', 1_000);
    const soonWake = await eventually(() => {
      const at = instance.nextWakeAt();
      return at !== null && at < farWake - 60_000 ? at : undefined;
    });
    expect(soonWake).toBeLessThan(farWake);
    await eventually(() => (calls.length > 0 ? true : undefined));
    expect(calls).toEqual([{ label: 'soon', trigger: 'timer' }]);
    expect((await jobStates(prisma)).get('far')?.status).toBe('PENDING');
  });

  it('processes a row inserted as already due when its NOTIFY arrives', async () => {
    const instance = scheduler({ safetyIntervalMs: 300_000 });
    await instance.start();
    await instance.runNow();
    await insertJob(prisma, 'now', -5);
    await eventually(() => (calls.length > 0 ? true : undefined));
    expect(calls).toEqual([{ label: 'now', trigger: 'notify' }]);
  });

  it('lets two scheduler instances on one table process every row exactly once', async () => {
    const labels = Array.from(
      { length: 120 },
      (_, index) => `row-${String(index).padStart(3, '0')}`,
    );
    for (const label of labels) await insertJob(prisma, label, -1_000);
    const first = scheduler({ batchSize: 5, lockedRetryMs: 50 });
    const second = scheduler({ batchSize: 5, lockedRetryMs: 50 });
    await Promise.all([first.start(), second.start()]);
    await eventually(async () =>
      [...(await jobStates(prisma)).values()].every((row) => row.status === 'DONE')
        ? true
        : undefined,
    );
    await Promise.all([first.runNow(), second.runNow()]);
    expect(calls.map((call) => call.label).sort()).toEqual(labels);
    expect(await effectLabels(prisma)).toEqual(labels);
  });

  it('claims again at once a row that fell due between an empty claim and the look for the next due time', async () => {
    // A channel nobody NOTIFYs: only the scheduler's own passes can find the row.
    const table = { ...JOBS_TABLE, channel: 'test_jobs_unheard' };
    const id = await insertJob(prisma, 'edge', 600_000);
    const inner = prismaSchedulerDatabase(prisma);
    const { claim } = dueRowQueries(table);
    let makeDueAfterEmptyClaim = false;
    const instance = scheduler({
      table,
      safetyIntervalMs: 300_000,
      lockedRetryMs: 60_000,
      database: {
        sql: inner.sql,
        async transaction(work) {
          const seen = { emptyClaim: false };
          const result = await inner.transaction((tx, sql) =>
            work(tx, {
              async query<R extends object>(text: string, params?: readonly unknown[]) {
                const rows = await sql.query<R>(text, params);
                if (text === claim && rows.length === 0) seen.emptyClaim = true;
                return rows;
              },
              execute: (text, params) => sql.execute(text, params),
            }),
          );
          if (makeDueAfterEmptyClaim && seen.emptyClaim) {
            makeDueAfterEmptyClaim = false;
            // Due now, after the claim's snapshot of now(): as a row falling due in that instant.
            await prisma.$executeRawUnsafe(
              "UPDATE test_jobs SET due_at = now() - interval '1 millisecond' WHERE id = $1::uuid",
              id,
            );
          }
          return result;
        },
      },
    });
    await instance.start();
    await instance.runNow();
    expect(calls).toEqual([]);
    makeDueAfterEmptyClaim = true;
    await instance.runNow();
    // The same pass claimed it, instead of taking it for a row another replica holds.
    expect(makeDueAfterEmptyClaim).toBe(false);
    expect(calls).toEqual([{ label: 'edge', trigger: 'timer' }]);
    expect((await jobStates(prisma)).get('edge')?.status).toBe('DONE');
  });

  it('leaves a due row another transaction holds to the locked-row retry, and still wakes for a row due sooner', async () => {
    const heldId = await insertJob(prisma, 'held', -1_000);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = prisma.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe('SELECT id FROM test_jobs WHERE id = $1::uuid FOR UPDATE', heldId);
        locked();
        await gate;
      },
      { timeout: 60_000 },
    );
    await isLocked;
    await insertJob(prisma, 'soon', 5_000);
    const instance = scheduler({ safetyIntervalMs: 300_000, lockedRetryMs: 120_000 });
    const before = Date.now();
    await instance.start();
    // Over although a due row is left: the pass does not spin on a row it cannot claim.
    await instance.runNow();
    expect(calls.filter((call) => call.label === 'held')).toEqual([]);
    // Armed for 'soon', not for the two-minute locked-row retry.
    expect((instance.nextWakeAt() ?? Number.POSITIVE_INFINITY) - before).toBeLessThan(60_000);
    release();
    await holder;
    await eventually(async () =>
      [...(await jobStates(prisma)).values()].every((row) => row.status === 'DONE')
        ? true
        : undefined,
    );
    expect(calls.map((call) => call.label).sort()).toEqual(['held', 'soon']);
  });

  it('runs up to `concurrency` claims at once, each row once', async () => {
    const labels = Array.from({ length: 9 }, (_, index) => `row-${String(index)}`);
    for (const label of labels) await insertJob(prisma, label, -1_000);
    let inFlight = 0;
    let most = 0;
    let threeAtOnce!: () => void;
    const three = new Promise<void>((resolve) => {
      threeAtOnce = resolve;
    });
    const instance = scheduler({
      batchSize: 1,
      concurrency: 3,
      handler: async (row, { sql, trigger }) => {
        const label = String(row.values.label);
        calls.push({ label, trigger });
        inFlight += 1;
        most = Math.max(most, inFlight);
        if (inFlight === 3) threeAtOnce();
        // Held until three rows are in their handlers together (or 5 s, to fail instead of hang).
        await Promise.race([three, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        await sql.execute('INSERT INTO test_effects (row_id, label) VALUES ($1::uuid, $2)', [
          row.id,
          label,
        ]);
        inFlight -= 1;
      },
    });
    await instance.start();
    await eventually(async () =>
      [...(await jobStates(prisma)).values()].every((row) => row.status === 'DONE')
        ? true
        : undefined,
    );
    await instance.runNow();
    expect(most).toBe(3);
    expect(calls.map((call) => call.label).sort()).toEqual(labels);
    expect(await effectLabels(prisma)).toEqual(labels);
  });

  it('takes one claim for a row due alone, and a second only while due rows are left', async () => {
    const inner = prismaSchedulerDatabase(prisma);
    let claims = 0;
    const instance = scheduler({
      batchSize: 1,
      concurrency: 3,
      safetyIntervalMs: 300_000,
      database: {
        sql: inner.sql,
        transaction(work) {
          claims += 1;
          return inner.transaction(work);
        },
      },
    });
    await instance.start();
    await instance.runNow();
    claims = 0;
    await insertJob(prisma, 'alone', -1_000);
    await eventually(() => (calls.length === 1 ? true : undefined));
    await instance.runNow();
    // The claim that took it saw nothing left: no empty claim beside or after it (the pass's look
    // at the next due time ends it). runNow's own pass claims once and finds nothing.
    expect(claims).toBe(2);
    expect(calls).toEqual([{ label: 'alone', trigger: 'notify' }]);
  });

  it('lets two scheduler instances with concurrent batch claims process every row exactly once', async () => {
    await expectTwoInstancesExactlyOnce(150, (options) => scheduler({ ...options, batchSize: 4 }));
  });

  it('retries a failing row with growing delays, parks it after the last attempt, and processes the rows behind it', async () => {
    failing.add('bad');
    await insertJob(prisma, 'bad', -10_000);
    await insertJob(prisma, 'good-1', -5_000);
    await insertJob(prisma, 'good-2', -1_000);
    const instance = scheduler({ batchSize: 1, maxAttempts: 3, retryBaseMs: 300 });
    await instance.start();
    const bad = await eventually(async () => {
      const row = (await jobStates(prisma)).get('bad');
      return row?.status === 'PARKED' ? row : undefined;
    });
    expect(bad.attempts).toBe(3);
    expect(bad.last_error).toBe('Error: bad failed');
    const states = await jobStates(prisma);
    expect(states.get('good-1')?.status).toBe('DONE');
    expect(states.get('good-2')?.status).toBe('DONE');
    // The good rows did not wait for the failing row's retries.
    const order = calls.map((call) => call.label);
    expect(order.indexOf('good-2')).toBeLessThan(order.lastIndexOf('bad'));
    expect(callsOf('bad')).toHaveLength(3);
    // The failed attempts' writes were rolled back.
    expect(await effectLabels(prisma)).toEqual(['good-1', 'good-2']);
    // The retries came through the timer, after the backoff delays.
    expect(
      callsOf('bad')
        .slice(1)
        .every((call) => call.trigger === 'timer'),
    ).toBe(true);
  });

  it('rolls back only the failing row when its statement aborts the transaction', async () => {
    await insertJob(prisma, 'good-before', -3_000);
    await insertJob(prisma, 'sql-error', -2_000);
    await insertJob(prisma, 'good-after', -1_000);
    const instance = scheduler({ maxAttempts: 1 });
    await instance.start();
    await eventually(async () =>
      (await jobStates(prisma)).get('sql-error')?.status === 'PARKED' ? true : undefined,
    );
    const states = await jobStates(prisma);
    expect(states.get('good-before')?.status).toBe('DONE');
    expect(states.get('good-after')?.status).toBe('DONE');
    expect(states.get('sql-error')?.last_error).toMatch(/no_such_table/);
    expect(await effectLabels(prisma)).toEqual(['good-after', 'good-before']);
  });

  it('rolls back only the failing row in a batch large enough to release each savepoint', async () => {
    await insertJob(prisma, 'good-before', -3_000);
    await insertJob(prisma, 'sql-error', -2_000);
    await insertJob(prisma, 'good-after', -1_000);
    const instance = scheduler({ batchSize: 40, maxAttempts: 1 });
    await instance.start();
    await eventually(async () =>
      (await jobStates(prisma)).get('sql-error')?.status === 'PARKED' ? true : undefined,
    );
    const states = await jobStates(prisma);
    expect(states.get('good-before')?.status).toBe('DONE');
    expect(states.get('good-after')?.status).toBe('DONE');
    expect(await effectLabels(prisma)).toEqual(['good-after', 'good-before']);
  });

  it('counts retries and parked rows and records lateness, by job', async () => {
    await collectMetrics();
    failing.add('bad');
    await insertJob(prisma, 'bad', -1_000);
    await insertJob(prisma, 'good', -2_000);
    const instance = scheduler({ maxAttempts: 3, retryBaseMs: 50 });
    await instance.start();
    await eventually(async () =>
      (await jobStates(prisma)).get('bad')?.status === 'PARKED' ? true : undefined,
    );
    const collected = await collectMetrics();
    const points = (name: string): { attributes: unknown; value: unknown }[] =>
      collected
        .filter((metric) => metric.descriptor.name === name)
        .flatMap((metric) =>
          (metric.dataPoints as { attributes: unknown; value: unknown }[]).map((point) => ({
            attributes: point.attributes,
            value: point.value,
          })),
        );
    expect(points('scheduler.job.retries').map((point) => [point.attributes, point.value])).toEqual(
      [[{ 'scheduler.job': 'test_job' }, 2]],
    );
    expect(points('scheduler.job.parked').map((point) => [point.attributes, point.value])).toEqual([
      [{ 'scheduler.job': 'test_job' }, 1],
    ]);
    const [lateness] = points('scheduler.job.lateness');
    expect(lateness?.attributes).toEqual({ 'scheduler.job': 'test_job' });
    expect(lateness?.value).toMatchObject({ count: 1 });
    expect((lateness?.value as { min: number }).min).toBeGreaterThanOrEqual(2);
  });

  it('sets next_attempt_at by exponential backoff after each failure', async () => {
    failing.add('bad');
    await insertJob(prisma, 'bad', -1_000);
    const instance = scheduler({ maxAttempts: 5, retryBaseMs: 60_000, retryMaxMs: 600_000 });
    await instance.start();
    const first = await eventually(async () => {
      const row = (await jobStates(prisma)).get('bad');
      return row?.attempts === 1 ? row : undefined;
    });
    const delay = (first.next_attempt_at?.getTime() ?? 0) - Date.now();
    expect(delay).toBeGreaterThan(50_000);
    expect(delay).toBeLessThanOrEqual(60_000);
    expect(first.status).toBe('PENDING');
  });

  it('runs each row in a root span linked to the trace that created the row', async () => {
    const creating = await withSpan('test.create', {}, async (span) => {
      await insertJob(prisma, 'linked', -1_000, formatTraceparent(span.spanContext()) ?? null);
      return span.spanContext();
    });
    await insertJob(prisma, 'unlinked', -500);
    const instance = scheduler();
    await instance.start();
    await eventually(() =>
      spansNamed(SpanNames.scheduledStatusTransition).length === 2 ? true : undefined,
    );
    const spans = spansNamed(SpanNames.scheduledStatusTransition);
    for (const span of spans) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(creating.traceId);
      expect(span.attributes['scheduler.trigger']).toBe('startup');
      expect(typeof span.attributes['scheduler.job_id']).toBe('string');
    }
    const linkedId = [
      ...(await prisma.$queryRawUnsafe<{ id: string }[]>(
        "SELECT id::text AS id FROM test_jobs WHERE label = 'linked'",
      )),
    ][0]?.id;
    const linked = spans.find((span) => span.attributes['scheduler.job_id'] === linkedId);
    expect(linked?.links.map((link) => link.context.traceId)).toEqual([creating.traceId]);
    expect(linked?.links[0]?.context.spanId).toBe(creating.spanId);
    const unlinked = spans.find((span) => span !== linked);
    expect(unlinked?.links).toEqual([]);
  });

  it('records a failed row on its span as an error', async () => {
    failing.add('bad');
    await insertJob(prisma, 'bad', -1_000);
    const instance = scheduler({ maxAttempts: 1 });
    await instance.start();
    const [span] = await eventually(() => {
      const spans = spansNamed(SpanNames.scheduledStatusTransition);
      return spans.length > 0 ? spans : undefined;
    });
    expect(span?.status.code).toBe(2);
    expect(span?.attributes['outcome']).toBe('error');
  });

  it('finishes the batch in flight before stop() resolves', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    await insertJob(prisma, 'slow', -1_000);
    const instance = scheduler({
      handler: async (row, { sql }) => {
        entered();
        await gate;
        await sql.execute('INSERT INTO test_effects (row_id, label) VALUES ($1::uuid, $2)', [
          row.id,
          'slow',
        ]);
      },
    });
    await instance.start();
    await inHandler;
    let stopped = false;
    const stopping = instance.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await jobStates(prisma)).get('slow')?.status).toBe('DONE');
    expect(await effectLabels(prisma)).toEqual(['slow']);
  });

  it('gives parked rows one more attempt in the retry_parked job, a root span triggered by cron', async () => {
    failing.add('bad');
    await insertJob(prisma, 'bad', -1_000);
    const instance = scheduler({ maxAttempts: 1, maintenance: [retryParkedJob()] });
    await instance.start();
    await eventually(async () =>
      (await jobStates(prisma)).get('bad')?.status === 'PARKED' ? true : undefined,
    );
    failing.delete('bad');
    expect(await instance.runMaintenance('retry_parked')).toBe(1);
    await eventually(async () =>
      (await jobStates(prisma)).get('bad')?.status === 'DONE' ? true : undefined,
    );
    expect(callsOf('bad')).toHaveLength(2);
    const [span] = spansNamed(SpanNames.scheduledRetryParked);
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.attributes).toEqual({
      'scheduler.job_id': 'test_jobs.retry_parked',
      'scheduler.trigger': 'cron',
    });
  });

  it('parks a retried parked row again after a single further failure', async () => {
    failing.add('bad');
    await insertJob(prisma, 'bad', -1_000);
    const instance = scheduler({
      maxAttempts: 2,
      retryBaseMs: 50,
      maintenance: [retryParkedJob()],
    });
    await instance.start();
    await eventually(async () =>
      (await jobStates(prisma)).get('bad')?.status === 'PARKED' ? true : undefined,
    );
    await instance.runMaintenance('retry_parked');
    const row = await eventually(async () => {
      const state = (await jobStates(prisma)).get('bad');
      return state?.status === 'PARKED' && state.attempts === 3 ? state : undefined;
    });
    expect(row.attempts).toBe(3);
    expect(callsOf('bad')).toHaveLength(3);
  });

  it('deletes processed rows older than the retention period and keeps the rest', async () => {
    await insertJob(prisma, 'old', -1_000);
    await insertJob(prisma, 'recent', -1_000);
    await insertJob(prisma, 'waiting', 600_000);
    const instance = scheduler({ maintenance: [retentionJob({ olderThanDays: 30 })] });
    await instance.start();
    await eventually(async () =>
      (await jobStates(prisma)).get('recent')?.status === 'DONE' ? true : undefined,
    );
    await prisma.$executeRawUnsafe(
      "UPDATE test_jobs SET updated_at = now() - interval '31 days' WHERE label IN ('old', 'waiting')",
    );
    expect(await instance.runMaintenance('retention')).toBe(1);
    expect([...(await jobStates(prisma)).keys()].sort()).toEqual(['recent', 'waiting']);
  });

  it('runs maintenance jobs on their cron schedule', async () => {
    const instance = scheduler({
      maintenance: [retentionJob({ olderThanDays: 30, schedule: '* * * * * *' })],
    });
    await instance.start();
    const span = await eventually(() => spansNamed(SpanNames.scheduledRetention)[0]);
    expect(span.attributes['scheduler.trigger']).toBe('cron');
  });

  it('fails to start with one line naming the database when PostgreSQL is unreachable', async () => {
    const instance = scheduler({ databaseUrl: 'postgresql://nobody:secret@127.0.0.1:1/nowhere' });
    await expect(instance.start()).rejects.toThrow(
      /^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/,
    );
  });
});

describe('DueRowScheduler over node-postgres (pgSchedulerDatabase)', () => {
  const pools: PgSchedulerDatabase[] = [];
  const pgRunning: DueRowScheduler[] = [];

  function pgScheduler(
    overrides: Partial<DueRowSchedulerOptions<unknown>> = {},
    transactionTimeoutMs = 60_000,
  ): DueRowScheduler {
    const pgDatabase = pgSchedulerDatabase({
      databaseUrl: database.url,
      poolSize: 6,
      transactionTimeoutMs,
    });
    pools.push(pgDatabase);
    const instance = createDueRowScheduler<unknown>({
      database: pgDatabase,
      databaseUrl: database.url,
      table: JOBS_TABLE,
      spanName: SpanNames.scheduledStatusTransition,
      jobName: 'test_job',
      handler: recordingHandler(),
      ...overrides,
    });
    pgRunning.push(instance);
    return instance;
  }

  afterEach(async () => {
    await Promise.all(pgRunning.splice(0).map((instance) => instance.stop()));
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  it('rolls back only the failing row, and commits the others with their effects', async () => {
    failing.add('bad');
    await insertJob(prisma, 'good-before', -3_000);
    await insertJob(prisma, 'sql-error', -2_500);
    await insertJob(prisma, 'bad', -2_000);
    await insertJob(prisma, 'good-after', -1_000);
    const instance = pgScheduler({ maxAttempts: 1 });
    await instance.start();
    await eventually(async () =>
      [...(await jobStates(prisma)).values()].every((row) => row.status !== 'PENDING')
        ? true
        : undefined,
    );
    const states = await jobStates(prisma);
    expect(states.get('good-before')?.status).toBe('DONE');
    expect(states.get('good-after')?.status).toBe('DONE');
    expect(states.get('bad')?.status).toBe('PARKED');
    expect(states.get('sql-error')?.last_error).toMatch(/no_such_table/);
    expect(await effectLabels(prisma)).toEqual(['good-after', 'good-before']);
  });

  it('lets two instances with concurrent batch claims process every row exactly once', async () => {
    await expectTwoInstancesExactlyOnce(120, (options) =>
      pgScheduler({ ...options, batchSize: 3 }),
    );
  });

  it('rolls a claim back when it outlives the transaction timeout, and the row is claimed again', async () => {
    await insertJob(prisma, 'slow', -1_000);
    let attempts = 0;
    const instance = pgScheduler(
      {
        handler: async (row, { sql, trigger }) => {
          calls.push({ label: 'slow', trigger });
          attempts += 1;
          await sql.execute('INSERT INTO test_effects (row_id, label) VALUES ($1::uuid, $2)', [
            row.id,
            `attempt-${String(attempts)}`,
          ]);
          // The first attempt outlives its transaction; its next statement must fail.
          if (attempts === 1) await new Promise((resolve) => setTimeout(resolve, 1_500));
          await sql.query('SELECT 1 AS claimed');
        },
      },
      500,
    );
    await instance.start();
    await eventually(async () =>
      (await jobStates(prisma)).get('slow')?.status === 'DONE' ? true : undefined,
    );
    expect(attempts).toBe(2);
    // The first attempt's write went with its transaction.
    expect(await effectLabels(prisma)).toEqual(['attempt-2']);
  });
});
