// Benchmark (issue #6, 4 and 5): the telemetry budget of the whole stack at its default
// configuration, and each service's start-up time and memory.
//
// The four services (API, bot, notification daemon, status-transition daemon) run as processes from
// src/main.ts with the real telemetry preload and the compose file's default OTEL_* settings (1 s
// span and log batches, metrics every 60 s), exporting to an OTLP receiver that decodes what they
// send, against PostgreSQL, Redis, RabbitMQ and the local Discord. Phases, one at a time, with the
// receiver read and emptied between them:
//   idle          nothing happens: the background rate (subtracted from the phases below);
//   API requests  BENCH_REQUESTS requests, 6 list : 3 get : 1 create (each create runs the whole
//                 fan-out: outbox, bot announcement, reminder and status schedules);
//   interactions  BENCH_INTERACTIONS Join/Leave button clicks through the local Discord;
//   lifecycles    BENCH_LIFECYCLES games: created through the API, 3 players join by button, the
//                 reminder DM at the start, IN_PROGRESS, COMPLETED one minute later.
// Spans, log records and bytes are attributed per unit; metrics are periodic, so per export and per
// hour. Series: the services' OTLP metrics as Mimir would store them, plus config.alloy's
// PostgreSQL/Redis/RabbitMQ scrapes through its own keep/drop rules (real exporters). The monthly
// projection for BENCH_GAMES_PER_MONTH games uses a stated number of requests and interactions per
// game. Budget: under 2,500 active series; inside the free tier (10k series, 50 GB logs, 50 GB traces).
//
//   npm run bench -w @game-scheduler/e2e
//   BENCH_REQUESTS=60 BENCH_INTERACTIONS=20 BENCH_LIFECYCLES=2 BENCH_IDLE_SECONDS=3 \
//     BENCH_LIFECYCLE_LEAD_SECONDS=15 BENCH_REPORT_PATH=/tmp/stack-budget.md \
//     npm run bench -w @game-scheduler/e2e                  # a ~2 min check, not in docs/
//
// Needs TEST_DATABASE_URL, TEST_REDIS_URL and TEST_RABBITMQ_URL like the tests (or Docker), and the
// apt packages prometheus-postgres-exporter and prometheus-redis-exporter.
import {
  REPORT_PATH,
  machineLine,
  median,
  processRssBytes,
  table,
  writeReportSection,
} from '@game-scheduler/bench';
import { createPrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { createDiscordSim, demoScenario } from '@game-scheduler/discord-sim';
import { deleteTopology } from '@game-scheduler/messaging';
import {
  startOtlpReceiver,
  type CapturedSpan,
  type OtlpReceiver,
} from '@game-scheduler/telemetry/testing';
import {
  appDirectory,
  eventually,
  freePort,
  resolveServices,
  startService,
  uniqueName,
  type ServiceProcess,
} from '@game-scheduler/testing';
import amqp from 'amqplib';
import {
  ANNOUNCEMENTS_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  RIO,
  apiClient,
} from '../test/support/stack.ts';
import {
  deploymentShaped,
  distinctSeries,
  loadStackAlloyConfig,
  scrapeInfrastructure,
  startExporters,
} from './infrastructure-series.ts';
import { createSeriesCounter, metricPointsOfPayload, serviceOfPayload } from './otlp-series.ts';
import { signInThroughSim } from '@game-scheduler/discord-sim/sign-in';

const knob = (name: string, fallback: number): number => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
};
const REQUESTS = knob('BENCH_REQUESTS', 1_000);
const INTERACTIONS = knob('BENCH_INTERACTIONS', 300);
const LIFECYCLES = knob('BENCH_LIFECYCLES', 10);
const IDLE_SECONDS = knob('BENCH_IDLE_SECONDS', 60);
const LIFECYCLE_LEAD_SECONDS = knob('BENCH_LIFECYCLE_LEAD_SECONDS', 45);
const GAMES_PER_MONTH = knob('BENCH_GAMES_PER_MONTH', 1_000);
/** Assumed per game besides its own lifecycle: people opening the dashboard, and extra clicks. */
const REQUESTS_PER_GAME = knob('BENCH_REQUESTS_PER_GAME', 50);
const INTERACTIONS_PER_GAME = knob('BENCH_INTERACTIONS_PER_GAME', 5);
const CONCURRENCY = 4;
const SERIES_BUDGET = 2_500;
const FREE_TIER = { series: 10_000, logsGb: 50, tracesGb: 50 };
/** The compose file's default (OTEL_METRIC_EXPORT_INTERVAL unset). */
const METRIC_INTERVAL_MS = 60_000;
/** Alloy's own pipeline-health series (up, build info, receiver/exporter counters per signal,
 * remote-write samples): the scrape needs Alloy, which does not run here. */
const ALLOY_SELF_SERIES_ESTIMATE = 20;
const HOURS_PER_MONTH = 730;
const GB = 1e9;
/** Where the section goes: docs/benchmarks.md unless a check run writes elsewhere. */
const REPORT = process.env['BENCH_REPORT_PATH'] ?? REPORT_PATH;

type ServiceName = 'api' | 'bot' | 'notification-daemon' | 'status-transition-daemon';
const STARTED: Record<ServiceName, string> = {
  api: 'API started',
  bot: 'Bot started',
  'notification-daemon': 'Notification daemon started',
  'status-transition-daemon': 'Status-transition daemon started',
};

const fmt = (value: number, digits = 1): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
const kb = (bytes: number): string => `${fmt(bytes / 1024)} kB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the services exported during one phase. */
interface Harvest {
  readonly seconds: number;
  readonly spans: Record<string, number>;
  readonly logs: Record<string, number>;
  readonly traceBytes: number;
  readonly logBytes: number;
  /** Traces by the name of their root span ("service: name"): how many, and their spans. */
  readonly traces: Record<string, { traces: number; spans: number }>;
  /** The most frequent span names ("service: name"), most first. */
  readonly topSpans: [string, number][];
}

/** Groups spans by trace and names each trace after its root span. */
function tracesByRoot(
  spans: readonly CapturedSpan[],
): Record<string, { traces: number; spans: number }> {
  const byTrace = new Map<string, { root: string; spans: number }>();
  for (const span of spans) {
    const entry = byTrace.get(span.traceId) ?? { root: '(root not seen)', spans: 0 };
    entry.spans += 1;
    if (span.parentSpanId === undefined) entry.root = `${span.serviceName ?? '?'}: ${span.name}`;
    byTrace.set(span.traceId, entry);
  }
  const result: Record<string, { traces: number; spans: number }> = {};
  for (const { root, spans: count } of byTrace.values()) {
    const entry = (result[root] ??= { traces: 0, spans: 0 });
    entry.traces += 1;
    entry.spans += count;
  }
  return result;
}

/** "POST /api/v1/games 9 × 120.3 spans": the phase's kinds of trace, heaviest first. */
function describeTraces(phase: Harvest, limit = 5): string {
  return Object.entries(phase.traces)
    .sort(([, a], [, b]) => b.spans - a.spans)
    .slice(0, limit)
    .map(
      ([root, { traces, spans }]) =>
        `${root} ${String(traces)} × ${(spans / traces).toFixed(1)} spans`,
    )
    .join('; ');
}

interface MetricExport {
  readonly service: string;
  readonly points: number;
  readonly bytes: number;
}

const sum = (values: Record<string, number>): number =>
  Object.values(values).reduce((a, b) => a + b, 0);

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** Reads and empties the receiver; metric records go to the series counter and export list. */
function createHarvester(receiver: OtlpReceiver) {
  const series = createSeriesCounter();
  const metricExports: MetricExport[] = [];
  let since = performance.now();
  return {
    series,
    metricExports,
    harvest(): Harvest {
      const seconds = (performance.now() - since) / 1000;
      const payloads = receiver.payloads();
      const bytes = (signal: string) =>
        payloads
          .filter((payload) => payload.signal === signal)
          .reduce((total, payload) => total + payload.body.length, 0);
      series.add(receiver.metrics());
      for (const payload of payloads.filter((p) => p.signal === 'metrics')) {
        metricExports.push({
          service: serviceOfPayload(payload),
          points: metricPointsOfPayload(payload),
          bytes: payload.body.length,
        });
      }
      const result: Harvest = {
        seconds,
        spans: countBy(receiver.spans(), (span) => span.serviceName ?? '?'),
        logs: countBy(receiver.logs(), (log) => log.serviceName ?? '?'),
        traceBytes: bytes('traces'),
        logBytes: bytes('logs'),
        traces: tracesByRoot(receiver.spans()),
        topSpans: Object.entries(
          countBy(receiver.spans(), (span) => `${span.serviceName ?? '?'}: ${span.name}`),
        )
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8),
      };
      receiver.reset();
      since = performance.now();
      return result;
    },
  };
}

/** Waits until nothing new has arrived for a few batch delays (spans and logs go every second). */
async function quiet(receiver: OtlpReceiver, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const now = receiver.requests().length;
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 3_000 || Date.now() > deadline) {
      return;
    }
    await sleep(250);
  }
}

/** Runs `task(i)` for i < count, `concurrency` at a time. */
async function pool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        await task(i);
      }
    }),
  );
}

interface Started {
  readonly name: ServiceName;
  readonly service: ServiceProcess;
  readonly readyMs: number;
}

async function main(): Promise<void> {
  const { services, stop: stopServices } = await resolveServices();
  const database = await createMigratedTestDatabase(services.databaseUrl, {
    prefix: 'stack_bench',
  });
  const databaseName = new URL(database.url).pathname.slice(1);
  const prisma = createPrismaClient(database.url, { poolSize: 4, applicationName: 'stack-bench' });
  const sim = await createDiscordSim({
    scenario: demoScenario,
    rateLimits: { enabled: false },
    callLogLimit: 1_000_000,
  });
  const receiver = await startOtlpReceiver();
  const namespace = uniqueName('stack-bench');
  const config = loadStackAlloyConfig();
  const exporters = await startExporters(config, services, databaseName);
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${String(port)}`;
  // The compose file's telemetry defaults: only the endpoint and the service names differ.
  const common = {
    DATABASE_URL: database.url,
    RABBITMQ_URL: services.rabbitmqUrl,
    RABBITMQ_NAMESPACE: namespace,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=development',
    LOG_LEVEL: 'info',
  };
  const discord = {
    DISCORD_BOT_TOKEN: sim.application.botToken,
    DISCORD_API_URL: sim.apiUrl,
  };
  const envs: Record<ServiceName, Record<string, string>> = {
    api: {
      ...common,
      ...discord,
      REDIS_URL: services.redisUrl,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      API_PUBLIC_URL: apiUrl,
      API_ENVIRONMENT: 'test',
      API_SESSION_TTL_SECONDS: '900',
      API_REDIS_KEY_PREFIX: `${namespace}:`,
      // The budget is about telemetry: the load must not be refused by the API's rate limits.
      API_RATE_LIMIT_MAX: '100000000',
      API_RATE_LIMIT_IP_MAX: '100000000',
      DISCORD_OAUTH_AUTHORIZE_URL: `${sim.url}/oauth2/authorize`,
      DISCORD_CLIENT_ID: sim.application.clientId,
      DISCORD_CLIENT_SECRET: sim.application.clientSecret,
    },
    'notification-daemon': { ...common, ...discord },
    'status-transition-daemon': common,
    bot: { ...common, ...discord, DISCORD_CLIENT_ID: sim.application.id },
  };

  const started: Started[] = [];
  const harvester = createHarvester(receiver);
  try {
    // One at a time, so each start-up has the machine to itself: spawn until the "started" line
    // (the API logs it once it listens; the daemons and the bot once their queues are bound).
    for (const name of Object.keys(STARTED) as ServiceName[]) {
      const begin = performance.now();
      const service = await startService({
        cwd: appDirectory(name),
        env: { OTEL_SERVICE_NAME: name, ...envs[name] },
        startedMessage: STARTED[name],
        timeoutMs: 60_000,
      });
      started.push({ name, service, readyMs: performance.now() - begin });
      console.log(`${name} ready in ${fmt(performance.now() - begin, 0)} ms`);
    }
    const ready = await fetch(`${apiUrl}/ready`);
    if (ready.status !== 200) throw new Error(`API /ready answered ${String(ready.status)}`);

    const machineAtStart = machineLine();
    console.log(machineAtStart);
    const login = (userId: string): Promise<string> => signInThroughSim({ apiUrl, userId });
    const cookies = [await login(HANA), await login(PAT), await login(RIO)];
    const hostCookie = cookies[0] ?? '';
    const api = (
      cookie: string,
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      path: string,
      body?: unknown,
    ) => apiClient(apiUrl, cookie)(method, path, body);
    const players = [
      PAT,
      RIO,
      ...Array.from({ length: 18 }, (_, i) =>
        sim.addMember(GUILD_ID, { user: { username: `bench_player_${String(i + 1)}` } }),
      ),
    ];
    await quiet(receiver);
    harvester.harvest(); // start-up and log-ins: not part of any phase

    // Phase 0: idle.
    await sleep(IDLE_SECONDS * 1000);
    await quiet(receiver);
    const idle = harvester.harvest();
    console.log(
      `idle ${fmt(idle.seconds)} s: ${String(sum(idle.spans))} spans, ${String(sum(idle.logs))} logs`,
    );

    // Phase 1: API requests.
    const gameIds: string[] = [];
    const statuses: Record<string, number> = {};
    let created = 0;
    await pool(REQUESTS, CONCURRENCY, async (i) => {
      const cookie = cookies[i % cookies.length] ?? '';
      const kind = i % 10;
      let response;
      if (kind === 0 || gameIds.length === 0) {
        created += 1;
        response = await api(hostCookie, 'POST', '/games', {
          guildId: GUILD_ID,
          channelId: ANNOUNCEMENTS_CHANNEL,
          title: `Budget night ${String(created)}`,
          startsAt: new Date(Date.now() + (7 * 24 * 60 + i) * 60_000).toISOString(),
          durationMinutes: 120,
          maxPlayers: 6,
        });
        const id = (response.body as { id?: string } | null)?.id;
        if (response.status === 201 && id !== undefined) gameIds.push(id);
      } else if (kind <= 6) {
        response = await api(cookie, 'GET', `/games?guildId=${GUILD_ID}&limit=20`);
      } else {
        response = await api(cookie, 'GET', `/games/${gameIds[i % gameIds.length] ?? ''}`);
      }
      statuses[String(response.status)] = (statuses[String(response.status)] ?? 0) + 1;
    });
    // Each create's fan-out (announcement, schedules) belongs to the API phase.
    await eventually(
      async () =>
        (await prisma.game.count({ where: { id: { in: gameIds }, messageId: { not: null } } })) ===
        gameIds.length
          ? true
          : undefined,
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    await quiet(receiver);
    const requests = harvester.harvest();
    console.log(
      `API: ${String(REQUESTS)} requests (${JSON.stringify(statuses)}), ${String(gameIds.length)} games created; ${String(sum(requests.spans))} spans, ${String(sum(requests.logs))} logs`,
    );

    // Phase 2: interactions (Join/Leave on the games the API phase announced).
    const announced = await prisma.game.findMany({
      where: { id: { in: gameIds } },
      select: { id: true, messageId: true },
    });
    // The first half of the clicks are Joins (player p on game p mod games), the second half the
    // same players' Leaves in the same order: each Leave comes long after its Join.
    const joins = Math.ceil(INTERACTIONS / 2);
    const answers: Record<string, number> = {};
    await pool(INTERACTIONS, CONCURRENCY, async (i) => {
      const pair = i < joins ? i : i - joins;
      const action = i < joins ? 'join' : 'leave';
      const game = announced[pair % announced.length];
      const userId = players[Math.floor(pair / Math.max(1, announced.length)) % players.length];
      if (game?.messageId == null || userId === undefined) return;
      const handle = sim.clickButton({
        userId,
        messageId: game.messageId,
        customId: `game:${action}:${game.id}`,
      });
      const content = await eventually(
        () => {
          const text = sim.originalResponse(handle.id)?.['content'];
          return typeof text === 'string' && text !== '' ? text : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 50 },
      );
      const kind = /^You're in|is full/.test(content)
        ? 'joined'
        : /^You left/.test(content)
          ? 'left'
          : 'other';
      answers[kind] = (answers[kind] ?? 0) + 1;
    });
    await quiet(receiver);
    const interactions = harvester.harvest();
    console.log(
      `interactions: ${String(INTERACTIONS)} (${JSON.stringify(answers)}); ${String(sum(interactions.spans))} spans, ${String(sum(interactions.logs))} logs`,
    );

    // Phase 3: full lifecycles.
    const lifecyclePlayers = [PAT, RIO, players[2] ?? PAT];
    const startsAt = Date.now() + LIFECYCLE_LEAD_SECONDS * 1000;
    const lifecycleGames: { id: string; title: string }[] = [];
    await pool(LIFECYCLES, CONCURRENCY, async (i) => {
      const title = `Budget lifecycle ${String(i + 1)}`;
      const response = await api(hostCookie, 'POST', '/games', {
        guildId: GUILD_ID,
        channelId: ANNOUNCEMENTS_CHANNEL,
        title,
        startsAt: new Date(startsAt).toISOString(),
        durationMinutes: 1,
        maxPlayers: 4,
        reminderMinutes: [0],
      });
      const id = (response.body as { id?: string } | null)?.id;
      if (response.status !== 201 || id === undefined)
        throw new Error(`lifecycle create: ${JSON.stringify(response)}`);
      lifecycleGames.push({ id, title });
      const messageId = await eventually(
        async () =>
          (await prisma.game.findUnique({ where: { id }, select: { messageId: true } }))
            ?.messageId ?? undefined,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      for (const userId of lifecyclePlayers) {
        const handle = sim.clickButton({ userId, messageId, customId: `game:join:${id}` });
        await eventually(() => (sim.originalResponse(handle.id)?.['content'] ? true : undefined), {
          timeoutMs: 30_000,
          intervalMs: 50,
        });
      }
    });
    if (Date.now() > startsAt)
      console.log('warning: the lifecycles were set up after their start time; raise the lead');
    await eventually(
      async () => {
        const done = await prisma.game.count({
          where: { id: { in: lifecycleGames.map((g) => g.id) }, status: 'COMPLETED' },
        });
        const reminded = lifecycleGames.every(({ title }) =>
          lifecyclePlayers.every((userId) =>
            sim.dms(userId).some((dm) => String(dm['content']).includes(`**${title}**`)),
          ),
        );
        return done === lifecycleGames.length && reminded ? true : undefined;
      },
      { timeoutMs: (LIFECYCLE_LEAD_SECONDS + 240) * 1000, intervalMs: 500 },
    );
    await quiet(receiver);
    const lifecycles = harvester.harvest();
    console.log(
      `lifecycles: ${String(LIFECYCLES)}; ${String(sum(lifecycles.spans))} spans, ${String(sum(lifecycles.logs))} logs`,
    );

    const phases: [string, Harvest][] = [
      ['API requests', requests],
      ['interactions', interactions],
      ['lifecycles', lifecycles],
    ];
    for (const [name, phase] of phases) {
      console.log(`\n${name}: traces by root: ${describeTraces(phase, 8)}`);
      console.log(
        `${name}: top spans: ${phase.topSpans.map(([span, n]) => `${span} ${String(n)}`).join(', ')}`,
      );
    }

    // Scrapes, while the services hold their connections and queues.
    const infrastructure = await scrapeInfrastructure(config, exporters);
    // Memory after the run, then a clean shutdown (which flushes the last metric export).
    const rss: Record<string, number> = {};
    for (const { name, service } of started)
      rss[name] = await processRssBytes(service.child.pid ?? 0);
    const codes = await Promise.all(started.map(({ service }) => service.stop()));
    await quiet(receiver, 15_000);
    harvester.harvest();
    started.forEach(({ name }, index) => {
      if (codes[index] !== 0) console.log(`warning: ${name} exited with ${String(codes[index])}`);
    });

    // --- Per unit, net of the idle background.
    interface PerUnit {
      spans: number;
      logs: number;
      traceBytes: number;
      logBytes: number;
    }
    const net = (phase: Harvest, units: number): PerUnit => {
      const rate = (value: number) => (value / Math.max(idle.seconds, 1e-9)) * phase.seconds;
      const per = (value: number, idleValue: number) =>
        Math.max(0, value - rate(idleValue)) / Math.max(units, 1);
      return {
        spans: per(sum(phase.spans), sum(idle.spans)),
        logs: per(sum(phase.logs), sum(idle.logs)),
        traceBytes: per(phase.traceBytes, idle.traceBytes),
        logBytes: per(phase.logBytes, idle.logBytes),
      };
    };
    const units = {
      request: net(requests, REQUESTS),
      interaction: net(interactions, INTERACTIONS),
      lifecycle: net(lifecycles, LIFECYCLES),
    };
    const byService = (phase: Harvest, unitsCount: number): string =>
      Object.entries(phase.spans)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([service, spans]) => `${service} ${fmt(spans / Math.max(unitsCount, 1))}`)
        .join(', ');
    const perHour = (value: number) => (value / Math.max(idle.seconds, 1e-9)) * 3600;
    const background = {
      spans: perHour(sum(idle.spans)),
      logs: perHour(sum(idle.logs)),
      traceBytes: perHour(idle.traceBytes),
      logBytes: perHour(idle.logBytes),
    };

    // --- Metrics: per export and per hour, per service.
    const metricRows = (Object.keys(STARTED) as ServiceName[]).map((service) => {
      const exportsOf = harvester.metricExports.filter((e) => e.service === service);
      // The largest export: every series the service has created so far (cumulative temporality).
      const points = Math.max(0, ...exportsOf.map((e) => e.points));
      const bytes = Math.max(0, ...exportsOf.map((e) => e.bytes));
      const perHourExports = 3_600_000 / METRIC_INTERVAL_MS;
      return {
        service,
        exports: exportsOf.length,
        points,
        bytes,
        medianBytes: median(exportsOf.map((e) => e.bytes)),
        pointsPerHour: points * perHourExports,
        bytesPerHour: bytes * perHourExports,
      };
    });
    const metricBytesPerHour = metricRows.reduce((total, row) => total + row.bytesPerHour, 0);

    // --- Series.
    const otlpSeries = harvester.series.total();
    const otlpByService = harvester.series.byService();
    const scrapeRows = infrastructure.jobs.map((job) => ({
      scrape: job.scrape,
      raw: job.raw,
      kept: distinctSeries(job.kept),
      deployment: distinctSeries(deploymentShaped(job.kept, databaseName, namespace)),
    }));
    const scrapeKept = scrapeRows.reduce((total, row) => total + row.kept, 0);
    const scrapeDeployment = scrapeRows.reduce((total, row) => total + row.deployment, 0);
    const alloySelf = infrastructure.skipped.length > 0 ? ALLOY_SELF_SERIES_ESTIMATE : 0;
    const totalSeries = otlpSeries + scrapeDeployment + alloySelf;
    const seriesVerdict = totalSeries < SERIES_BUDGET ? 'PASS' : 'FAIL';

    // --- Monthly projection.
    type Volume = keyof typeof background;
    /** A game: its lifecycle plus the requests and clicks assumed around it. */
    const perGame = (key: Volume): number =>
      units.lifecycle[key] +
      REQUESTS_PER_GAME * units.request[key] +
      INTERACTIONS_PER_GAME * units.interaction[key];
    const perMonth = (key: Volume): number =>
      GAMES_PER_MONTH * perGame(key) + background[key] * HOURS_PER_MONTH;
    const month = {
      spans: perMonth('spans'),
      tracesGb: perMonth('traceBytes') / GB,
      logs: perMonth('logs'),
      logsGb: perMonth('logBytes') / GB,
      metricsGb: (metricBytesPerHour * HOURS_PER_MONTH) / GB,
    };
    const within = (value: number, limit: number) =>
      `${value < limit ? '✓' : '✗'} ${fmt((100 * value) / limit, 2)} % of ${String(limit)}`;

    console.log(
      `\nseries: OTLP ${String(otlpSeries)} + scrapes ${String(scrapeDeployment)} (${String(scrapeKept)} on this shared machine) + Alloy self ≈${String(alloySelf)} = ${String(totalSeries)} → ${seriesVerdict} (budget ${String(SERIES_BUDGET)})`,
    );
    console.log(
      `per month (${String(GAMES_PER_MONTH)} games): traces ${fmt(month.tracesGb, 3)} GB, logs ${fmt(month.logsGb, 3)} GB, metrics (OTLP) ${fmt(month.metricsGb, 3)} GB`,
    );

    const unitRow = (name: string, unit: PerUnit, phase: Harvest, count: number) => [
      name,
      String(count),
      fmt(unit.spans),
      byService(phase, count),
      fmt(unit.logs),
      kb(unit.traceBytes),
      kb(unit.logBytes),
    ];
    const path = await writeReportSection(
      'stack-budget',
      [
        '## Telemetry budget, start-up and memory of the whole stack',
        '',
        '`npm run bench -w @game-scheduler/e2e`: the API, the bot, the notification daemon and the status-transition daemon as processes from `src/main.ts` with the real telemetry preload and the compose defaults (spans and logs batched every 1 s, metrics every 60 s, `LOG_LEVEL=info`), exporting to an OTLP receiver that decodes what they send; real PostgreSQL, Redis, RabbitMQ and the local Discord. Phases run one after the other and the receiver is emptied between them; per-unit figures are net of the idle background. Bytes are the uncompressed OTLP protobuf bodies (what the services hand the collector).',
        '',
        `Start: ${machineAtStart}. End: ${machineLine()}.`,
        '',
        '### Per unit',
        '',
        table(
          ['unit', 'units', 'spans', 'spans by service', 'log records', 'trace bytes', 'log bytes'],
          [
            unitRow('API request (6 list : 3 get : 1 create)', units.request, requests, REQUESTS),
            unitRow(
              'interaction (Join/Leave click)',
              units.interaction,
              interactions,
              INTERACTIONS,
            ),
            unitRow(
              'game lifecycle (create, 3 joins, reminder DM, IN_PROGRESS, COMPLETED)',
              units.lifecycle,
              lifecycles,
              LIFECYCLES,
            ),
          ],
        ),
        '',
        'Where the spans come from (traces by their root span, heaviest first): ' +
          phases.map(([name, phase]) => `${name}: ${describeTraces(phase)}.`).join(' '),
        '',
        `Idle background (${fmt(idle.seconds, 0)} s measured): ${fmt(background.spans, 0)} spans, ${fmt(background.logs, 0)} log records, ${kb(background.traceBytes + background.logBytes)} per hour.`,
        '',
        '### Metrics (periodic, per service)',
        '',
        table(
          [
            'service',
            'exports seen',
            'OTLP series',
            'data points / export',
            'bytes / export (largest, median)',
            'points / hour',
          ],
          metricRows.map((row) => [
            row.service,
            String(row.exports),
            String(otlpByService[row.service] ?? 0),
            String(row.points),
            `${kb(row.bytes)}, ${kb(row.medianBytes)}`,
            fmt(row.pointsPerHour, 0),
          ]),
        ),
        '',
        `Largest OTLP metrics by series: ${harvester.series
          .largest(6)
          .map(([name, count]) => `${name} ${String(count)}`)
          .join(', ')}.`,
        '',
        '### Active series',
        '',
        table(
          ['source', 'scraped', 'kept by config.alloy', 'in a deployment'],
          [
            ['services over OTLP (incl. target_info)', '', '', String(otlpSeries)],
            ...scrapeRows.map((row) => [
              row.scrape,
              String(row.raw),
              String(row.kept),
              String(row.deployment),
            ]),
            ...infrastructure.skipped.map((scrape) => [
              scrape,
              'needs Alloy',
              '',
              `≈${String(ALLOY_SELF_SERIES_ESTIMATE)} (estimate)`,
            ]),
            ['**total**', '', '', `**${String(totalSeries)}**`],
          ],
        ),
        '',
        `**${seriesVerdict}**: ${String(totalSeries)} active series against the budget of ${String(SERIES_BUDGET)} (free tier ${String(FREE_TIER.series)}). "In a deployment" keeps PostgreSQL's per-database series for \`postgres\` and the services' database only, and RabbitMQ's per-queue series for the services' namespace only: this machine's servers also hold other tests' databases and queues. The keep/drop rules are read from \`grafana-alloy/config.alloy\`. Each process exports its own \`service.instance.id\`, so a redeploy briefly doubles the services' series.`,
        '',
        `### A month of ${GAMES_PER_MONTH.toLocaleString('en-US')} games`,
        '',
        `Assumed per game: its lifecycle as measured, plus ${String(REQUESTS_PER_GAME)} API requests (the dashboard: lists and game pages) and ${String(INTERACTIONS_PER_GAME)} more button clicks (changes of mind); ${String(GAMES_PER_MONTH)} games a month, and the idle background for ${String(HOURS_PER_MONTH)} hours. Per game: ${fmt(perGame('spans'), 0)} spans (${kb(perGame('traceBytes'))}), ${fmt(perGame('logs'), 0)} log records (${kb(perGame('logBytes'))}).`,
        '',
        table(
          ['signal', 'per month', 'free tier'],
          [
            [
              'traces',
              `${fmt(month.spans / 1e6, 2)} M spans, ${fmt(month.tracesGb, 3)} GB`,
              within(month.tracesGb, FREE_TIER.tracesGb) + ' GB',
            ],
            [
              'logs',
              `${fmt(month.logs / 1e6, 2)} M records, ${fmt(month.logsGb, 3)} GB`,
              within(month.logsGb, FREE_TIER.logsGb) + ' GB',
            ],
            [
              'metrics',
              `${String(totalSeries)} active series at 1 sample/min (OTLP ${fmt(month.metricsGb, 3)} GB sent)`,
              within(totalSeries, FREE_TIER.series) + ' series',
            ],
          ],
        ),
        '',
        '### Start-up and memory',
        '',
        table(
          ['service', 'spawn → "started" log line', 'RSS after the run'],
          started.map(({ name, readyMs }) => [
            name,
            `${fmt(readyMs, 0)} ms`,
            `${fmt((rss[name] ?? 0) / 2 ** 20, 0)} MB`,
          ]),
        ),
        '',
        'Services started one at a time (each from its TypeScript sources with the preload, as `npm run dev` does); the API logs "API started" once it listens (`/ready` answered 200 right after), the daemons and the bot once their queues are bound.',
      ].join('\n'),
      REPORT,
    );
    console.log(`\nwritten to ${path}`);
  } finally {
    await Promise.all(started.map(({ service }) => service.stop()));
    await exporters.stop();
    await receiver.close();
    await sim.close();
    await prisma.$disconnect();
    try {
      const admin = await amqp.connect(services.rabbitmqUrl);
      const channel = await admin.createChannel();
      await deleteTopology(channel, {
        namespace,
        consumers: ['notification-daemon', 'status-transition-daemon', 'bot'].map((service) => ({
          service,
          routingKeys: [],
        })),
      }).catch(() => undefined);
      await admin.close().catch(() => undefined);
    } finally {
      await database.drop();
      await stopServices();
    }
  }
}

await main();
