import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { freePort, getServices, uniqueName, type TestDatabase } from '@game-scheduler/testing';
import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REJECTED_HEADER,
  createEvent,
  createPostgresOutboxStore,
  createPrismaIdempotencyStore,
  startOutboxRelay,
  writeOutboxEvent,
  type PostgresOutboxStore,
  type Publisher,
  type Topology,
  type TopologyOptions,
} from '../src/index.ts';
import { drain, eventually, openTestTopology, type Admin } from './support/broker.ts';
import { gameCreatedPayload } from './support/events.ts';
import { installTestTracing, type TestTracing } from '@game-scheduler/telemetry/testing';

const options: TopologyOptions = {
  namespace: uniqueName('msg_pg'),
  consumers: [{ service: 'bot', routingKeys: ['game.*'] }],
};

let database: TestDatabase;
let prisma: PrismaClient;
let admin: Admin;
let topology: Topology;
let publisher: Publisher;
let closeTopology: () => Promise<void>;
let tracing: TestTracing;

beforeAll(async () => {
  tracing = installTestTracing();
  const services = getServices();
  database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'msg_pg' });
  prisma = createPrismaClient(database.url);
  ({
    admin,
    topology,
    publisher,
    close: closeTopology,
  } = await openTestTopology(services.rabbitmqUrl, options, uniqueName('msg_pg')));
});

afterAll(async () => {
  await closeTopology();
  await prisma.$disconnect();
  await database.drop();
  await tracing.shutdown();
});

function gameEvent(gameId: string) {
  return createEvent('game.created', gameCreatedPayload({ gameId }));
}

async function takeFromQueue(count: number) {
  const queue = topology.queues.bot!.main;
  return eventually(async () => {
    const { messageCount } = await admin.channel.checkQueue(queue);
    return messageCount >= count ? drain(admin.channel, queue) : undefined;
  });
}

function gameIdOf(content: Buffer): string {
  return (JSON.parse(content.toString()) as { payload: { gameId: string } }).payload.gameId;
}

describe('PostgreSQL idempotency store', () => {
  it('runs the work once per consumer and message id and records it', async () => {
    const store = createPrismaIdempotencyStore(prisma);
    const id = crypto.randomUUID();
    expect(await store.runOnce('bot', id, () => Promise.resolve('done'))).toEqual({
      ran: true,
      value: 'done',
    });
    expect(await store.runOnce('bot', id, () => Promise.resolve('again'))).toEqual({ ran: false });
    expect(await store.runOnce('notification-daemon', id, () => Promise.resolve(1))).toEqual({
      ran: true,
      value: 1,
    });
    expect(await prisma.processedMessage.count({ where: { messageId: id } })).toBe(2);
  });

  it('rolls the record back with the handler’s writes when the handler fails', async () => {
    const store = createPrismaIdempotencyStore(prisma);
    const id = crypto.randomUUID();
    const event = gameEvent('rolled-back');
    await expect(
      store.runOnce('bot', id, async (tx) => {
        await writeOutboxEvent(tx, event);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await prisma.processedMessage.count({ where: { messageId: id } })).toBe(0);
    expect(await prisma.outboxEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await store.runOnce('bot', id, () => Promise.resolve('retried'))).toEqual({
      ran: true,
      value: 'retried',
    });
  });

  it('runs unrecorded work outside any transaction and records nothing', async () => {
    const store = createPrismaIdempotencyStore(prisma);
    const recordedBefore = await prisma.processedMessage.count();
    const inTransaction = await store.runUnrecorded(async (tx) => {
      const [row] = await tx.$queryRaw<{ open: boolean }[]>`
        SELECT now() <> statement_timestamp() AS open`;
      return row?.open;
    });
    expect(inTransaction).toBe(false);
    expect(await store.runUnrecorded(() => Promise.resolve('again'))).toBe('again');
    expect(await prisma.processedMessage.count()).toBe(recordedBefore);
  });

  it('lets only one of two concurrent deliveries of a message run', async () => {
    const store = createPrismaIdempotencyStore(prisma);
    const id = crypto.randomUUID();
    let runs = 0;
    const work = async (): Promise<void> => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    };
    const results = await Promise.all([
      store.runOnce('bot', id, work),
      store.runOnce('bot', id, work),
    ]);
    expect(runs).toBe(1);
    expect(results.map((result) => result.ran).sort()).toEqual([false, true]);
  });
});

describe('PostgreSQL outbox with the relay', () => {
  let store: PostgresOutboxStore;

  beforeAll(() => {
    store = createPostgresOutboxStore({ databaseUrl: database.url });
  });

  afterAll(async () => {
    await store.close();
  });

  it('publishes rows committed with a change, in order, woken by NOTIFY, in the writer’s trace', async () => {
    const relay = await startOutboxRelay({ store, publisher, sweepIntervalMs: 60_000 });
    const request = trace.getTracer('test').startSpan('POST /api/v1/games');
    const events = ['one', 'two', 'three'].map(gameEvent);
    await prisma.$transaction(async (tx) => {
      for (const event of events) {
        await writeOutboxEvent(tx, event, trace.setSpan(context.active(), request));
      }
    });
    request.end();

    try {
      const messages = await takeFromQueue(3);
      expect(messages.map((message) => gameIdOf(message.content))).toEqual(['one', 'two', 'three']);
      for (const message of messages) {
        const { traceparent } = message.properties.headers as Record<string, unknown>;
        expect(String(traceparent)).toContain(request.spanContext().traceId);
      }
      await eventually(async () =>
        (await prisma.outboxEvent.count({
          where: { id: { in: events.map((event) => event.id) }, publishedAt: { not: null } },
        })) === 3
          ? true
          : undefined,
      );
    } finally {
      await relay.stop();
    }
  });

  it('sets aside a stored event that breaks its contract and publishes the rows behind it', async () => {
    const broken = gameEvent('broken');
    const fine = gameEvent('fine');
    await prisma.outboxEvent.create({
      data: {
        id: broken.id,
        eventType: broken.type,
        payload: { ...broken, version: 7 },
        createdAt: new Date(Date.now() - 1000),
      },
    });
    await prisma.$transaction((tx) => writeOutboxEvent(tx, fine));
    const relay = await startOutboxRelay({ store, publisher, sweepIntervalMs: 60_000 });

    try {
      const messages = await takeFromQueue(1);
      expect(messages.map((message) => gameIdOf(message.content))).toEqual(['fine']);
      const row = await prisma.outboxEvent.findUniqueOrThrow({ where: { id: broken.id } });
      expect(row.publishedAt).toBeNull();
      expect(row.lastError).toContain('version 7');
      expect(row.headers).toMatchObject({ [REJECTED_HEADER]: true });
    } finally {
      await relay.stop();
    }
  });

  it('counts the rows waiting to be published and the age of the oldest, leaving set-aside rows out', async () => {
    const old = gameEvent('waiting-old');
    await prisma.outboxEvent.create({
      data: {
        id: old.id,
        eventType: old.type,
        payload: { ...old },
        createdAt: new Date(Date.now() - 60_000),
      },
    });
    await prisma.$transaction((tx) => writeOutboxEvent(tx, gameEvent('waiting-new')));
    // The row set aside by the previous test (a broken contract) is never published: not pending.
    const waiting = await store.pending();
    expect(waiting.count).toBe(2);
    expect(waiting.oldestWrittenAt?.getTime()).toBeLessThanOrEqual(Date.now() - 60_000);

    const relay = await startOutboxRelay({ store, publisher, sweepIntervalMs: 60_000 });
    await relay.drain();
    await relay.stop();
    await takeFromQueue(2);
    expect(await store.pending()).toEqual({ count: 0, oldestWrittenAt: null });
  });

  it('lets only one relay replica claim rows at a time', async () => {
    const other = createPostgresOutboxStore({ databaseUrl: database.url });
    await prisma.$transaction((tx) => writeOutboxEvent(tx, gameEvent('claimed')));
    const first = await store.claimBatch(10);
    const second = await other.claimBatch(10);
    expect(first.rows.length).toBeGreaterThan(0);
    expect(second.rows).toEqual([]);
    await second.release();
    await first.release();
    await other.close();
    // leave nothing pending for later tests
    const relay = await startOutboxRelay({ store, publisher, sweepIntervalMs: 60_000 });
    await relay.drain();
    await relay.stop();
    await takeFromQueue(1);
  });
});

describe('PostgreSQL outbox LISTEN while the database is down', () => {
  it('reports each failed attempt once, with its cause, and nothing after close', async () => {
    const errors: unknown[] = [];
    const down = createPostgresOutboxStore({
      databaseUrl: `postgresql://postgres@127.0.0.1:${String(await freePort())}/down`,
      listenRetryMs: 20,
      onListenError: (error) => errors.push(error),
    });
    await down.onInserted(() => undefined);
    await eventually(() => (errors.length >= 3 ? true : undefined));
    await down.close();
    const reported = errors.length;
    // Each attempt is one refused connection; its client's 'end' is not a second failure.
    expect(errors.map((error) => (error as { code?: unknown }).code)).toEqual(
      Array.from({ length: reported }, () => 'ECONNREFUSED'),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors).toHaveLength(reported);
  });
});
