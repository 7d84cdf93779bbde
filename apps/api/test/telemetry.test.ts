import { createPrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { createDiscordSim, demoScenario, type DiscordSim } from '@game-scheduler/discord-sim';
import {
  startOtlpReceiver,
  type CapturedSpan,
  type OtlpReceiver,
} from '@game-scheduler/telemetry/testing';
import { getServices, uniqueName, type TestDatabase } from '@game-scheduler/testing';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  runApiProcessToExit,
  localApiEnv,
  startApiProcess,
  type ApiProcess,
} from './support/api-process.ts';
import { ANNOUNCEMENTS_CHANNEL, GUILD_ID, HANA } from './support/harness.ts';
import { signInThroughSim } from '@game-scheduler/discord-sim/sign-in';

const namespace = uniqueName('api-trace');
let receiver: OtlpReceiver;
let database: TestDatabase;
let sim: DiscordSim;
let api: ApiProcess;
let broker: ChannelModel;
let channel: Channel;
const published: ConsumeMessage[] = [];

function login(userId: string): Promise<string> {
  return signInThroughSim({ apiUrl: api.baseUrl, userId });
}

async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  const services = getServices();
  receiver = await startOtlpReceiver();
  database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'api_trace' });
  sim = await createDiscordSim({ scenario: demoScenario, rateLimits: { enabled: false } });
  const port = await freePort();
  api = await startApiProcess(port, {
    ...localApiEnv({ port, databaseUrl: database.url, services, sim, namespace }),
    API_SESSION_TTL_SECONDS: '300',
    API_GUILD_CACHE_TTL_SECONDS: '60',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
    OTEL_METRIC_EXPORT_INTERVAL: '300',
  });
  broker = await amqp.connect(services.rabbitmqUrl);
  channel = await broker.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, `${namespace}.events`, 'game.*');
  await channel.consume(
    queue,
    (message) => {
      if (message !== null) published.push(message);
    },
    { noAck: true },
  );
}, 60_000);

afterAll(async () => {
  await api.stop();
  await channel.deleteExchange(`${namespace}.events`).catch(() => undefined);
  await broker.close();
  await sim.close();
  await receiver.close();
  await database.drop();
});

describe('the API started with the telemetry preload', () => {
  it('traces POST /api/v1/games as one trace: server span, DB spans, the outbox write, and the published event', async () => {
    const cookie = await login(HANA);
    const response = await fetch(`${api.baseUrl}/api/v1/games`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        guildId: GUILD_ID,
        channelId: ANNOUNCEMENTS_CHANNEL,
        title: 'Traced game',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        durationMinutes: 90,
      }),
    });
    expect(response.status).toBe(201);
    const game = (await response.json()) as { id: string };

    const server = await receiver.waitForSpan({
      kind: 'SERVER',
      attributes: { 'http.route': '/api/v1/games', 'http.request.method': 'POST' },
    });
    expect(server.name).toBe('POST /api/v1/games');
    expect(server.parentSpanId).toBeUndefined();
    expect(server.attributes['http.response.status_code']).toBe(201);

    const create = await receiver.waitForSpan({ name: 'game.create', traceId: server.traceId });
    expect(create.parentSpanId).toBe(server.spanId);
    expect(create.attributes['game.id']).toBe(game.id);

    const insertInto = (table: string) =>
      receiver.waitForSpans(
        (span) =>
          span.traceId === server.traceId &&
          JSON.stringify(span.attributes['db.query.text'] ?? '').startsWith(
            JSON.stringify(`INSERT INTO "public"."${table}"`).slice(0, -1),
          ),
      );
    const [gameInsert] = await insertInto('games');
    const [outboxInsert] = await insertInto('outbox');
    expect(gameInsert?.scope.name).toBe('@game-scheduler/telemetry/pg');
    expect(outboxInsert?.scope.name).toBe('@game-scheduler/telemetry/pg');
    // One client span per query, pg's: Prisma records only the transaction around the inserts
    // (its operation, db_query, start/commit and serialize/compile spans would duplicate pg's).
    const prismaSpans = receiver.trace(server.traceId).filter((s) => s.scope.name === 'prisma');
    expect(prismaSpans.map((s) => s.name)).toEqual(['prisma:client:transaction']);
    expect(gameInsert?.parentSpanId).toBe(prismaSpans[0]?.spanId);
    // The transaction's statements under it include its COMMIT; its BEGIN has no span of its own.
    const statements = receiver
      .trace(server.traceId)
      .filter((s) => s.parentSpanId === prismaSpans[0]?.spanId)
      .map((s) => s.attributes['db.operation.name']);
    expect(statements).toContain('COMMIT');
    expect(statements).not.toContain('BEGIN');
    const [sessionRead] = await receiver.waitForSpans({
      traceId: server.traceId,
      scopeName: '@opentelemetry/instrumentation-ioredis',
    });
    expect(sessionRead?.parentSpanId).toBeDefined();
    // The rate limiter's Redis scripts are not traced (nothing to tell, two spans per request).
    const redisCommands = receiver
      .trace(server.traceId)
      .filter((s) => s.scope.name === '@opentelemetry/instrumentation-ioredis')
      .map((s) => s.name);
    expect(redisCommands).not.toContain('evalsha');
    expect(redisCommands).not.toContain('eval');
    // Every span of the trace descends from the server span.
    const trace = receiver.trace(server.traceId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    for (const span of trace) {
      let cursor = span;
      while (cursor.parentSpanId !== undefined) {
        const parent = byId.get(cursor.parentSpanId);
        if (parent === undefined) break;
        cursor = parent;
      }
      expect(cursor.spanId).toBe(server.spanId);
    }

    const message = await waitFor(
      () =>
        published.find(
          (m) =>
            (JSON.parse(m.content.toString()) as { payload: { gameId: string } }).payload.gameId ===
            game.id,
        ),
      'game.created on RabbitMQ',
    );
    expect(message.fields.routingKey).toBe('game.created');
    const headers: Record<string, unknown> = message.properties.headers ?? {};
    const traceparent = String(headers['traceparent']);
    expect(traceparent.split('-')[1]).toBe(server.traceId);

    const created = await receiver.waitForMetric('games.created');
    expect(created.dataPoints[0]?.attributes).toEqual({ 'game.source': 'api' });
  });

  it("traces a guild's game list in four spans: server, the session read, one read of member and guild, one SELECT", async () => {
    const cookie = await login(HANA);
    const list = (span: CapturedSpan) =>
      span.kind === 'SERVER' && span.name === 'GET /api/v1/games';
    // the first list fills the member and guild caches
    expect(
      (await fetch(`${api.baseUrl}/api/v1/games?guildId=${GUILD_ID}`, { headers: { cookie } }))
        .status,
    ).toBe(200);
    await receiver.waitForSpans(list);
    const seen = new Set(
      receiver
        .spans()
        .filter(list)
        .map((span) => span.spanId),
    );
    const response = await fetch(`${api.baseUrl}/api/v1/games?guildId=${GUILD_ID}&limit=5`, {
      headers: { cookie },
    });
    expect(response.status).toBe(200);
    const server = await receiver.waitForSpan((span) => list(span) && !seen.has(span.spanId));
    await receiver.waitForSpans({ traceId: server.traceId }, { count: 4 });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // any further span: next export
    // pg names its spans `pg.query:<operation> <database>`
    const spans = receiver
      .trace(server.traceId)
      .map((span) => `${span.scope.name} ${span.name.replace(/^(pg\.query:\S+) .*$/, '$1')}`)
      .sort();
    expect(spans).toEqual([
      '@game-scheduler/telemetry GET /api/v1/games',
      '@game-scheduler/telemetry/pg pg.query:SELECT',
      '@opentelemetry/instrumentation-ioredis get',
      '@opentelemetry/instrumentation-ioredis mget',
    ]);
  });

  it('traces a guild configuration change: server span by route, guild.configure, its UPDATE, the counter', async () => {
    const prisma = createPrismaClient(database.url, { poolSize: 1 });
    try {
      await prisma.guild.upsert({
        where: { id: GUILD_ID },
        create: { id: GUILD_ID, name: 'Game Night' },
        update: {},
      });
    } finally {
      await prisma.$disconnect();
    }
    const cookie = await login(HANA);
    const response = await fetch(`${api.baseUrl}/api/v1/guilds/${GUILD_ID}`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ timeZone: 'Europe/Berlin' }),
    });
    expect(response.status).toBe(200);

    const server = await receiver.waitForSpan({
      kind: 'SERVER',
      attributes: { 'http.route': '/api/v1/guilds/:guildId', 'http.request.method': 'PATCH' },
    });
    expect(server.name).toBe('PATCH /api/v1/guilds/:guildId');
    const configure = await receiver.waitForSpan({
      name: 'guild.configure',
      traceId: server.traceId,
    });
    expect(configure.parentSpanId).toBe(server.spanId);
    expect(configure.attributes).toMatchObject({
      'guild.config_change': 'settings',
      'discord.guild_id': GUILD_ID,
    });
    const [update] = await receiver.waitForSpans(
      (span) =>
        span.traceId === server.traceId &&
        typeof span.attributes['db.query.text'] === 'string' &&
        span.attributes['db.query.text'].startsWith('UPDATE "public"."guilds"'),
    );
    expect(update?.scope.name).toBe('@game-scheduler/telemetry/pg');
    const changes = await receiver.waitForMetric('guild.config.changes');
    expect(changes.dataPoints[0]?.attributes).toEqual({ 'guild.config_change': 'settings' });
  });

  it('traces no health or readiness probe, but counts them in the HTTP duration metric with its semantic-convention buckets', async () => {
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${api.baseUrl}/ready`)).status).toBe(200);
    // A traced request after the probes: once its span is exported, a probe's would have been too
    // (spans leave in the order they ended).
    expect((await fetch(`${api.baseUrl}/api/v1/me`)).status).toBe(401);
    await receiver.waitForSpan({ kind: 'SERVER', attributes: { 'http.route': '/api/v1/me' } });
    const probeSpans = ['/health', '/ready'].flatMap((path) =>
      receiver.spans({ attributes: { 'url.path': path } }),
    );
    expect(probeSpans).toEqual([]);

    const metric = await receiver.waitForMetric('http.server.request.duration', {
      predicate: (m) =>
        ['/health', '/ready'].every((route) =>
          m.dataPoints.some((point) => point.attributes['http.route'] === route),
        ),
    });
    expect(metric.unit).toBe('s');
    const point = metric.dataPoints.find((p) => p.attributes['http.route'] === '/health');
    expect(point?.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/health',
      'http.response.status_code': 200,
      'url.scheme': 'http',
      'network.protocol.version': '1.1',
    });
    expect(point?.count).toBeGreaterThanOrEqual(1);
    // The alerts (grafana/alerts/services.yml) compare the p99 with 0.5 s and 1 s: both must be
    // bucket boundaries, not interpolated inside the SDK's default 0–5 s bucket.
    expect(point?.explicitBounds).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ]);
    expect(point?.bucketCounts?.reduce((sum, count) => sum + count, 0)).toBe(point?.count);
  });

  it('logs a refused request inside its trace, and marks the server span with the error code', async () => {
    const cookie = await login(HANA);
    const response = await fetch(
      `${api.baseUrl}/api/v1/games/00000000-0000-4000-8000-000000000000`,
      { headers: { cookie } },
    );
    expect(response.status).toBe(404);
    const server = await receiver.waitForSpan({
      kind: 'SERVER',
      attributes: { 'http.route': '/api/v1/games/:gameId', 'http.response.status_code': 404 },
    });
    expect(server.attributes['error.type']).toBe('NOT_FOUND');
    const [log] = await receiver.waitForLogs({ traceId: server.traceId, body: 'Game not found' });
    expect(log?.serviceName).toBe('api');
  });

  it('shuts down on SIGTERM with exit code 0', async () => {
    expect(await api.stop()).toBe(0);
    expect(api.output()).toContain('"API started"');
  });
});

describe('the API process', () => {
  it('exits with code 1 and one line naming every bad variable', async () => {
    const { code, output } = await runApiProcessToExit({
      DATABASE_URL: 'mysql://nope',
      DISCORD_CLIENT_ID: '',
      DISCORD_CLIENT_SECRET: '',
      DISCORD_BOT_TOKEN: '',
      API_PORT: 'eighty',
    });
    expect(code).toBe(1);
    const fatal = output.split('\n').find((line) => line.includes('Invalid api configuration'));
    for (const name of ['DATABASE_URL', 'API_PORT', 'DISCORD_CLIENT_ID', 'DISCORD_BOT_TOKEN']) {
      expect(fatal).toContain(name);
    }
  });
});
