// Micro-benchmark: what tracing one outgoing HTTP request through undici costs the event loop —
// src/undici-spans.ts against @opentelemetry/instrumentation-undici (which it replaced) and against
// no instrumentation — in two situations: inside a span that suppresses nested spans (the bot's and
// the notification daemon's Discord calls: `discord.rest` is the call's one CLIENT span) and as a
// traced child span (the API's Discord calls). Sequential fetches to a server in another process;
// main-thread CPU per request (process.threadCpuUsage), modes interleaved round by round, medians.
// Both record http.client.request.duration (the SDK's meter with a reader, or histograms.ts); the
// spans end in a processor that drops them, so export is not part of it.
//
//   npm run bench:undici -w @game-scheduler/telemetry
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { fixed, machineLine, median } from '@game-scheduler/bench';
import { withSpan } from '../src/span-helpers.ts';
import { UndiciClientSpansInstrumentation } from '../src/undici-spans.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 3_000);

// The callee, in its own process so that its CPU is not counted: answers every request with "ok".
const SERVER = `require('node:http').createServer((q, s) => s.end('ok'))
  .listen(0, '127.0.0.1', function () { process.send(this.address().port); });
process.on('SIGTERM', () => process.exit(0));`;
const server = spawn(process.execPath, ['-e', SERVER], {
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const [port] = (await once(server, 'message')) as [number];
const url = `http://127.0.0.1:${String(port)}/hello`;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const tracerProvider = new TracerProvider({
  spanProcessors: [
    {
      onStart: () => undefined,
      onEnd: () => undefined,
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    },
  ],
});
trace.setGlobalTracerProvider(tracerProvider);
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 60_000,
    }),
  ],
});
metrics.setGlobalMeterProvider(meterProvider);

interface Mode {
  readonly name: string;
  enable(): void;
  disable(): void;
}
// Enabled by its constructor (built with `enabled: false` it would stay off), and off between its rounds.
const upstream = new UndiciInstrumentation();
upstream.disable();
upstream.setTracerProvider(tracerProvider);
upstream.setMeterProvider(meterProvider);
const ours = new UndiciClientSpansInstrumentation();
ours.setTracerProvider(tracerProvider);
const MODES: readonly Mode[] = [
  { name: 'none', enable: () => undefined, disable: () => undefined },
  {
    name: '@opentelemetry/instrumentation-undici',
    enable: () => {
      upstream.enable();
    },
    disable: () => {
      upstream.disable();
    },
  },
  {
    name: 'undici-spans.ts (ours)',
    enable: () => {
      ours.enable();
    },
    disable: () => {
      ours.disable();
    },
  },
];

async function get(): Promise<void> {
  const response = await fetch(url);
  await response.text();
}

/** Main-thread CPU per request, in µs. */
async function measure(suppressed: boolean): Promise<number> {
  const before = process.threadCpuUsage();
  await withSpan(
    'bench.parent',
    {},
    async () => {
      for (let i = 0; i < REQUESTS; i++) await get();
    },
    { suppressNested: suppressed },
  );
  const used = process.threadCpuUsage(before);
  return (used.user + used.system) / REQUESTS;
}

console.log(`${machineLine()}; ${String(ROUNDS)} rounds × ${String(REQUESTS)} requests per mode`);
for (const suppressed of [true, false]) {
  const samples = new Map<string, number[]>(MODES.map((mode) => [mode.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Each round in another order, each mode after a full collection: no mode pays for the
    // garbage of the one before it.
    for (let i = 0; i < MODES.length; i++) {
      const mode = MODES[(round + i) % MODES.length] as Mode;
      mode.enable();
      for (let j = 0; j < 300; j++) await get(); // warm-up
      gc?.();
      samples.get(mode.name)?.push(await measure(suppressed));
      mode.disable();
    }
  }
  const none = median(samples.get('none') ?? []);
  console.log(
    suppressed
      ? 'inside a span that suppresses nested spans (the bot, the notification daemon):'
      : 'as a traced child span (the API):',
  );
  for (const mode of MODES) {
    const value = median(samples.get(mode.name) ?? []);
    const extra = mode.name === 'none' ? '' : `, +${fixed(value - none, 1)} µs`;
    console.log(`  ${mode.name}: ${fixed(value, 1)} µs a request${extra}`);
  }
}
server.kill('SIGTERM');
await meterProvider.shutdown();
