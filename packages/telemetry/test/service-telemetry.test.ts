import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServices, uniqueName } from '@game-scheduler/testing';
import {
  startOtlpReceiver,
  type CapturedMetric,
  type OtlpReceiver,
} from '@game-scheduler/telemetry/testing';
import { InstrumentationMetrics } from '@game-scheduler/telemetry';
import { startFixture, type FixtureProcess } from './fixture-process.ts';

const SHORT_EXPORTS = {
  OTEL_BSP_SCHEDULE_DELAY: '100',
  OTEL_BLRP_SCHEDULE_DELAY: '100',
  OTEL_METRIC_EXPORT_INTERVAL: '300',
};

async function postInTwoPackets(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<string> {
  const half = Math.floor(body.length / 2);
  const request = httpRequest(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'content-length': body.length },
  });
  const answered = new Promise<string>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve(text);
      });
    });
    request.on('error', reject);
  });
  request.flushHeaders();
  request.write(body.slice(0, half));
  await sleep(100);
  request.end(body.slice(half));
  return answered;
}

function fixtureEnv(receiver: OtlpReceiver, extra: Record<string, string> = {}) {
  const services = getServices();
  return {
    OTEL_SERVICE_NAME: 'fixture-service',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2.3,deployment.environment.name=test',
    FIXTURE_DATABASE_URL: services.databaseUrl,
    FIXTURE_REDIS_URL: services.redisUrl,
    FIXTURE_RABBITMQ_URL: services.rabbitmqUrl,
    FIXTURE_EXCHANGE: uniqueName('telemetry-fixture'),
    ...SHORT_EXPORTS,
    ...extra,
  };
}

describe('a service started with the telemetry preload', () => {
  let receiver: OtlpReceiver;
  let service: FixtureProcess;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    service = await startFixture(fixtureEnv(receiver));
  });

  afterAll(async () => {
    await service.stop();
    await receiver.close();
  });

  it('exports one trace per request: a server span with HTTP attributes and its DB, Redis and publish spans as children', async () => {
    const response = await fetch(`${service.baseUrl}/games/41`);
    expect(await response.json()).toEqual({ id: '41', answer: 42 });

    const server = await receiver.waitForSpan({
      kind: 'SERVER',
      attributes: { 'http.route': '/games/:id' },
    });
    expect(server.name).toBe('GET /games/:id');
    expect(server.parentSpanId).toBeUndefined();
    expect(server.serviceName).toBe('fixture-service');
    expect(server.resource['service.version']).toBe('1.2.3');
    expect(server.resource['deployment.environment.name']).toBe('test');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/games/:id',
      'http.response.status_code': 200,
      'url.path': '/games/41',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
    });

    const children = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.parentSpanId === server.spanId,
      { count: 3 },
    );
    const scopes = children.map((span) => span.scope.name);
    expect(scopes).toEqual(
      expect.arrayContaining([
        '@game-scheduler/telemetry/pg',
        '@opentelemetry/instrumentation-ioredis',
      ]),
    );
    const publish = children.find((span) => span.kind === 'PRODUCER');
    expect(publish?.name).toBe('event.publish');
    // amqplib itself is not patched: packages/messaging traces messages, exactly once.
    expect(scopes).not.toContain('@opentelemetry/instrumentation-amqplib');
    expect(new Set(receiver.trace(server.traceId).map((span) => span.traceId)).size).toBe(1);
  });

  it('exports the log lines of a request with its trace id, as the JSON log on stdout carries them', async () => {
    await fetch(`${service.baseUrl}/games/7`);
    const server = await receiver.waitForSpan({ attributes: { 'url.path': '/games/7' } });

    const [log] = await receiver.waitForLogs({ traceId: server.traceId, body: 'game viewed' });
    expect(log?.serviceName).toBe('fixture-service');
    expect(log?.spanId).toBe(server.spanId);
    expect(log?.severityText).toBe('INFO');

    const stdoutLine = service
      .lines()
      .find((line) => line['msg'] === 'game viewed' && line['gameId'] === '7');
    expect(stdoutLine).toMatchObject({ trace_id: server.traceId, span_id: server.spanId });
  });

  it('logs one line per signal when telemetry starts', () => {
    const messages = service.lines().map((line) => line['msg']);
    for (const signal of ['tracing', 'metrics', 'logging']) {
      expect(messages.filter((msg) => msg === `OpenTelemetry ${signal} initialized`)).toHaveLength(
        1,
      );
    }
  });

  it('traces an outgoing fetch (undici) as a client span and continues the trace in the callee', async () => {
    await fetch(`${service.baseUrl}/proxy`);
    const proxy = await receiver.waitForSpan({
      kind: 'SERVER',
      attributes: { 'http.route': '/proxy' },
    });
    const client = await receiver.waitForSpan({
      kind: 'CLIENT',
      traceId: proxy.traceId,
      scopeName: '@game-scheduler/telemetry/undici',
    });
    expect(client.parentSpanId).toBe(proxy.spanId);
    const callee = await receiver.waitForSpan({
      kind: 'SERVER',
      traceId: proxy.traceId,
      attributes: { 'url.path': '/hello' },
    });
    expect(callee.parentSpanId).toBe(client.spanId);
  });

  it('keeps a request with a body in its trace, continues an incoming traceparent, and marks 5xx as errors', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    // The body arrives in a later packet than the headers, so fastify reads it from stream events
    // that run outside the request's context.
    const response = await postInTwoPackets(`${service.baseUrl}/games?session=abc`, '{"id": 21}', {
      traceparent: `00-${traceId}-b7ad6b7169203331-01`,
      'user-agent': 'telemetry-test',
    });
    expect(JSON.parse(response)).toEqual({ answer: 42 });
    const post = await receiver.waitForSpan({ kind: 'SERVER', traceId });
    expect(post.name).toBe('POST /games');
    expect(post.parentSpanId).toBe('b7ad6b7169203331');
    expect(post.attributes).toMatchObject({
      'url.path': '/games',
      'user_agent.original': 'telemetry-test',
      'network.protocol.version': '1.1',
    });
    const query = await receiver.waitForSpan({
      traceId,
      scopeName: '@game-scheduler/telemetry/pg',
    });
    expect(query.parentSpanId).toBe(post.spanId);

    expect((await fetch(`${service.baseUrl}/fail`)).status).toBe(500);
    const failed = await receiver.waitForSpan({
      kind: 'SERVER',
      attributes: { 'http.route': '/fail' },
    });
    expect(failed.status.code).toBe('ERROR');
    expect(failed.attributes).toMatchObject({
      'http.response.status_code': 500,
      'error.type': '500',
    });
    expect(failed.events.map((event) => event.name)).toContain('exception');

    expect((await fetch(`${service.baseUrl}/no/such/route`)).status).toBe(404);
    const missing = await receiver.waitForSpan({
      kind: 'SERVER',
      attributes: { 'url.path': '/no/such/route' },
    });
    expect(missing.name).toBe('GET');
    expect(missing.status.code).toBe('UNSET');
    expect(missing.attributes['http.route']).toBeUndefined();
  });

  it('exports the HTTP server duration metric with the route and without ids', async () => {
    await fetch(`${service.baseUrl}/hello`);
    const metric = await receiver.waitForMetric('http.server.request.duration', {
      predicate: (m) => m.dataPoints.some((point) => point.attributes['http.route'] === '/hello'),
    });
    expect(metric.unit).toBe('s');
    const point = metric.dataPoints.find((p) => p.attributes['http.route'] === '/hello');
    expect(point?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
    });
    expect(point?.explicitBounds).toEqual([...InstrumentationMetrics.httpServerDuration.buckets]);
    for (const p of metric.dataPoints) {
      expect(Object.keys(p.attributes)).not.toContain('url.path');
      expect(p.bucketCounts?.reduce((sum, count) => sum + count, 0)).toBe(p.count);
    }
  });

  it('traces a failed statement with its SQLSTATE, times statements by operation and reads the pool at collection', async () => {
    const response = await fetch(`${service.baseUrl}/bad-query`);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; traceId: string };
    expect(body.error).toContain('no_such_table');
    const server = await receiver.waitForSpan({
      kind: 'SERVER',
      attributes: { 'http.route': '/bad-query' },
    });
    expect(body.traceId).toBe(server.traceId); // the callback ran in the request's context
    const statement = await receiver.waitForSpan({
      traceId: server.traceId,
      scopeName: '@game-scheduler/telemetry/pg',
    });
    expect(statement.parentSpanId).toBe(server.spanId);
    expect(statement.kind).toBe('CLIENT');
    expect(statement.name).toMatch(/^pg\.query:SELECT /);
    expect(statement.status.code).toBe('ERROR');
    expect(statement.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT * FROM no_such_table',
      'error.type': '42P01',
      'db.response.status_code': '42P01',
    });
    expect(statement.events.map((event) => event.name)).toContain('exception');

    const duration = await receiver.waitForMetric('db.client.operation.duration', {
      predicate: (m) => m.dataPoints.some((p) => p.attributes['error.type'] === '42P01'),
    });
    const failed = duration.dataPoints.find((p) => p.attributes['error.type'] === '42P01');
    expect(failed?.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.response.status_code': '42P01',
    });
    expect(Object.keys(failed?.attributes ?? {})).not.toContain('db.query.text');
    expect(failed?.explicitBounds).toEqual([
      ...InstrumentationMetrics.dbClientOperationDuration.buckets,
    ]);
    // The earlier requests' successful SELECTs (/games/41, /games/7) count in one series of their
    // own, whether it was found by its key or remembered by the connection.
    const succeeded = duration.dataPoints.filter(
      (p) => p.attributes['db.operation.name'] === 'SELECT' && !('error.type' in p.attributes),
    );
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]?.count).toBeGreaterThanOrEqual(2);
    // The connection of the statement above is used or idle (the fixture's pool holds up to 2).
    const total = (m: CapturedMetric): number =>
      m.dataPoints.reduce((sum, p) => sum + (p.value ?? 0), 0);
    const connections = await receiver.waitForMetric('db.client.connection.count', {
      predicate: (m) => m.dataPoints.length === 2 && total(m) >= 1,
    });
    expect(total(connections)).toBeLessThanOrEqual(2);
    expect(
      connections.dataPoints.map((p) => p.attributes['db.client.connection.state']).sort(),
    ).toEqual(['idle', 'used']);
    // host:port/database from the pool's connection string, without its credentials
    expect(connections.dataPoints[0]?.attributes['db.client.connection.pool.name']).toMatch(
      /^[^@]+:\d+\/[^/]+$/,
    );
    await receiver.waitForMetric('db.client.connection.pending_requests');
  });

  it('starts no span for a route declared `traced: false`, and still counts it in the duration metric', async () => {
    for (let i = 0; i < 3; i += 1)
      expect((await fetch(`${service.baseUrl}/probe`)).status).toBe(200);
    // Spans leave in the order they ended: once this one is here, a probe's would be too.
    expect((await fetch(`${service.baseUrl}/games/7`)).status).toBe(200);
    await receiver.waitForSpan({ kind: 'SERVER', attributes: { 'url.path': '/games/7' } });
    expect(receiver.spans({ attributes: { 'url.path': '/probe' } })).toEqual([]);
    const metric = await receiver.waitForMetric('http.server.request.duration', {
      predicate: (m) =>
        m.dataPoints.some((p) => p.attributes['http.route'] === '/probe' && p.count === 3),
    });
    const probe = metric.dataPoints.find((p) => p.attributes['http.route'] === '/probe');
    expect(probe?.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/probe',
      'http.response.status_code': 200,
      'url.scheme': 'http',
      'network.protocol.version': '1.1',
    });
    expect(probe?.min).toBeGreaterThan(0);
    expect(probe?.max).toBeLessThan(5);
  });
});

describe('OTEL_FASTIFY_SPANS=request', () => {
  it("brings back the library instrumentations: the http server span with @fastify/otel's request span under it", async () => {
    const receiver = await startOtlpReceiver();
    const service = await startFixture(fixtureEnv(receiver, { OTEL_FASTIFY_SPANS: 'request' }));
    try {
      await fetch(`${service.baseUrl}/hello`);
      const server = await receiver.waitForSpan({
        kind: 'SERVER',
        scopeName: '@opentelemetry/instrumentation-http',
      });
      const request = await receiver.waitForSpan({
        traceId: server.traceId,
        scopeName: '@fastify/otel',
      });
      expect(request.parentSpanId).toBe(server.spanId);
      expect(request.attributes['http.route']).toBe('/hello');
    } finally {
      await service.stop();
      await receiver.close();
    }
  });
});

describe('the readiness server of a service (startReadinessServer)', () => {
  // 'all' turns the http instrumentation's server spans on: the probes must still export nothing.
  for (const fastifySpans of ['route', 'all'] as const) {
    it(`exports no span for its probes, their PostgreSQL and Redis checks included (OTEL_FASTIFY_SPANS=${fastifySpans})`, async () => {
      const receiver = await startOtlpReceiver();
      const service = await startFixture(
        fixtureEnv(receiver, { OTEL_FASTIFY_SPANS: fastifySpans }),
      );
      try {
        for (let probe = 0; probe < 3; probe += 1) {
          const ready = await fetch(`${service.readinessUrl}/ready`);
          expect(await ready.json()).toEqual({
            status: 'ready',
            dependencies: { postgres: 'up', redis: 'up' },
          });
          expect((await fetch(`${service.readinessUrl}/health`)).status).toBe(200);
        }
        // A traced request after the probes: once its spans arrived, any of the probes' would have.
        await fetch(`${service.baseUrl}/games/7`);
        // Its server span ends after its children (pg, Redis, publish) and is exported after them.
        const server = await receiver.waitForSpan({ kind: 'SERVER', parentSpanId: null });
        expect(server.attributes['url.path']).toBe('/games/7');
        const others = receiver.spans().filter((span) => span.traceId !== server.traceId);
        expect(others.map((span) => `${span.scope.name}: ${span.name}`)).toEqual([]);
      } finally {
        await service.stop();
        await receiver.close();
      }
    });
  }
});
