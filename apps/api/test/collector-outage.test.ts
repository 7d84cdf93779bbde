// The API, with the real telemetry preload, while its OTLP collector is down for two minutes under
// steady traffic (issue #6: "the OTLP endpoint down for minutes, memory stays bounded").
//
// Wall time: about two and a half minutes (a two-minute outage is the point of the test); the
// fixture-process version of the same outage, ten requests long, is packages/telemetry/test/
// resilience.test.ts.
//
// Memory is read two ways every ten seconds: the main thread's heap after a forced full GC (over the
// inspector, see support/heap-probe.ts) and the process's RSS from /proc (which also holds the
// worker threads: the pino-to-OTLP log transport and its queue live in one).
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { createDiscordSim, demoScenario, type DiscordSim } from '@game-scheduler/discord-sim';
import { processRssBytes } from '@game-scheduler/bench';
import { startOtlpReceiver, type OtlpReceiver } from '@game-scheduler/telemetry/testing';
import { getServices, uniqueName, type TestDatabase } from '@game-scheduler/testing';
import amqp from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, localApiEnv, startApiProcess, type ApiProcess } from './support/api-process.ts';
import { ANNOUNCEMENTS_CHANNEL, GUILD_ID, HANA } from './support/harness.ts';
import { INSPECT_OPTION, connectHeapProbe, type HeapProbe } from './support/heap-probe.ts';
import { signInThroughSim } from '@game-scheduler/discord-sim/sign-in';

const SECOND = 1_000;
const OUTAGE_MS = 120 * SECOND;
const SAMPLE_EVERY_MS = 10 * SECOND;
/** Samples before this are the queues filling up (2048 spans, 2048 log records), not the baseline. */
const SETTLED_MS = 20 * SECOND;
const WARM_UP_REQUESTS = 40;
/** One request every 50 ms: 20 per second, one in ten a game creation (outbox, RabbitMQ). */
const REQUEST_EVERY_MS = 50;
/**
 * How far the second minute's heap-after-GC may exceed the first minute's. The API makes about ten
 * spans per request (counted in the warm-up; the test checks that the margin stays below one minute
 * of them at 1 kB each) and gets some 1,000 requests a minute: a buffer that kept what it cannot
 * export would grow by about 10 MB a minute or more. With the bounded queues, the heap of the second
 * minute stayed within 1.6 MB of the first's in two runs (loaded shared machine, issue #6 report).
 */
const HEAP_MARGIN_BYTES = 4 * 1024 * 1024;
/**
 * RSS moves with the allocator, JIT code and the worker threads (the log transport's bounded queue
 * included): a coarse guard against gross growth outside the JS heap. It rose by up to 14 MB from
 * one minute to the next in the same runs, then stayed there.
 */
const RSS_MARGIN_BYTES = 32 * 1024 * 1024;

const namespace = uniqueName('api-outage');
let receiver: OtlpReceiver;
let database: TestDatabase;
let sim: DiscordSim;
let api: ApiProcess;
let probe: HeapProbe;

function login(userId: string): Promise<string> {
  return signInThroughSim({ apiUrl: api.baseUrl, userId });
}

/** Steady traffic until stopped: the requests that did not get their expected answer. */
function startTraffic(cookie: string) {
  const failures: string[] = [];
  const state = { running: true };
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const one = async (index: number): Promise<void> => {
    const create = index % 10 === 0;
    try {
      const response = create
        ? await fetch(`${api.baseUrl}/api/v1/games`, {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json' },
            body: JSON.stringify({
              guildId: GUILD_ID,
              channelId: ANNOUNCEMENTS_CHANNEL,
              title: `Outage game ${String(index)}`,
              startsAt: new Date(Date.now() + 86_400_000).toISOString(),
              durationMinutes: 60,
            }),
          })
        : await fetch(`${api.baseUrl}/api/v1/games?guildId=${GUILD_ID}&limit=5`, {
            headers: { cookie },
          });
      await response.arrayBuffer();
      if (response.status !== (create ? 201 : 200)) failures.push(String(response.status));
    } catch (error) {
      failures.push(String(error));
    }
  };
  const loop = (async () => {
    while (state.running) {
      const request = one(sent);
      sent += 1;
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      await sleep(REQUEST_EVERY_MS);
    }
    await Promise.all(inFlight);
  })();
  return {
    failures,
    sent: () => sent,
    async stop() {
      state.running = false;
      await loop;
    },
  };
}

interface Sample {
  readonly atMs: number;
  readonly heapBytes: number;
  readonly rssBytes: number;
}

/** Lines of the service's output (from `from` on) that contain `text`. */
function countLines(text: string, from = 0): number {
  return api
    .output()
    .slice(from)
    .split('\n')
    .filter((line) => line.includes(text)).length;
}

const max = (values: readonly number[]) => Math.max(...values);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

beforeAll(async () => {
  const services = getServices();
  receiver = await startOtlpReceiver();
  database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'api_outage' });
  sim = await createDiscordSim({ scenario: demoScenario, rateLimits: { enabled: false } });
  const port = await freePort();
  api = await startApiProcess(port, {
    ...localApiEnv({ port, databaseUrl: database.url, services, sim, namespace }),
    NODE_OPTIONS: INSPECT_OPTION,
    API_SESSION_TTL_SECONDS: '900',
    API_GUILD_CACHE_TTL_SECONDS: '60',
    API_RATE_LIMIT_MAX: '1000000',
    API_RATE_LIMIT_IP_MAX: '1000000',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BLRP_SCHEDULE_DELAY: '200',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
  });
  probe = await connectHeapProbe(api.output());
}, 60_000);

afterAll(async () => {
  probe.close();
  await api.stop();
  await sim.close();
  await receiver.close();
  const admin = await amqp.connect(getServices().rabbitmqUrl);
  const channel = await admin.createChannel();
  await channel.deleteExchange(`${namespace}.events`).catch(() => undefined);
  await admin.close();
  await database.drop();
});

describe('the API while its OTLP collector is down for two minutes', () => {
  it('keeps answering with bounded memory, says once per signal that the collector is unreachable, and exports again when it is back', async () => {
    const cookie = await login(HANA);
    // The collector is up at first: the traffic's spans arrive, and say how many spans a request
    // makes (for the margin's check below).
    const warmUp = startTraffic(cookie);
    while (warmUp.sent() < WARM_UP_REQUESTS) await sleep(REQUEST_EVERY_MS);
    await warmUp.stop();
    expect(warmUp.failures).toEqual([]);
    await receiver.waitForSpans(
      { kind: 'SERVER', attributes: { 'http.route': '/api/v1/games' } },
      { count: warmUp.sent() },
    );
    await sleep(1_000);
    const spansPerRequest = receiver.spans({ serviceName: 'api' }).length / warmUp.sent();

    // A slow export during the warm-up (a loaded machine) may have been reported already: the
    // outage's reports are counted from here.
    const outageOutput = api.output().length;
    await receiver.stop();
    const traffic = startTraffic(cookie);
    const started = Date.now();
    const samples: Sample[] = [];
    while (Date.now() - started < OUTAGE_MS) {
      await sleep(SAMPLE_EVERY_MS);
      samples.push({
        atMs: Date.now() - started,
        heapBytes: await probe.heapUsedAfterGc(),
        rssBytes: await processRssBytes(api.child.pid ?? 0),
      });
    }
    await traffic.stop();
    const outageEnded = Date.now();

    // The service kept answering every request, and there was steady traffic to answer.
    expect(traffic.failures).toEqual([]);
    expect(traffic.sent()).toBeGreaterThan(OUTAGE_MS / REQUEST_EVERY_MS / 2);

    const firstMinute = samples.filter((s) => s.atMs >= SETTLED_MS && s.atMs <= 60 * SECOND);
    const secondMinute = samples.filter((s) => s.atMs > 60 * SECOND);
    const figures = samples
      .map(
        (s) =>
          `${String(Math.round(s.atMs / SECOND))}s heap ${mb(s.heapBytes)} rss ${mb(s.rssBytes)}`,
      )
      .join('; ');
    console.info(
      `collector outage, ${String(traffic.sent())} requests, ${spansPerRequest.toFixed(1)} spans each: ${figures}`,
    );
    // The margin is well below what one minute of unexported spans would hold if they were kept:
    // at a (low) 1 kB per span, a leak would take the second minute past it.
    const requestsPerMinute = traffic.sent() / (OUTAGE_MS / 60_000);
    expect(HEAP_MARGIN_BYTES).toBeLessThan(requestsPerMinute * spansPerRequest * 1024);
    expect(firstMinute.length, figures).toBeGreaterThanOrEqual(3);
    expect(secondMinute.length, figures).toBeGreaterThanOrEqual(3);
    expect(max(secondMinute.map((s) => s.heapBytes)), figures).toBeLessThanOrEqual(
      max(firstMinute.map((s) => s.heapBytes)) + HEAP_MARGIN_BYTES,
    );
    expect(max(secondMinute.map((s) => s.rssBytes)), figures).toBeLessThanOrEqual(
      max(firstMinute.map((s) => s.rssBytes)) + RSS_MARGIN_BYTES,
    );

    // Said once per signal for the whole outage, not once per export.
    for (const signal of ['traces', 'metrics', 'logs']) {
      expect(countLines(`OpenTelemetry ${signal} export failing`, outageOutput), signal).toBe(1);
      expect(countLines(`OpenTelemetry ${signal} export recovered`, outageOutput), signal).toBe(0);
    }

    // The collector comes back: spans of new requests arrive, and the recovery is said.
    await receiver.start();
    const after = startTraffic(cookie);
    const fresh = await receiver.waitForSpan(
      (span) =>
        span.kind === 'SERVER' &&
        span.attributes['http.route'] === '/api/v1/games' &&
        Number(span.startTimeUnixNano / 1_000_000n) > outageEnded,
      { timeoutMs: 30_000 },
    );
    await after.stop();
    expect(fresh.serviceName).toBe('api');
    expect(after.failures).toEqual([]);
    await receiver.waitForLogs({ body: /OpenTelemetry traces export recovered/ });
    expect(countLines('OpenTelemetry traces export failing', outageOutput)).toBe(1);
  }, 240_000);
});
