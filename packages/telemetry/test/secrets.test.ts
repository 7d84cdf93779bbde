import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServices, uniqueName } from '@game-scheduler/testing';
import { startOtlpReceiver, type OtlpReceiver } from '@game-scheduler/telemetry/testing';
import { startFixture, type FixtureProcess } from './fixture-process.ts';

const DB_PASSWORD = 'pg-Secret-9f3a7c';
const BOT_TOKEN = 'MTA5NzY1NDMyMTA5ODc2NTQzMg.GhXyZa.s3cr3tB0tT0k3nValueAbCdEfGhIjKlMnOpQ';
const BEARER = 'bearer-secret-5d2e8b1c4a';
const COOKIE = 'cookie-secret-77aa99bb';
const QUERY_TOKEN = 'query-secret-31c0ffee';

describe('secrets given to a service', () => {
  let receiver: OtlpReceiver;
  let service: FixtureProcess;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const services = getServices();
    const withPassword = new URL(services.databaseUrl);
    withPassword.password = DB_PASSWORD; // trust auth: accepted and ignored
    service = await startFixture({
      OTEL_SERVICE_NAME: 'fixture-service',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '200',
      FIXTURE_DATABASE_URL: withPassword.href,
      FIXTURE_REDIS_URL: services.redisUrl,
      FIXTURE_RABBITMQ_URL: services.rabbitmqUrl,
      FIXTURE_EXCHANGE: uniqueName('telemetry-secrets'),
      DISCORD_BOT_TOKEN: BOT_TOKEN,
    });
  });

  afterAll(async () => {
    await service.stop();
    await receiver.close();
  });

  it('never appear in any exported span, log or metric', async () => {
    const headers = { authorization: `Bearer ${BEARER}`, cookie: `session=${COOKIE}` };
    await fetch(`${service.baseUrl}/games/3?token=${QUERY_TOKEN}`, { headers });
    await fetch(`${service.baseUrl}/fail?access_token=${QUERY_TOKEN}`, { headers });
    await fetch(`${service.baseUrl}/token-error`, { headers });

    await receiver.waitForSpan({ name: 'fixture.fail', status: 'ERROR' });
    await receiver.waitForSpans({ kind: 'SERVER' }, { count: 3 });
    await receiver.waitForLogs({ body: /cannot reach/ });
    await receiver.waitForLogs({ body: /Discord rejected token/ });
    await receiver.waitForLogs({ body: /connected to/ });
    await receiver.waitForMetric('http.server.request.duration');

    const exported = receiver.allExportedText();
    // the telemetry really carries the places where the secrets were
    expect(exported).toContain('cannot reach postgresql://');
    expect(exported).toContain('Discord rejected token');
    expect(exported).toContain('/games/3');
    for (const secret of [DB_PASSWORD, BOT_TOKEN, BEARER, COOKIE, QUERY_TOKEN]) {
      expect(exported).not.toContain(secret);
    }
  });
});
