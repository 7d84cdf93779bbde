// Benchmark (issue #6, 1): what telemetry costs the real API. The same build runs twice from
// src/main.ts with the real preload — once exporting traces, metrics and logs to a local OTLP sink,
// once with OTEL_SDK_DISABLED=true — against the same PostgreSQL, Redis, RabbitMQ and local Discord.
// Each scenario is measured in interleaved pairs: a database-backed endpoint (list a guild's games:
// session and membership from Redis, one Prisma query) and /health, at a fixed rate below
// saturation (p50/p99) and saturated (throughput). Budget: within 5 %. One more row compares a
// third API that samples one trace in ten, to show what head sampling buys.
//
//   npm run bench -w @game-scheduler/api
//   BENCH_PAIRS=7 BENCH_SECONDS=8 BENCH_SCENARIOS=health npm run bench -w @game-scheduler/api
//   BENCH_CPU_PROF=/tmp/api-prof …  each API writes its CPU profile (node --cpu-prof) into
//                                   <dir>/disabled, <dir>/telemetry or <dir>/sampled when it stops
//
// Needs TEST_DATABASE_URL, TEST_REDIS_URL and TEST_RABBITMQ_URL like the tests (or Docker).
import {
  comparePairs,
  describeSinkCounts,
  describeThreadCpu,
  fixed,
  machineLine,
  measureHttp,
  processRssBytes,
  startOtlpSink,
  signed,
  table,
  verdict,
  writeReportSection,
  type HttpTarget,
  type Load,
} from '@game-scheduler/bench';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { createDiscordSim, demoScenario } from '@game-scheduler/discord-sim';
import { resolveServices, uniqueName } from '@game-scheduler/testing';
import {
  freePort,
  localApiEnv,
  startApiProcess,
  type ApiProcess,
} from '../test/support/api-process.ts';
import { ANNOUNCEMENTS_CHANNEL, GUILD_ID, HANA } from '../test/support/harness.ts';
import { signInThroughSim } from '@game-scheduler/discord-sim/sign-in';

const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 5);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 6);
const WARMUP_SECONDS = 3;
const SCENARIO_FILTER = process.env['BENCH_SCENARIOS'];
const CPU_PROFILE_DIR = process.env['BENCH_CPU_PROF'];
const BUDGET = 0.05;
const GAMES = 40;

interface Scenario {
  readonly name: string;
  readonly path: string;
  readonly load: Load;
  /** Against the API that records one trace in ten (OTEL_TRACES_SAMPLER), not every trace. */
  readonly sampled?: boolean;
}

/** Head sampling, the standard way to pay for fewer traces (RUNTIME_CONFIG.md). */
const SAMPLING = {
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_TRACES_SAMPLER_ARG: '0.1',
};

const listPath = `/api/v1/games?guildId=${GUILD_ID}&limit=20`;
const ALL_SCENARIOS: readonly Scenario[] = [
  { name: 'list games at 100 req/s', path: listPath, load: { kind: 'rate', perSecond: 100 } },
  { name: '/health at 500 req/s', path: '/health', load: { kind: 'rate', perSecond: 500 } },
  {
    name: 'list games saturated (16 connections)',
    path: listPath,
    load: { kind: 'saturate', connections: 16 },
  },
  {
    name: '/health saturated (32 connections)',
    path: '/health',
    load: { kind: 'saturate', connections: 32 },
  },
  {
    name: 'list games saturated, 10 % of traces sampled',
    path: listPath,
    load: { kind: 'saturate', connections: 16 },
    sampled: true,
  },
];
const SCENARIOS = ALL_SCENARIOS.filter(
  (scenario) => SCENARIO_FILTER === undefined || scenario.name.includes(SCENARIO_FILTER),
);

function login(api: ApiProcess, userId: string): Promise<string> {
  return signInThroughSim({ apiUrl: api.baseUrl, userId });
}

async function main(): Promise<void> {
  const { services, stop: stopServices } = await resolveServices();
  const database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'api_bench' });
  const sim = await createDiscordSim({ scenario: demoScenario, rateLimits: { enabled: false } });
  const sink = await startOtlpSink();
  const namespace = uniqueName('api-bench');

  async function startApi(
    telemetry: boolean,
    extraEnv: Record<string, string> = {},
  ): Promise<{ api: ApiProcess; startupMs: number }> {
    const port = await freePort();
    const profileName = !telemetry
      ? 'disabled'
      : 'OTEL_TRACES_SAMPLER' in extraEnv
        ? 'sampled'
        : 'telemetry';
    const started = performance.now();
    const api = await startApiProcess(port, {
      ...localApiEnv({ port, databaseUrl: database.url, services, sim, namespace }),
      API_RATE_LIMIT_MAX: '100000000',
      API_RATE_LIMIT_IP_MAX: '100000000',
      ...(telemetry
        ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SDK_DISABLED: 'false' }
        : { OTEL_SDK_DISABLED: 'true' }),
      ...(CPU_PROFILE_DIR === undefined
        ? {}
        : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${CPU_PROFILE_DIR}/${profileName}` }),
      ...extraEnv,
    });
    return { api, startupMs: performance.now() - started };
  }

  const disabled = await startApi(false);
  const enabled = await startApi(true);
  const sampled = SCENARIOS.some((scenario) => scenario.sampled === true)
    ? await startApi(true, SAMPLING)
    : undefined;
  try {
    const targets = new Map<ApiProcess, HttpTarget>();
    const apis = [disabled, enabled, ...(sampled === undefined ? [] : [sampled])];
    for (const { api } of apis) {
      const pid = api.child.pid;
      if (pid === undefined) throw new Error('the API process has no pid');
      targets.set(api, {
        baseUrl: api.baseUrl,
        pid,
        options: { headers: { cookie: await login(api, HANA) } },
      });
    }
    const hostCookie = targets.get(disabled.api)?.options?.headers?.['cookie'] ?? '';
    for (let i = 0; i < GAMES; i += 1) {
      const response = await fetch(`${disabled.api.baseUrl}/api/v1/games`, {
        method: 'POST',
        headers: { cookie: hostCookie, 'content-type': 'application/json' },
        body: JSON.stringify({
          guildId: GUILD_ID,
          channelId: ANNOUNCEMENTS_CHANNEL,
          title: `Benchmark night ${String(i + 1)}`,
          startsAt: new Date(Date.now() + (i + 1) * 3_600_000).toISOString(),
          durationMinutes: 120,
          maxPlayers: 6,
        }),
      });
      if (response.status !== 201) {
        throw new Error(
          `seeding a game failed: HTTP ${String(response.status)} ${await response.text()}`,
        );
      }
    }

    const machineAtStart = machineLine();
    console.log(`${machineAtStart}; ${String(PAIRS)} pairs × ${String(SECONDS)} s, interleaved`);
    const rows: string[][] = [];
    for (const scenario of SCENARIOS) {
      const measure = (api: ApiProcess) => {
        const target = targets.get(api);
        if (target === undefined) throw new Error('unknown API');
        return () => measureHttp(target, scenario.path, scenario.load, SECONDS);
      };
      const candidate = scenario.sampled === true && sampled !== undefined ? sampled : enabled;
      for (const { api } of [disabled, candidate]) {
        const target = targets.get(api);
        if (target !== undefined)
          await measureHttp(target, scenario.path, scenario.load, WARMUP_SECONDS);
      }
      const result = await comparePairs(measure(disabled.api), measure(candidate.api), PAIRS);
      console.log(`\n${scenario.name}`);
      for (const [index, pair] of result.pairs.entries()) {
        const { baseline: off, candidate: on } = pair;
        console.log(
          `  pair ${String(index + 1)}: p50 ${fixed(off.p50Ms)} → ${fixed(on.p50Ms)} ms, p99 ${fixed(off.p99Ms)} → ${fixed(on.p99Ms)} ms, ${fixed(off.rps, 0)} → ${fixed(on.rps, 0)} req/s, CPU ${fixed(off.cpuMicrosPerRequest, 0)} → ${fixed(on.cpuMicrosPerRequest, 0)} µs/req, errors ${String(off.errors)}/${String(on.errors)}`,
        );
      }
      const saturated = scenario.load.kind === 'saturate';
      const first = result.pairs[0];
      const plain = (ratio: number): string => `${fixed(ratio, 3)}×`;
      rows.push([
        scenario.name,
        first === undefined
          ? ''
          : `${fixed(first.baseline.p50Ms)} / ${fixed(first.baseline.p99Ms)} ms`,
        saturated ? plain(result.p50Ratio) : verdict(result.p50Ratio, BUDGET),
        saturated ? plain(result.p99Ratio) : verdict(result.p99Ratio, BUDGET),
        saturated ? verdict(result.throughputRatio, BUDGET, true) : plain(result.throughputRatio),
        `${signed(result.extraCpuMicros)} µs (${describeThreadCpu(result.extraCpuByThread)})`,
      ]);
      console.log(
        `  median ratios: p50 ${fixed(result.p50Ratio, 3)}×, p99 ${fixed(result.p99Ratio, 3)}×, throughput ${fixed(result.throughputRatio, 3)}×, CPU ${signed(result.extraCpuMicros)} µs/req (${describeThreadCpu(result.extraCpuByThread)})`,
      );
    }

    const rss = async (api: ApiProcess): Promise<string> =>
      `${fixed((await processRssBytes(api.child.pid ?? 0)) / 2 ** 20, 0)} MB`;
    const counts = await sink.counts();
    const exported = describeSinkCounts(counts);
    const path = await writeReportSection(
      'api-instrumentation',
      [
        '## Instrumentation cost of the API',
        '',
        '`npm run bench -w @game-scheduler/api`: the API from `src/main.ts` with the real preload, exporting to a local OTLP sink, against the same build with `OTEL_SDK_DISABLED=true`; same PostgreSQL, Redis, RabbitMQ and local Discord. "list games" is `GET ' +
          listPath +
          '` (session and guild membership from Redis, one PostgreSQL query, ' +
          String(GAMES) +
          ' games). `/health` is declared `traced: false`, as a probe asked every few seconds should be: it starts no span and is still counted in `http.server.request.duration`. Fixed-rate rows are judged on latency, saturated rows on throughput; budget 5 % (✓ within, ✗ not). Extra CPU is the API process’s, all threads, per request, then by thread from /proc: `main` the event loop, `v8` V8’s helpers (parallel GC, background compilation), `worker` an unnamed worker thread (pino’s transport). The last row runs a third API that records one trace in ten (`OTEL_TRACES_SAMPLER=parentbased_traceidratio`, `OTEL_TRACES_SAMPLER_ARG=0.1`): what head sampling buys when every trace is too dear.',
        '',
        `${String(PAIRS)} pairs × ${String(SECONDS)} s. Start: ${machineAtStart}. End: ${machineLine()}.`,
        '',
        table(
          [
            'scenario',
            'disabled p50 / p99 (pair 1)',
            'p50 ratio',
            'p99 ratio',
            'throughput ratio',
            'extra CPU/request (by thread)',
          ],
          rows,
        ),
        '',
        `Start-up to "API started": disabled ${fixed(disabled.startupMs, 0)} ms, telemetry ${fixed(enabled.startupMs, 0)} ms. RSS after the run: disabled ${await rss(disabled.api)}, telemetry ${await rss(enabled.api)}. Sent to the OTLP sink: ${exported}.`,
      ].join('\n'),
    );
    console.log(`\nwritten to ${path}`);
  } finally {
    await disabled.api.stop();
    await enabled.api.stop();
    await sampled?.api.stop();
    await sink.stop();
    await sim.close();
    await database.drop();
    await stopServices();
  }
}

await main();
