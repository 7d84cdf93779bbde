// Benchmark (issue #6, 2): the reminder pipeline under a burst. The real daemon process (src/main.ts
// with the telemetry preload, exporting to a local OTLP sink, default settings) against PostgreSQL,
// RabbitMQ and the local Discord.
//
// Phase 1, Discord without rate limits: BENCH_REMINDERS (10,000) reminder DMs fall due within
// BENCH_WINDOW_SECONDS (60): every DM must be requested, and lateness (request time minus due time)
// p99 must stay under 1 s.
// Phase 2, Discord's limits on (50 requests/s global in the local Discord): BENCH_LIMITED_REMINDERS
// (1,000) DMs due at once: the sustained request rate should sit within 10 % of the limit, with few
// 429s (no storm: Discord bans clients that draw 10,000 invalid requests in 10 minutes).
//
//   npm run bench -w @game-scheduler/notification-daemon
//
// A smoke run: smaller knobs and BENCH_REPORT=/tmp/x.md so docs/benchmarks.md keeps its figures;
// BENCH_CPU_PROF=<dir> writes the daemon's CPU profiles (node --cpu-prof) there; BENCH_SPAN_COUNTS=1
// exports to a decoding OTLP receiver instead of the sink and prints phase 1's spans per DM by name
// (each pg.query is one SQL statement, each discord.rest one Discord call).
//
// Needs TEST_DATABASE_URL, TEST_REDIS_URL and TEST_RABBITMQ_URL like the tests (or Docker).
import { randomUUID } from 'node:crypto';
import {
  machineLine,
  percentile,
  processCpuMicros,
  processRssBytes,
  REPORT_PATH,
  describeSinkCounts,
  startOtlpSink,
  table,
  writeReportSection,
  type OtlpSink,
} from '@game-scheduler/bench';
import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { createDiscordSim, type DiscordSim, type RecordedCall } from '@game-scheduler/discord-sim';
import {
  appDirectory,
  resolveServices,
  startService,
  uniqueName,
  type ServiceProcess,
  type TestServices,
} from '@game-scheduler/testing';
import { deleteTopology } from '@game-scheduler/messaging';
import { startOtlpReceiver, type OtlpReceiver } from '@game-scheduler/telemetry/testing';
import amqp from 'amqplib';
import { ROUTING_KEYS, SERVICE } from '../src/app.ts';
import { CHANNEL_ID, GUILD_ID, HOST_ID, addPlayers, seedWorld } from '../test/support/world.ts';

const REMINDERS = Number(process.env['BENCH_REMINDERS'] ?? 10_000);
const WINDOW_SECONDS = Number(process.env['BENCH_WINDOW_SECONDS'] ?? 60);
const LIMITED_REMINDERS = Number(process.env['BENCH_LIMITED_REMINDERS'] ?? 1_000);
/** Where the figures go: docs/benchmarks.md, or BENCH_REPORT (a smoke run's scratch file). */
const REPORT_FILE = process.env['BENCH_REPORT'] ?? REPORT_PATH;
const CPU_PROFILE_DIR = process.env['BENCH_CPU_PROF'];
const SPAN_COUNTS = process.env['BENCH_SPAN_COUNTS'] === '1';
const PLAYERS_PER_GAME = 10;
const PLAYERS = 200;
/** Time for the daemon to start before the first reminder falls due. */
const LEAD_SECONDS = 15;
const MESSAGE_ROUTE = '/channels/:channelId/messages';

const fmt = (value: number, digits = 2): string => value.toFixed(digits);

interface Daemon {
  readonly service: ServiceProcess;
  readonly startupMs: number;
}

async function startDaemon(env: Record<string, string>): Promise<Daemon> {
  const started = performance.now();
  const service = await startService({
    cwd: appDirectory('notification-daemon'),
    env: {
      OTEL_SERVICE_NAME: 'notification-daemon',
      ...(CPU_PROFILE_DIR === undefined
        ? {}
        : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${CPU_PROFILE_DIR}` }),
      ...env,
    },
    startedMessage: 'Notification daemon started',
  });
  return { service, startupMs: performance.now() - started };
}

interface Seeded {
  /** Due time of each game's reminder, by the game's title (which every DM quotes). */
  readonly dueByTitle: Map<string, number>;
  readonly expectedDms: number;
}

/** Games of PLAYERS_PER_GAME players, one reminder each, due evenly over the window. */
async function seedReminders(
  prisma: PrismaClient,
  players: readonly string[],
  prefix: string,
  reminders: number,
  firstDue: number,
  windowMs: number,
): Promise<Seeded> {
  const games = Math.ceil(reminders / PLAYERS_PER_GAME);
  const dueByTitle = new Map<string, number>();
  const gameRows = [];
  const participantRows = [];
  const scheduleRows = [];
  for (let i = 0; i < games; i += 1) {
    const id = randomUUID();
    const title = `${prefix} ${String(i + 1)}`;
    const due = firstDue + Math.floor((i * windowMs) / games);
    dueByTitle.set(title, due);
    gameRows.push({
      id,
      guildId: GUILD_ID,
      channelId: CHANNEL_ID,
      hostId: HOST_ID,
      title,
      startsAt: new Date(due + 10 * 60_000),
      durationMinutes: 60,
      reminderMinutes: [10],
    });
    for (let p = 0; p < PLAYERS_PER_GAME; p += 1) {
      const userId = players[(i * PLAYERS_PER_GAME + p) % players.length];
      if (userId !== undefined) participantRows.push({ gameId: id, userId });
    }
    scheduleRows.push({ gameId: id, reminderMinutes: 10, dueAt: new Date(due) });
  }
  await prisma.game.createMany({ data: gameRows });
  await prisma.participant.createMany({ data: participantRows });
  await prisma.reminderSchedule.createMany({ data: scheduleRows });
  return { dueByTitle, expectedDms: games * PLAYERS_PER_GAME };
}

function dmCalls(sim: DiscordSim, prefix: string, afterSeq: number): RecordedCall[] {
  return sim
    .calls({ method: 'POST', route: MESSAGE_ROUTE })
    .filter(
      (call) =>
        call.seq > afterSeq &&
        call.status === 200 &&
        JSON.stringify(call.body).includes(`**${prefix} `),
    );
}

function titleOf(call: RecordedCall, prefix: string): string | undefined {
  const content = (call.body as { content?: unknown } | null)?.content;
  if (typeof content !== 'string') return undefined;
  const match = new RegExp(`\\*\\*(${prefix} \\d+)\\*\\*`).exec(content);
  return match?.[1];
}

async function waitForDms(
  sim: DiscordSim,
  prefix: string,
  afterSeq: number,
  expected: number,
  deadline: number,
): Promise<RecordedCall[]> {
  for (;;) {
    const calls = dmCalls(sim, prefix, afterSeq);
    if (calls.length >= expected || Date.now() > deadline) return calls;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  const { services, stop: stopServices } = await resolveServices();
  const database = await createMigratedTestDatabase(services.databaseUrl, {
    prefix: 'reminder_bench',
  });
  const prisma = createPrismaClient(database.url, { poolSize: 4 });
  const sim = await createDiscordSim({ rateLimits: { enabled: false }, callLogLimit: 1_000_000 });
  const sink = await startOtlpSink();
  const receiver: OtlpReceiver | undefined = SPAN_COUNTS ? await startOtlpReceiver() : undefined;
  let daemon: Daemon | undefined;
  try {
    await seedWorld(prisma, sim);
    const players = await addPlayers(prisma, sim, PLAYERS);
    const machineAtStart = machineLine();

    // Phase 1: no rate limits, REMINDERS DMs due over WINDOW_SECONDS.
    const firstDue = Date.now() + LEAD_SECONDS * 1000;
    const burst = await seedReminders(
      prisma,
      players,
      'Burst',
      REMINDERS,
      firstDue,
      WINDOW_SECONDS * 1000,
    );
    // Phase 1 is about the daemon, not about Discord's global limit: the daemon may go faster than
    // the 50 requests/s a real bot gets.
    daemon = await startDaemon({
      ...daemonEnv(database.url, services, sim, sink),
      ...(receiver === undefined ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
      NOTIFICATION_DAEMON_DISCORD_GLOBAL_RPS: '100000',
    });
    console.log(
      `${machineAtStart}; daemon started in ${fmt(daemon.startupMs, 0)} ms; ${String(burst.expectedDms)} DMs due from +${String(LEAD_SECONDS)} s over ${String(WINDOW_SECONDS)} s`,
    );
    const daemonPid = daemon.service.child.pid ?? 0;
    const cpuBeforeBurst = await processCpuMicros(daemonPid);
    const burstCalls = await waitForDms(
      sim,
      'Burst',
      0,
      burst.expectedDms,
      firstDue + (WINDOW_SECONDS + 180) * 1000,
    );
    const lateness = burstCalls
      .map((call) => {
        const due = burst.dueByTitle.get(titleOf(call, 'Burst') ?? '');
        return due === undefined ? Number.NaN : (call.time - due) / 1000;
      })
      .filter((value) => !Number.isNaN(value))
      .sort((a, b) => a - b);
    const lastCall = burstCalls.at(-1);
    const firstCall = burstCalls[0];
    const burstRate =
      firstCall !== undefined && lastCall !== undefined && lastCall.time > firstCall.time
        ? burstCalls.length / ((lastCall.time - firstCall.time) / 1000)
        : Number.NaN;
    const p99 = percentile(lateness, 99);
    // Daemon CPU over the burst (the polling loop above ends within 0.5 s of the last DM).
    const burstCpuMicros = (await processCpuMicros(daemonPid)) - cpuBeforeBurst;
    const cpuPerDmMs = burstCpuMicros / 1000 / Math.max(1, burstCalls.length);
    console.log(
      `phase 1: ${String(burstCalls.length)}/${String(burst.expectedDms)} DMs, lateness p50 ${fmt(percentile(lateness, 50))} s, p99 ${fmt(p99)} s, max ${fmt(lateness.at(-1) ?? Number.NaN)} s, ${fmt(burstRate, 0)} DMs/s while sending, daemon CPU ${fmt(cpuPerDmMs, 3)} ms per DM`,
    );
    const burstProblems = loggedProblems(daemon.service.stdout());
    if (burstProblems !== '') console.log(`phase 1 daemon warnings and errors: ${burstProblems}`);
    const rssAfterBurst = await processRssBytes(daemon.service.child.pid ?? 0);
    const burstStartupMs = daemon.startupMs;
    await daemon.service.stop();
    if (receiver !== undefined) {
      const byName = new Map<string, number>();
      for (const span of receiver.spans()) byName.set(span.name, (byName.get(span.name) ?? 0) + 1);
      const perDm = [...byName]
        .sort((a, b) => b[1] - a[1])
        .map(([name, count]) => `${name} ${fmt(count / Math.max(1, burstCalls.length))}`);
      console.log(`phase 1 spans per DM: ${perDm.join(', ')}`);
    }

    // Phase 2: Discord's rate limits on, a daemon with the default settings, LIMITED_REMINDERS DMs
    // due at once.
    sim.setRateLimits({ enabled: true });
    daemon = await startDaemon(daemonEnv(database.url, services, sim, sink));
    const limits = sim.rateLimits;
    const seqBefore = sim.lastCallSeq;
    const limitedDue = Date.now() + 3_000;
    const limited = await seedReminders(
      prisma,
      players,
      'Limited',
      LIMITED_REMINDERS,
      limitedDue,
      0,
    );
    const limitedCalls = await waitForDms(
      sim,
      'Limited',
      seqBefore,
      limited.expectedDms,
      limitedDue + 600_000,
    );
    const window = sim.calls().filter((call) => call.seq > seqBefore && call.auth === 'bot');
    const started = window[0]?.time ?? limitedDue;
    const ended = limitedCalls.at(-1)?.time ?? Date.now();
    const requestRate = window.filter((c) => c.time <= ended).length / ((ended - started) / 1000);
    const tooMany = window.filter((call) => call.status === 429).length;
    const globalLimit =
      limits.global === false
        ? Number.POSITIVE_INFINITY
        : limits.global.limit / (limits.global.windowMs / 1000);
    console.log(
      `phase 2: ${String(limitedCalls.length)}/${String(limited.expectedDms)} DMs in ${fmt((ended - started) / 1000, 1)} s, ${fmt(requestRate, 1)} requests/s against a global limit of ${String(globalLimit)}/s, ${String(tooMany)} answers 429`,
    );
    const rss = await processRssBytes(daemon.service.child.pid ?? 0);
    const counts = await sink.counts();

    const path = await writeReportSection(
      'reminder-pipeline',
      [
        '## Reminder pipeline',
        '',
        '`npm run bench -w @game-scheduler/notification-daemon`: the real daemon process (default settings, telemetry on, exporting to a local OTLP sink) against PostgreSQL, RabbitMQ and the local Discord; games of ' +
          String(PLAYERS_PER_GAME) +
          ' players, one reminder each, rows written straight into `reminder_schedule`.',
        '',
        `Start: ${machineAtStart}. End: ${machineLine()}.`,
        '',
        table(
          ['phase', 'DMs requested', 'result', 'target'],
          [
            [
              `Discord without limits, ${String(burst.expectedDms)} DMs due within ${String(WINDOW_SECONDS)} s`,
              `${String(burstCalls.length)} / ${String(burst.expectedDms)}`,
              `lateness p50 ${fmt(percentile(lateness, 50))} s, p99 ${fmt(p99)} s, max ${fmt(lateness.at(-1) ?? Number.NaN)} s; ${fmt(burstRate, 0)} DMs/s; daemon CPU ${fmt(cpuPerDmMs, 3)} ms per DM`,
              `every DM, p99 < 1 s ${burstCalls.length === burst.expectedDms && p99 < 1 ? '✓' : '✗'}`,
            ],
            [
              `Discord's limits on (${String(globalLimit)} requests/s global), ${String(limited.expectedDms)} DMs due at once`,
              `${String(limitedCalls.length)} / ${String(limited.expectedDms)}`,
              `${fmt(requestRate, 1)} requests/s sustained, ${String(tooMany)} answers 429`,
              `within 10 % of the limit, no 429 storm ${requestRate >= globalLimit * 0.9 && tooMany < limited.expectedDms / 100 ? '✓' : '✗'}`,
            ],
          ],
        ),
        '',
        `Daemon start to "started": ${fmt(burstStartupMs, 0)} ms. RSS after phase 1: ${fmt(rssAfterBurst / 2 ** 20, 0)} MB, after phase 2: ${fmt(rss / 2 ** 20, 0)} MB. Sent to the OTLP sink: ${describeSinkCounts(counts)}.`,
      ].join('\n'),
      REPORT_FILE,
    );
    console.log(`written to ${path}`);
  } finally {
    await daemon?.service.stop();
    await sink.stop();
    await receiver?.close();
    await sim.close();
    await prisma.$disconnect();
    await database.drop();
    await deleteTopologies(services.rabbitmqUrl);
    await stopServices();
  }
}

/** The daemon's log lines at warn level or above, counted by message ('' when none). */
function loggedProblems(stdout: string): string {
  const counts = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    if ((entry.level ?? 0) < 40) continue;
    const key = `${entry.msg ?? ''}${entry.err?.message === undefined ? '' : ` (${entry.err.message})`}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([msg, count]) => `${String(count)}× ${msg}`).join('; ');
}

/** The RabbitMQ namespaces the daemons declared their queues in, deleted when the run ends. */
const namespaces: string[] = [];

async function deleteTopologies(rabbitmqUrl: string): Promise<void> {
  const connection = await amqp.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  for (const namespace of namespaces.splice(0)) {
    await deleteTopology(channel, {
      namespace,
      consumers: [{ service: SERVICE, routingKeys: [...ROUTING_KEYS] }],
    });
  }
  await connection.close();
}

function daemonEnv(
  databaseUrl: string,
  services: TestServices,
  sim: DiscordSim,
  sink: OtlpSink,
): Record<string, string> {
  const namespace = uniqueName('reminder-bench');
  namespaces.push(namespace);
  return {
    DATABASE_URL: databaseUrl,
    RABBITMQ_URL: services.rabbitmqUrl,
    RABBITMQ_NAMESPACE: namespace,
    DISCORD_BOT_TOKEN: sim.application.botToken,
    DISCORD_API_URL: sim.apiUrl,
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    LOG_LEVEL: 'info',
  };
}

await main();
