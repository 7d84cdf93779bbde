// Benchmark: what the telemetry preload costs a fastify service. Starts the same service twice — with
// telemetry exporting to a local OTLP sink, and with OTEL_SDK_DISABLED=true (same preload) — and
// measures them in interleaved A/B pairs, at fixed rates below saturation and saturated. Prints
// medians of the per-pair ratios (telemetry / disabled).
//
//   npm run bench -w @game-scheduler/telemetry
//   BENCH_PAIRS=7 BENCH_SECONDS=8 BENCH_VARIANTS=route,request,all npm run bench -w @game-scheduler/telemetry
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  comparePairs,
  describeSinkCounts,
  describeThreadCpu,
  fixed,
  machineLine,
  measureHttp,
  processRssBytes,
  receive as message,
  signed,
  startOtlpSink,
  table,
  writeReportSection,
  type HttpTarget,
  type Load,
} from '@game-scheduler/bench';

const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 5);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 6);
const WARMUP_SECONDS = 3;
const VARIANTS = (process.env['BENCH_VARIANTS'] ?? 'route').split(',').map((v) => v.trim());
const SCENARIO_FILTER = process.env['BENCH_SCENARIOS'];

interface Scenario {
  readonly name: string;
  readonly path: string;
  readonly load: Load;
}

const ALL_SCENARIOS: readonly Scenario[] = [
  { name: '/work at 300 req/s', path: '/work', load: { kind: 'rate', perSecond: 300 } },
  { name: '/hello at 1000 req/s', path: '/hello', load: { kind: 'rate', perSecond: 1000 } },
  {
    name: '/work saturated (50 connections)',
    path: '/work',
    load: { kind: 'saturate', connections: 50 },
  },
  {
    name: '/hello saturated (50 connections)',
    path: '/hello',
    load: { kind: 'saturate', connections: 50 },
  },
];
const SCENARIOS = ALL_SCENARIOS.filter(
  (scenario) => SCENARIO_FILTER === undefined || scenario.name.includes(SCENARIO_FILTER),
);

interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  /** Where the load goes, and the process whose CPU time is read from /proc around each run. */
  readonly target: HttpTarget;
  readonly startupMs: number;
}

async function startService(name: string, env: Record<string, string>): Promise<Service> {
  const started = performance.now();
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    execArgv: [
      '--conditions=@game-scheduler/source',
      '--import',
      '@game-scheduler/telemetry/register',
    ],
    env: { ...process.env, OTEL_SERVICE_NAME: 'bench-service', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const listening = await message<string>(child, 'listening');
  if (child.pid === undefined) throw new Error(`the ${name} service has no pid`);
  return {
    name,
    child,
    target: { baseUrl: listening, pid: child.pid },
    startupMs: performance.now() - started,
  };
}

const run = (service: Service, scenario: Scenario, seconds: number) =>
  measureHttp(service.target, scenario.path, scenario.load, seconds);

async function main(): Promise<void> {
  const sink = await startOtlpSink();
  const baseline = await startService('disabled', { OTEL_SDK_DISABLED: 'true' });
  const variants: Service[] = [];
  for (const variant of VARIANTS) {
    variants.push(
      await startService(`telemetry (fastify spans: ${variant})`, {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        OTEL_FASTIFY_SPANS: variant,
      }),
    );
  }
  const machineAtStart = machineLine();
  const rows: string[][] = [];
  const startup = `disabled ${fixed(baseline.startupMs, 0)} ms; ${variants.map((v) => `${v.name} ${fixed(v.startupMs, 0)} ms`).join('; ')}`;
  console.log(
    `${machineAtStart}; ${String(PAIRS)} pairs × ${String(SECONDS)} s, interleaved; ratios = telemetry / disabled (median of pairs)`,
  );
  console.log(`start-up to listening: ${startup}`);

  for (const scenario of SCENARIOS) {
    for (const service of [baseline, ...variants]) await run(service, scenario, WARMUP_SECONDS);
    for (const variant of variants) {
      const result = await comparePairs(
        () => run(baseline, scenario, SECONDS),
        () => run(variant, scenario, SECONDS),
        PAIRS,
      );
      console.log(`\n${scenario.name} — ${variant.name}`);
      for (const [index, { baseline: off, candidate: on }] of result.pairs.entries()) {
        console.log(
          `    pair ${String(index + 1)}: p50 ${fixed(off.p50Ms)} → ${fixed(on.p50Ms)} ms, p99 ${fixed(off.p99Ms)} → ${fixed(on.p99Ms)} ms, ${fixed(off.rps, 0)} → ${fixed(on.rps, 0)} req/s, CPU ${fixed(off.cpuMicrosPerRequest, 0)} → ${fixed(on.cpuMicrosPerRequest, 0)} µs/req`,
        );
      }
      const byThread = describeThreadCpu(result.extraCpuByThread);
      rows.push([
        scenario.name,
        variant.name,
        `${fixed(result.p50Ratio, 3)}×`,
        `${fixed(result.p99Ratio, 3)}×`,
        `${fixed(result.throughputRatio, 3)}×`,
        `${signed(result.extraCpuMicros)} µs (${byThread})`,
      ]);
      console.log(
        `  median ratios: p50 ${fixed(result.p50Ratio, 3)}×, p99 ${fixed(result.p99Ratio, 3)}×, throughput ${fixed(result.throughputRatio, 3)}×, CPU ${signed(result.extraCpuMicros)} µs/req (${byThread})`,
      );
    }
  }

  console.log(`\n${machineLine()}`);
  const rss = async (service: Service): Promise<string> =>
    `${fixed((await processRssBytes(service.target.pid)) / 2 ** 20, 0)} MB`;
  const rssLine = `disabled ${await rss(baseline)}; ${(
    await Promise.all(variants.map(async (v) => `${v.name} ${await rss(v)}`))
  ).join('; ')}`;
  console.log(`\nRSS after the run: ${rssLine}`);
  const exported = await sink.counts();
  console.log('exported to the sink:', JSON.stringify(exported));
  const path = await writeReportSection(
    'telemetry-fastify',
    [
      '## The telemetry preload on a minimal fastify service',
      '',
      '`npm run bench -w @game-scheduler/telemetry` (method and design notes: packages/telemetry/BENCHMARKS.md).',
      `${String(PAIRS)} pairs × ${String(SECONDS)} s. Start: ${machineAtStart}. End: ${machineLine()}.`,
      '',
      table(
        [
          'scenario',
          'telemetry',
          'p50 ratio',
          'p99 ratio',
          'throughput ratio',
          'extra CPU/request (by thread)',
        ],
        rows,
      ),
      '',
      `Start-up to listening: ${startup}. RSS after the run: ${rssLine}. Sent to the OTLP sink: ${describeSinkCounts(exported)}.`,
    ].join('\n'),
  );
  console.log(`written to ${path}`);

  for (const service of [baseline, ...variants]) service.child.kill('SIGTERM');
  await sink.stop();
}

await main();
