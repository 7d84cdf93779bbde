import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServices, uniqueName } from '@game-scheduler/testing';
import { startOtlpReceiver, type OtlpReceiver } from '@game-scheduler/telemetry/testing';
import { startFixture, type FixtureProcess } from './fixture-process.ts';

const SHORT_EXPORTS = {
  OTEL_BSP_SCHEDULE_DELAY: '100',
  OTEL_BLRP_SCHEDULE_DELAY: '100',
  OTEL_METRIC_EXPORT_INTERVAL: '300',
};

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
        '@opentelemetry/instrumentation-pg',
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
      scopeName: '@opentelemetry/instrumentation-undici',
    });
    expect(client.parentSpanId).toBe(proxy.spanId);
    const callee = await receiver.waitForSpan({
      kind: 'SERVER',
      traceId: proxy.traceId,
      attributes: { 'url.path': '/hello' },
    });
    expect(callee.parentSpanId).toBe(client.spanId);
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
    for (const p of metric.dataPoints) {
      expect(Object.keys(p.attributes)).not.toContain('url.path');
    }
  });
});
