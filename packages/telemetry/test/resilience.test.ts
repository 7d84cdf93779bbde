import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { getServices, uniqueName } from '@game-scheduler/testing';
import { startOtlpReceiver, type OtlpReceiver } from '@game-scheduler/telemetry/testing';
import { startFixture, type FixtureProcess } from './fixture-process.ts';

function fixtureEnv(receiver: OtlpReceiver, extra: Record<string, string>) {
  const services = getServices();
  return {
    OTEL_SERVICE_NAME: 'fixture-service',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    FIXTURE_DATABASE_URL: services.databaseUrl,
    FIXTURE_REDIS_URL: services.redisUrl,
    FIXTURE_RABBITMQ_URL: services.rabbitmqUrl,
    FIXTURE_EXCHANGE: uniqueName('telemetry-resilience'),
    OTEL_BLRP_SCHEDULE_DELAY: '100',
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_EXPORTER_OTLP_TIMEOUT: '500',
    ...extra,
  };
}

function countLines(service: FixtureProcess, text: string): number {
  return service
    .output()
    .split('\n')
    .filter((line) => line.includes(text)).length;
}

describe('a service whose collector is down', () => {
  let receiver: OtlpReceiver;
  let service: FixtureProcess;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    service = await startFixture(fixtureEnv(receiver, { OTEL_BSP_SCHEDULE_DELAY: '100' }));
  });

  afterAll(async () => {
    await service.stop();
    await receiver.close();
  });

  it('keeps answering, says so once per signal, and says so again when the collector is back', async () => {
    await receiver.stop();
    for (let round = 0; round < 10; round += 1) {
      const response = await fetch(`${service.baseUrl}/games/${round}`);
      expect(response.status).toBe(200);
      await sleep(150);
    }
    expect(countLines(service, 'OpenTelemetry traces export failing')).toBe(1);
    expect(countLines(service, 'OpenTelemetry metrics export failing')).toBe(1);

    await receiver.start();
    await fetch(`${service.baseUrl}/games/99`);
    await receiver.waitForSpan({ attributes: { 'url.path': '/games/99' } });
    await receiver.waitForLogs({ body: /OpenTelemetry traces export recovered/ });
    expect(countLines(service, 'OpenTelemetry traces export failing')).toBe(1);
  });
});

describe('a service told to stop', () => {
  it('flushes the spans still buffered and exits', async () => {
    const receiver = await startOtlpReceiver();
    try {
      // A batch delay far longer than the test: only the shutdown flush can deliver these spans.
      const service = await startFixture(
        fixtureEnv(receiver, {
          OTEL_BSP_SCHEDULE_DELAY: '600000',
          OTEL_BLRP_SCHEDULE_DELAY: '600000',
          OTEL_METRIC_EXPORT_INTERVAL: '600000',
        }),
      );
      await fetch(`${service.baseUrl}/games/5`);
      await sleep(300);
      expect(receiver.spans({ attributes: { 'url.path': '/games/5' } })).toHaveLength(0);

      const exitCode = await Promise.race([
        service.stop('SIGTERM'),
        sleep(10_000).then(() => 'still running after 10 s'),
      ]);
      expect(exitCode).toBe(0);
      const server = receiver.spans({ kind: 'SERVER', attributes: { 'url.path': '/games/5' } });
      expect(server).toHaveLength(1);
      expect(receiver.trace(server[0]!.traceId).length).toBeGreaterThan(1);
      expect(receiver.logs({ body: 'game viewed' })).toHaveLength(1);
      expect(receiver.metricNames()).toContain('http.server.request.duration');
    } finally {
      await receiver.close();
    }
  });
});

describe('a service started with OTEL_SDK_DISABLED=true', () => {
  it('runs and logs without exporting anything or injecting trace ids', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const service = await startFixture(fixtureEnv(receiver, { OTEL_SDK_DISABLED: 'true' }));
      const response = await fetch(`${service.baseUrl}/games/8`);
      expect(response.status).toBe(200);
      expect(await service.stop('SIGTERM')).toBe(0);

      const viewed = service.lines().find((line) => line['msg'] === 'game viewed');
      expect(viewed).toMatchObject({ gameId: '8' });
      expect(viewed).not.toHaveProperty('trace_id');
      expect(service.output()).not.toContain('OpenTelemetry tracing initialized');
      expect(receiver.requests()).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
