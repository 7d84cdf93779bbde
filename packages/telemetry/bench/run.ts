// Benchmark: what the telemetry preload costs a fastify service. Starts the same service twice — with
// telemetry exporting to a local OTLP sink, and with OTEL_SDK_DISABLED=true (same preload) — and
// measures them in interleaved A/B pairs, at fixed rates below saturation and saturated. Prints
// medians of the per-pair ratios (telemetry / disabled).
//
//   npm run bench -w @game-scheduler/telemetry
//   BENCH_PAIRS=7 BENCH_SECONDS=8 BENCH_VARIANTS=route,request,all npm run bench -w @game-scheduler/telemetry
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import {
  fixed,
  fixedRate,
  machineLine,
  median,
  percentile,
  receive as message,
  saturate,
  describeSinkCounts,
  signed,
  startOtlpSink,
  table,
  writeReportSection,
  type LoadResult,
} from '@game-scheduler/bench';

const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 5);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 6);
const WARMUP_SECONDS = 3;
const VARIANTS = (process.env['BENCH_VARIANTS'] ?? 'route').split(',').map((v) => v.trim());
const SCENARIO_FILTER = process.env['BENCH_SCENARIOS'];

interface Scenario {
  readonly name: string;
  readonly path: string;
  readonly rate?: number;
  readonly connections?: number;
}

const SCENARIOS: Scenario[] = [
  { name: '/work at 300 req/s', path: '/work', rate: 300 },
  { name: '/hello at 1000 req/s', path: '/hello', rate: 1000 },
  { name: '/work saturated (50 connections)', path: '/work', connections: 50 },
  { name: '/hello saturated (50 connections)', path: '/hello', connections: 50 },
].filter((scenario) => SCENARIO_FILTER === undefined || scenario.name.includes(SCENARIO_FILTER));

interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  readonly base: URL;
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
  return { name, child, base: new URL(listening), startupMs: performance.now() - started };
}

async function rss(service: Service): Promise<number> {
  service.child.send('rss');
  return message<number>(service.child, 'rss');
}

async function cpuMicros(service: Service): Promise<number> {
  service.child.send('cpu');
  return message<number>(service.child, 'cpu');
}

interface Summary {
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  /** Service CPU time per completed request, µs. */
  readonly cpuPerRequest: number;
}

async function run(service: Service, scenario: Scenario, seconds: number): Promise<Summary> {
  const url = new URL(scenario.path, service.base);
  const cpuBefore = await cpuMicros(service);
  const result: LoadResult =
    scenario.rate === undefined
      ? await saturate(url, scenario.connections ?? 50, seconds)
      : await fixedRate(url, scenario.rate, seconds);
  const cpuAfter = await cpuMicros(service);
  const sorted = Float64Array.from(result.latenciesMs).sort();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    rps: result.completed / result.seconds,
    cpuPerRequest: (cpuAfter - cpuBefore) / Math.max(result.completed, 1),
  };
}

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
  const load = (): string =>
    loadavg()
      .map((value) => value.toFixed(1))
      .join(' ');
  console.log(
    `load average at start: ${load()} (2 shared cores; other work on the machine adds noise)`,
  );
  console.log(
    `node ${process.version}, ${PAIRS} pairs × ${SECONDS} s, interleaved; ratios = telemetry / disabled (median of pairs)`,
  );
  console.log(
    `start-up to listening: disabled ${fixed(baseline.startupMs, 0)} ms; ${variants.map((v) => `${v.name} ${fixed(v.startupMs, 0)} ms`).join('; ')}`,
  );

  for (const scenario of SCENARIOS) {
    for (const service of [baseline, ...variants]) await run(service, scenario, WARMUP_SECONDS);
    for (const variant of variants) {
      const ratios = { p50: [] as number[], p99: [] as number[], rps: [] as number[] };
      const extraCpu: number[] = [];
      const raw: string[] = [];
      for (let pair = 0; pair < PAIRS; pair += 1) {
        const order = pair % 2 === 0 ? [baseline, variant] : [variant, baseline];
        const results = new Map<Service, Summary>();
        for (const service of order) results.set(service, await run(service, scenario, SECONDS));
        const off = results.get(baseline);
        const on = results.get(variant);
        if (off === undefined || on === undefined) throw new Error('missing a measurement');
        ratios.p50.push(on.p50 / off.p50);
        ratios.p99.push(on.p99 / off.p99);
        ratios.rps.push(on.rps / off.rps);
        extraCpu.push(on.cpuPerRequest - off.cpuPerRequest);
        raw.push(
          `    pair ${pair + 1}: p50 ${fixed(off.p50)} → ${fixed(on.p50)} ms, p99 ${fixed(off.p99)} → ${fixed(on.p99)} ms, ${fixed(off.rps, 0)} → ${fixed(on.rps, 0)} req/s, CPU ${fixed(off.cpuPerRequest, 0)} → ${fixed(on.cpuPerRequest, 0)} µs/req`,
        );
      }
      console.log(`\n${scenario.name} — ${variant.name}`);
      for (const line of raw) console.log(line);
      rows.push([
        scenario.name,
        variant.name,
        `${fixed(median(ratios.p50), 3)}×`,
        `${fixed(median(ratios.p99), 3)}×`,
        `${fixed(median(ratios.rps), 3)}×`,
        `${signed(median(extraCpu))} µs`,
      ]);
      console.log(
        `  median ratios: p50 ${fixed(median(ratios.p50), 3)}×, p99 ${fixed(median(ratios.p99), 3)}×, throughput ${fixed(median(ratios.rps), 3)}×, CPU ${signed(median(extraCpu))} µs/req`,
      );
    }
  }

  console.log(`\nload average at the end: ${load()}`);
  const rssLine = `disabled ${fixed((await rss(baseline)) / 2 ** 20, 0)} MB; ${(
    await Promise.all(
      variants.map(async (v) => `${v.name} ${fixed((await rss(v)) / 2 ** 20, 0)} MB`),
    )
  ).join('; ')}`;
  console.log(`\nRSS after the run: ${rssLine}`);
  const exported = await sink.counts();
  console.log('exported to the sink:', JSON.stringify(exported));
  const startup = `disabled ${fixed(baseline.startupMs, 0)} ms; ${variants.map((v) => `${v.name} ${fixed(v.startupMs, 0)} ms`).join('; ')}`;
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
          'extra CPU/request',
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
