// Benchmark (issue #6, 3): what telemetry costs one interaction round trip of the real bot. Two
// worlds side by side, each with its own local Discord, database, RabbitMQ namespace and bot process
// (src/main.ts with the real preload): one exporting traces, metrics and logs to a local OTLP sink,
// one with OTEL_SDK_DISABLED=true. Join/Leave clicks at BENCH_COST_RATE (50) per second for
// BENCH_SECONDS (10), in BENCH_PAIRS (5) interleaved pairs; round trip = the click's scheduled time
// to the final answer reaching the local Discord. Reported: p50/p99 ratios and the bot's extra CPU
// per interaction (from /proc). Budget: within 5 %.
//
//   npm run bench:instrumentation -w @game-scheduler/bot
//   BENCH_PAIRS=2 BENCH_SECONDS=4 BENCH_REPORT=/tmp/bot-bench.md npm run bench:instrumentation -w @game-scheduler/bot
//
// Needs TEST_DATABASE_URL, TEST_REDIS_URL and TEST_RABBITMQ_URL like the tests (or Docker).
import {
  comparePairs,
  describeSinkCounts,
  describeThreadCpu,
  fixed,
  machineLine,
  processRssBytes,
  startOtlpSink,
  signed,
  startCpuMeter,
  table,
  verdict,
  writeReportSection,
  type Measurement,
} from '@game-scheduler/bench';
import { resolveServices } from '@game-scheduler/testing';
import type { World } from '../test/support/world.ts';
import { REPORT_FILE, createGames, mixedCaps, startBenchWorld } from './bench-world.ts';
import { ClickPlan, collectResults, sendClicks, summarize } from './click-load.ts';

const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 5);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const RATE = Number(process.env['BENCH_COST_RATE'] ?? 50);
const USERS = Number(process.env['BENCH_USERS'] ?? 1_000);
const WARMUP_SECONDS = 5;
const BUDGET = 0.05;
const GAME_CAPS = mixedCaps(6);
const DRAIN_MS = 60_000;

interface Side {
  readonly world: World;
  readonly plan: ClickPlan;
  readonly pid: number;
  /** Acknowledgement p50 of each run, for the log. */
  readonly ackP50s: number[];
}

async function prepare(world: World): Promise<Side> {
  const games = await createGames(world, GAME_CAPS);
  const users = world.addPlayers(USERS, 'clicker');
  world.sim.setRateLimits({ enabled: true });
  const pid = world.bot.child.pid;
  if (pid === undefined) throw new Error('the bot process has no pid');
  return { world, plan: new ClickPlan(users, games), pid, ackP50s: [] };
}

async function measure(side: Side, seconds: number): Promise<Measurement> {
  const { sim } = side.world;
  const seqBefore = sim.lastCallSeq;
  const cpuSince = await startCpuMeter(side.pid);
  const clicks = await sendClicks(sim, side.plan, RATE, seconds);
  const results = await collectResults(sim, clicks, seqBefore, DRAIN_MS);
  const roundTrip = summarize(results.map((r) => r.answerMs));
  side.ackP50s.push(summarize(results.map((r) => r.ackMs)).p50);
  const failed = results.filter(
    (r) => r.answerMs === null || r.outcome === null || r.outcome === 'other',
  ).length;
  return {
    p50Ms: roundTrip.p50,
    p99Ms: roundTrip.p99,
    rps: roundTrip.count / seconds,
    errors: failed,
    ...(await cpuSince(roundTrip.count)),
  };
}

async function main(): Promise<void> {
  const { services, stop: stopServices } = await resolveServices();
  const sink = await startOtlpSink();
  let disabledWorld: World | undefined;
  let enabledWorld: World | undefined;
  try {
    disabledWorld = await startBenchWorld({ prefix: 'bot_cost_off', services, sink: null });
    enabledWorld = await startBenchWorld({ prefix: 'bot_cost_on', services, sink });
    const disabled = await prepare(disabledWorld);
    const enabled = await prepare(enabledWorld);
    await measure(disabled, WARMUP_SECONDS);
    await measure(enabled, WARMUP_SECONDS);
    disabled.ackP50s.length = 0;
    enabled.ackP50s.length = 0;

    const machineAtStart = machineLine();
    console.log(
      `${machineAtStart}; ${String(PAIRS)} pairs × ${String(SECONDS)} s at ${String(RATE)} clicks/s, interleaved`,
    );
    const result = await comparePairs(
      () => measure(disabled, SECONDS),
      () => measure(enabled, SECONDS),
      PAIRS,
    );
    for (const [index, pair] of result.pairs.entries()) {
      const { baseline: off, candidate: on } = pair;
      console.log(
        `  pair ${String(index + 1)}: round trip p50 ${fixed(off.p50Ms)} → ${fixed(on.p50Ms)} ms, p99 ${fixed(off.p99Ms)} → ${fixed(on.p99Ms)} ms, CPU ${fixed(off.cpuMicrosPerRequest, 0)} → ${fixed(on.cpuMicrosPerRequest, 0)} µs/interaction, failed ${String(off.errors)}/${String(on.errors)}`,
      );
    }
    console.log(
      `median ratios: p50 ${fixed(result.p50Ratio, 3)}×, p99 ${fixed(result.p99Ratio, 3)}×, CPU ${signed(result.extraCpuMicros)} µs/interaction (${describeThreadCpu(result.extraCpuByThread)}); acknowledgement p50 by run: disabled ${disabled.ackP50s.map((v) => fixed(v, 0)).join(', ')} ms, telemetry ${enabled.ackP50s.map((v) => fixed(v, 0)).join(', ')} ms`,
    );
    const failed = result.pairs.reduce((n, p) => n + p.baseline.errors + p.candidate.errors, 0);
    const first = result.pairs[0];
    const rss = async (side: Side): Promise<string> =>
      `${fixed((await processRssBytes(side.pid)) / 2 ** 20, 0)} MB`;
    const path = await writeReportSection(
      'bot-instrumentation',
      [
        '## Instrumentation cost of a bot interaction',
        '',
        '`npm run bench:instrumentation -w @game-scheduler/bot`: two bot processes from `src/main.ts` with the real preload, one exporting to a local OTLP sink, one with `OTEL_SDK_DISABLED=true`, each with its own local Discord (rate limits on), database and RabbitMQ namespace. ' +
          `Join/Leave clicks at ${String(RATE)}/s (open-loop, ${String(USERS)} users, ${String(GAME_CAPS.length)} games capped at 5, 20 or not at all); round trip = the click’s scheduled time to the final answer reaching the local Discord; CPU of the bot process from /proc, all threads and by thread (\`main\` the event loop, \`v8\` V8’s helpers: parallel GC, background compilation; \`worker\` an unnamed worker thread, pino’s transport). Budget 5 % (✓ within, ✗ not).`,
        '',
        `${String(PAIRS)} pairs × ${String(SECONDS)} s. Start: ${machineAtStart}. End: ${machineLine()}.`,
        '',
        table(
          [
            'scenario',
            'disabled p50 / p99 (pair 1)',
            'p50 ratio',
            'p99 ratio',
            'extra CPU/interaction (by thread)',
          ],
          [
            [
              `Join/Leave round trip at ${String(RATE)} clicks/s`,
              first === undefined
                ? ''
                : `${fixed(first.baseline.p50Ms)} / ${fixed(first.baseline.p99Ms)} ms`,
              verdict(result.p50Ratio, BUDGET),
              verdict(result.p99Ratio, BUDGET),
              `${signed(result.extraCpuMicros)} µs (${describeThreadCpu(result.extraCpuByThread)})`,
            ],
          ],
        ),
        '',
        `Clicks without the expected answer: ${String(failed)}. RSS after the run: disabled ${await rss(disabled)}, telemetry ${await rss(enabled)}. Sent to the OTLP sink: ${describeSinkCounts(await sink.counts())}.`,
      ].join('\n'),
      REPORT_FILE,
    );
    console.log(`written to ${path}`);
  } finally {
    await enabledWorld?.close();
    await disabledWorld?.close();
    await sink.stop();
    await stopServices();
  }
}

await main();
