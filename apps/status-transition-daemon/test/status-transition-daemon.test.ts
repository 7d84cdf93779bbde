import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import {
  createConnection,
  createPublisher,
  deleteTopology,
  ensureTopology,
  type ConsumerOutcome,
  type DomainEvent,
  type MessagingConnection,
  type Publisher,
  type Topology,
  type TopologyOptions,
} from '@game-scheduler/messaging';
import { createLogger, parseTraceparent, withSpan } from '@game-scheduler/telemetry';
import { getServices, uniqueName, type TestDatabase } from '@game-scheduler/testing';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTING_KEYS, SERVICE, createApp, type App } from '../src/app.ts';
import { eventually } from '@game-scheduler/testing';
import {
  createGame,
  gameCancelled,
  gameCreated,
  gameUpdated,
  seedGuild,
  type TestGame,
} from './support/games.ts';
import { installTestTracing, type TestTracing } from '@game-scheduler/telemetry/testing';

const OBSERVER = 'observer';
const topologyOptions: TopologyOptions = {
  namespace: uniqueName('std'),
  consumers: [
    { service: SERVICE, routingKeys: [...ROUTING_KEYS] },
    { service: OBSERVER, routingKeys: ['game.status_changed'] },
  ],
  retryDelaysMs: [200],
};

let tracing: TestTracing;
let database: TestDatabase;
let prisma: PrismaClient;
let connection: MessagingConnection;
let topology: Topology;
let publisher: Publisher;
let admin: ChannelModel;
let channel: Channel;
let app: App;
const outcomes: { outcome: ConsumerOutcome; messageId: string | undefined }[] = [];

interface Published {
  event: DomainEvent;
  traceparent: string | undefined;
}
const statusChanges: Published[] = [];

const MINUTE = 60_000;

/** Publishes `event` inside a span of a new trace, as the API would; returns that trace id. */
async function publishInNewTrace(event: DomainEvent): Promise<string> {
  return withSpan(
    'test.request',
    {},
    async (span) => {
      await publisher.publish(event);
      return span.spanContext().traceId;
    },
    { root: true },
  );
}

async function consumed(messageId: string, outcome: ConsumerOutcome = 'acked'): Promise<void> {
  await eventually(() =>
    outcomes.some((entry) => entry.messageId === messageId && entry.outcome === outcome)
      ? true
      : undefined,
  );
}

async function scheduleRows(gameId: string) {
  return prisma.statusSchedule.findMany({ where: { gameId }, orderBy: { dueAt: 'asc' } });
}

/** Reads everything that reached the observer queue so far. */
async function drainObserver(): Promise<void> {
  const queue = topology.queues[OBSERVER]?.main ?? '';
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return;
    const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
    statusChanges.push({
      event: JSON.parse(message.content.toString()) as DomainEvent,
      traceparent: typeof headers.traceparent === 'string' ? headers.traceparent : undefined,
    });
  }
}

function changesOf(gameId: string): Published[] {
  return statusChanges.filter((entry) => entry.event.payload.gameId === gameId);
}

async function statusChangesFor(gameId: string, count: number): Promise<Published[]> {
  return eventually(async () => {
    await drainObserver();
    const changes = changesOf(gameId);
    return changes.length >= count ? changes : undefined;
  });
}

function transitionSpans(): ReadableSpan[] {
  return tracing.exporter
    .getFinishedSpans()
    .filter((span) => span.name === 'scheduled.status_transition');
}

async function createScheduledGame(startsAt: Date, durationMinutes = 60) {
  const game = await createGame(prisma, startsAt, durationMinutes);
  const event = gameCreated(game);
  const traceId = await publishInNewTrace(event);
  await consumed(event.id);
  return { game, traceId, event };
}

beforeAll(async () => {
  tracing = installTestTracing();
  const services = getServices();
  database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'std' });
  prisma = createPrismaClient(database.url);
  await seedGuild(prisma);
  connection = await createConnection({
    url: services.rabbitmqUrl,
    connectionName: uniqueName('std'),
  });
  topology = await ensureTopology(connection, topologyOptions);
  publisher = createPublisher({ connection, exchange: topology.eventsExchange });
  admin = await amqp.connect(services.rabbitmqUrl);
  channel = await admin.createChannel();
  app = createApp({
    prisma,
    databaseUrl: database.url,
    connection,
    topology,
    logger: createLogger({ name: 'status-transition-daemon-test', level: 'silent' }),
    scheduler: {
      batchSize: 10,
      maxAttempts: 3,
      retryBaseMs: 100,
      retryMaxMs: 1_000,
      safetyIntervalMs: 60_000,
      retentionDays: 30,
      retryParkedCron: '7 * * * *',
      retentionCron: '17 3 * * *',
    },
    onConsumed: (outcome, { messageId }) => {
      outcomes.push({ outcome, messageId });
    },
  });
  await app.start();
});

afterAll(async () => {
  await app.stop();
  await publisher.close();
  await connection.close();
  await deleteTopology(channel, topologyOptions);
  await admin.close();
  await prisma.$disconnect();
  await database.drop();
  await tracing.shutdown();
});

describe('status-transition daemon', () => {
  it('builds two schedule rows from game.created: IN_PROGRESS at the start, COMPLETED after the duration', async () => {
    const startsAt = new Date(Date.now() + 60 * MINUTE);
    const { game, traceId } = await createScheduledGame(startsAt, 90);
    const rows = await scheduleRows(game.id);
    expect(rows.map((row) => [row.targetStatus, row.dueAt.toISOString(), row.status])).toEqual([
      ['IN_PROGRESS', startsAt.toISOString(), 'PENDING'],
      ['COMPLETED', new Date(startsAt.getTime() + 90 * MINUTE).toISOString(), 'PENDING'],
    ]);
    // The consume span's trace (the creating request's) is stored for the scheduled job's link.
    for (const row of rows) expect(parseTraceparent(row.traceparent)?.traceId).toBe(traceId);
  });

  it('moves a game to IN_PROGRESS when its start comes and publishes game.status_changed', async () => {
    const { game } = await createScheduledGame(new Date(Date.now() + 1_500), 60);
    const [change] = await statusChangesFor(game.id, 1);
    expect(change?.event).toMatchObject({
      type: 'game.status_changed',
      payload: { gameId: game.id, title: 'Friday raid', from: 'SCHEDULED', to: 'IN_PROGRESS' },
    });
    expect((await prisma.game.findUniqueOrThrow({ where: { id: game.id } })).status).toBe(
      'IN_PROGRESS',
    );
    const rows = await scheduleRows(game.id);
    expect(rows.map((row) => [row.targetStatus, row.status])).toEqual([
      ['IN_PROGRESS', 'APPLIED'],
      ['COMPLETED', 'PENDING'],
    ]);
  });

  it('takes an overdue game through IN_PROGRESS to COMPLETED, publishing both changes in order', async () => {
    const { game } = await createScheduledGame(new Date(Date.now() - 2 * MINUTE), 1);
    const changes = await statusChangesFor(game.id, 2);
    expect(changes.map((entry) => entry.event.payload)).toEqual([
      expect.objectContaining({ from: 'SCHEDULED', to: 'IN_PROGRESS' }),
      expect.objectContaining({ from: 'IN_PROGRESS', to: 'COMPLETED' }),
    ]);
    await eventually(async () =>
      (await scheduleRows(game.id)).every((row) => row.status === 'APPLIED') ? true : undefined,
    );
    expect((await prisma.game.findUniqueOrThrow({ where: { id: game.id } })).status).toBe(
      'COMPLETED',
    );
  });

  it('runs each transition in a root span linked to the trace that created the game', async () => {
    const { game, traceId } = await createScheduledGame(new Date(Date.now() - 1_000), 60);
    const [change] = await statusChangesFor(game.id, 1);
    const span = await eventually(() =>
      transitionSpans().find((candidate) => candidate.attributes['game.id'] === game.id),
    );
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(traceId);
    expect(span.links.map((link) => link.context.traceId)).toEqual([traceId]);
    expect(span.attributes).toMatchObject({
      'game.status_transition': 'SCHEDULED->IN_PROGRESS',
      'scheduler.trigger': expect.stringMatching(/^(notify|timer|startup)$/),
      'scheduler.job_id': expect.any(String),
    });
    // The relay publishes game.status_changed in the scheduled span's trace.
    expect(parseTraceparent(change?.traceparent)?.traceId).toBe(span.spanContext().traceId);
  });

  it('moves the rows when the start or duration is edited, and leaves them for other edits', async () => {
    const { game } = await createScheduledGame(new Date(Date.now() + 60 * MINUTE), 60);
    const before = await scheduleRows(game.id);
    const titleOnly = gameUpdated(game, ['title']);
    await publisher.publish(titleOnly);
    await consumed(titleOnly.id);
    expect(await scheduleRows(game.id)).toEqual(before);
    // nothing to do twice: handled without the idempotency record (and its transaction)
    const recorded = (messageId: string) => prisma.processedMessage.count({ where: { messageId } });
    expect(await recorded(titleOnly.id)).toBe(0);

    const startsAt = new Date(Date.now() + 3 * 60 * MINUTE);
    await prisma.game.update({ where: { id: game.id }, data: { startsAt, durationMinutes: 30 } });
    const moved = gameUpdated({ ...game, startsAt, durationMinutes: 30 }, [
      'startsAt',
      'durationMinutes',
    ]);
    await publisher.publish(moved);
    await consumed(moved.id);
    expect(await recorded(moved.id)).toBe(1);
    const rows = await scheduleRows(game.id);
    expect(rows.map((row) => [row.targetStatus, row.dueAt.toISOString(), row.status])).toEqual([
      ['IN_PROGRESS', startsAt.toISOString(), 'PENDING'],
      ['COMPLETED', new Date(startsAt.getTime() + 30 * MINUTE).toISOString(), 'PENDING'],
    ]);
  });

  it('removes the rows of a cancelled game', async () => {
    const { game } = await createScheduledGame(new Date(Date.now() + 60 * MINUTE), 60);
    await prisma.game.update({ where: { id: game.id }, data: { status: 'CANCELLED' } });
    const cancelled = gameCancelled(game);
    await publisher.publish(cancelled);
    await consumed(cancelled.id);
    expect(await scheduleRows(game.id)).toEqual([]);
  });

  it('applies no transition to a cancelled game whose row falls due anyway', async () => {
    const game: TestGame = await createGame(prisma, new Date(Date.now() - MINUTE), 60);
    await prisma.game.update({ where: { id: game.id }, data: { status: 'CANCELLED' } });
    // As if the cancel had not been consumed yet when the row fell due.
    await prisma.statusSchedule.create({
      data: { gameId: game.id, targetStatus: 'IN_PROGRESS', dueAt: new Date(Date.now() - 1_000) },
    });
    await eventually(async () =>
      (await scheduleRows(game.id))[0]?.status === 'APPLIED' ? true : undefined,
    );
    expect((await prisma.game.findUniqueOrThrow({ where: { id: game.id } })).status).toBe(
      'CANCELLED',
    );
    const outbox = await prisma.outboxEvent.findMany({
      where: { eventType: 'game.status_changed' },
    });
    expect(outbox.filter((row) => JSON.stringify(row.payload).includes(game.id))).toEqual([]);
  });

  it('does nothing twice for a replayed event', async () => {
    const { game, event } = await createScheduledGame(new Date(Date.now() + 60 * MINUTE), 60);
    // Changes made after the first delivery must survive the replay.
    const marker = new Date(Date.now() + 5 * 60 * MINUTE);
    await prisma.statusSchedule.updateMany({
      where: { gameId: game.id, targetStatus: 'IN_PROGRESS' },
      data: { dueAt: marker },
    });
    await publisher.publish(event);
    await consumed(event.id, 'duplicate');
    const rows = await scheduleRows(game.id);
    expect(rows.find((row) => row.targetStatus === 'IN_PROGRESS')?.dueAt).toEqual(marker);
    expect(outcomes.filter((entry) => entry.messageId === event.id)).toEqual([
      { outcome: 'acked', messageId: event.id },
      { outcome: 'duplicate', messageId: event.id },
    ]);
  });
});
