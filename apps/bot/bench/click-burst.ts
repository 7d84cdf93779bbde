// Benchmark (issue #6, 1): Join/Leave clicks at 200 per second. The real bot process (src/main.ts
// with the telemetry preload, exporting to a local OTLP sink, default settings) against PostgreSQL,
// RabbitMQ and the local Discord with Discord's rate limits on.
//
// BENCH_CLICK_RATE (200) clicks per second for BENCH_SECONDS (60), open-loop, by BENCH_USERS (2,000)
// users taking turns over BENCH_GAMES (18) games: a third capped at 5, a third at 20, a third
// uncapped. Each click is what makes sense for its user (Join when out, Leave when in), so every
// click must succeed. Targets: acknowledgement (the deferral reaching Discord) p99 < 100 ms from the
// click's scheduled time; no click lost; caps never exceeded (no "You're in" answer and no
// announcement over the cap); the database ends as the clicks say.
//
//   npm run bench:clicks -w @game-scheduler/bot
//   BENCH_SECONDS=5 BENCH_REPORT=/tmp/bot-bench.md npm run bench:clicks -w @game-scheduler/bot
//   BENCH_CPU_PROF=/tmp/bot-prof … writes the bot's CPU profile (node --cpu-prof) into that directory
//   BENCH_BOT_NODE_OPTIONS='--max-semi-space-size=64' … gives the bot process more Node options
//   BENCH_SPAN_COUNTS=1 … exports to a decoding OTLP receiver instead of the sink and prints the
//   clicks' spans per click by name (SQL statements, Discord calls, publishes per click)
//
// Needs TEST_DATABASE_URL, TEST_REDIS_URL and TEST_RABBITMQ_URL like the tests (or Docker).
import {
  describeSinkCounts,
  machineLine,
  processCpuMicros,
  processRssBytes,
  startOtlpSink,
  table,
  writeReportSection,
} from '@game-scheduler/bench';
import { startOtlpReceiver } from '@game-scheduler/telemetry/testing';
import { resolveServices } from '@game-scheduler/testing';
import type { World } from '../test/support/world.ts';
import { REPORT_FILE, createGames, mixedCaps, startBenchWorld } from './bench-world.ts';
import {
  ClickPlan,
  collectResults,
  sendClicks,
  summarize,
  type BenchGame,
  type ClickResult,
} from './click-load.ts';

const RATE = Number(process.env['BENCH_CLICK_RATE'] ?? 200);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 60);
const GAMES = Number(process.env['BENCH_GAMES'] ?? 18);
const USERS = Number(process.env['BENCH_USERS'] ?? 2_000);
const SPAN_COUNTS = process.env['BENCH_SPAN_COUNTS'] === '1';
const ACK_P99_TARGET_MS = 100;
/** How long the bot may take to answer the last clicks after the load stops. */
const DRAIN_MS = 120_000;

const fmt = (value: number, digits = 1): string => value.toFixed(digits);
const mark = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

const PLAYERS_FIELD = /^Players (\d+)\/(\d+)$/;

/** Every announcement written (posted or edited) after `afterSeq` whose players exceed the cap. */
function announcementsOverCap(world: World, afterSeq: number): number {
  let over = 0;
  for (const call of world.sim.calls(
    (c) =>
      c.seq > afterSeq &&
      c.status === 200 &&
      c.route !== null &&
      c.route.startsWith('/channels/:channelId/messages'),
  )) {
    const embeds = (call.body as { embeds?: { fields?: { name?: string }[] }[] } | null)?.embeds;
    for (const field of embeds?.[0]?.fields ?? []) {
      const match = PLAYERS_FIELD.exec(field.name ?? '');
      if (match !== null && Number(match[1]) > Number(match[2])) over += 1;
    }
  }
  return over;
}

/**
 * What each game's players (confirmed and waitlisted) should be after the clicks: each user's last
 * answered click on it says in (Join) or out (Leave); a click never answered (not acknowledged in
 * Discord's window) must have changed nothing.
 */
function expectedRosters(results: readonly ClickResult[]): Map<string, Set<string>> {
  const rosters = new Map<string, Set<string>>();
  for (const { click, answer } of results) {
    if (answer === null) continue;
    const players = rosters.get(click.game.id) ?? new Set<string>();
    rosters.set(click.game.id, players);
    if (click.action === 'join') players.add(click.userId);
    else players.delete(click.userId);
  }
  return rosters;
}

/** Games whose final players differ from what the answered clicks say. */
async function rostersOff(
  world: World,
  games: readonly BenchGame[],
  results: readonly ClickResult[],
): Promise<string[]> {
  const expectedByGame = expectedRosters(results);
  const off: string[] = [];
  for (const game of games) {
    const rows = await world.prisma.participant.findMany({
      where: { gameId: game.id },
      select: { userId: true },
    });
    const actual = new Set(rows.map((row) => row.userId));
    const expected = expectedByGame.get(game.id) ?? new Set<string>();
    const same = actual.size === expected.size && [...expected].every((user) => actual.has(user));
    if (!same)
      off.push(`${game.title} (${String(actual.size)} players, ${String(expected.size)} expected)`);
  }
  return off;
}

/** Answers that are not what the click asked for (a refusal, an error, a Join answered "left"). */
function unexpectedAnswers(results: readonly ClickResult[]): Map<string, number> {
  const unexpected = new Map<string, number>();
  for (const result of results) {
    if (result.answer === null) continue;
    const ok =
      result.click.action === 'join'
        ? result.outcome === 'confirmed' || result.outcome === 'waitlisted'
        : result.outcome === 'left';
    if (!ok) {
      const key = `${result.click.action}: ${result.answer.slice(0, 80)}`;
      unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
    }
  }
  return unexpected;
}

async function main(): Promise<void> {
  const { services, stop: stopServices } = await resolveServices();
  const sink = await startOtlpSink();
  const receiver = SPAN_COUNTS ? await startOtlpReceiver() : undefined;
  let world: World | undefined;
  try {
    world = await startBenchWorld({
      prefix: 'bot_clicks_bench',
      services,
      sink: receiver ?? sink,
    });
    const games = await createGames(world, mixedCaps(GAMES));
    const users = world.addPlayers(USERS, 'clicker');
    world.sim.setRateLimits({ enabled: true });
    const plan = new ClickPlan(users, games);
    const pid = world.bot.child.pid ?? 0;
    const machineAtStart = machineLine();
    console.log(
      `${machineAtStart}; ${String(RATE)} clicks/s for ${String(SECONDS)} s, ${String(USERS)} users, ${String(GAMES)} games`,
    );

    receiver?.reset();
    const seqBefore = world.sim.lastCallSeq;
    const cpuBefore = await processCpuMicros(pid);
    const ownCpuBefore = await processCpuMicros(process.pid);
    const clicks = await sendClicks(world.sim, plan, RATE, SECONDS);
    const results = await collectResults(world.sim, clicks, seqBefore, DRAIN_MS);
    const cpuAfter = await processCpuMicros(pid);
    const ownCpuAfter = await processCpuMicros(process.pid);
    const rss = await processRssBytes(pid);

    if (receiver !== undefined) {
      // The last batches of spans leave the bot within a few seconds.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const byName = new Map<string, number>();
      for (const span of receiver.spans()) byName.set(span.name, (byName.get(span.name) ?? 0) + 1);
      const perClick = [...byName]
        .sort((a, b) => b[1] - a[1])
        .map(([name, count]) => `${name} ${fmt(count / Math.max(1, clicks.length), 2)}`);
      console.log(`spans per click: ${perClick.join(', ')}`);
    }

    const sent = clicks.length;
    const sendErrors = clicks.filter((click) => click.sendError !== null).length;
    const acked = results.filter((r) => r.acked).length;
    const answered = results.filter((r) => r.answer !== null).length;
    const lost = sent - Math.min(acked, answered);
    const ack = summarize(results.map((r) => r.ackMs));
    const answer = summarize(results.map((r) => r.answerMs));
    const outcomes = new Map<string, number>();
    for (const result of results) {
      const key = result.outcome ?? 'no answer';
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const unexpected = unexpectedAnswers(results);
    const answersOverCap = results.filter(
      (r) =>
        r.confirmedCount !== null &&
        r.click.game.maxPlayers !== null &&
        r.confirmedCount > r.click.game.maxPlayers,
    ).length;
    const writesOverCap = announcementsOverCap(world, seqBefore);
    const off = await rostersOff(world, games, results);
    const cpuMicrosPerClick = (cpuAfter - cpuBefore) / Math.max(answered, 1);
    // This process runs the load and the local Discord: if it is the bottleneck, so are the figures.
    const ownCpuMicrosPerClick = (ownCpuAfter - ownCpuBefore) / Math.max(sent, 1);

    const ackOk = ack.p99 < ACK_P99_TARGET_MS;
    const noneLost = lost === 0 && sendErrors === 0;
    const capsOk = answersOverCap === 0 && writesOverCap === 0;
    const stateOk = off.length === 0 && unexpected.size === 0;
    const latency = (s: typeof ack) =>
      `p50 ${fmt(s.p50)} / p95 ${fmt(s.p95)} / p99 ${fmt(s.p99)} / max ${fmt(s.max)} ms`;
    const outcomeText = [...outcomes].map(([k, v]) => `${k} ${String(v)}`).join(', ');
    console.log(`acknowledgement: ${latency(ack)} (${String(ack.count)} clicks)`);
    console.log(`final answer: ${latency(answer)} (${String(answer.count)} clicks)`);
    console.log(
      `sent ${String(sent)} (${String(sendErrors)} refused by the local Discord), acknowledged ${String(acked)}, answered ${String(answered)}; ${outcomeText}`,
    );
    console.log(
      `bot CPU ${fmt(cpuMicrosPerClick, 0)} µs per click, RSS ${fmt(rss / 2 ** 20, 0)} MB; load generator and local Discord ${fmt(ownCpuMicrosPerClick, 0)} µs per click`,
    );
    for (const [text, count] of unexpected)
      console.log(`unexpected answer ×${String(count)}: ${text}`);
    for (const game of off) console.log(`roster differs from the clicks: ${game}`);
    console.log(
      `${mark(ackOk)} acknowledgement p99 ${fmt(ack.p99)} ms < ${String(ACK_P99_TARGET_MS)} ms`,
    );
    console.log(
      `${mark(noneLost)} no click lost (${String(lost)} lost, ${String(sendErrors)} not sent)`,
    );
    console.log(
      `${mark(capsOk)} caps never exceeded (${String(answersOverCap)} answers, ${String(writesOverCap)} announcement writes over the cap)`,
    );
    console.log(
      `${mark(stateOk)} every click one expected outcome, rosters as the last clicks say (${String(unexpected.size)} kinds of unexpected answer, ${String(off.length)} games off)`,
    );

    const counts = await sink.counts();
    const path = await writeReportSection(
      'bot-clicks',
      [
        '## Join/Leave clicks on the bot',
        '',
        '`npm run bench:clicks -w @game-scheduler/bot`: the real bot process (`src/main.ts` with the telemetry preload, exporting to a local OTLP sink, default settings) against PostgreSQL, RabbitMQ and the local Discord with Discord’s rate limits on. ' +
          `${String(RATE)} clicks/s for ${String(SECONDS)} s, open-loop (latency from each click’s scheduled time), ${String(USERS)} users taking turns over ${String(GAMES)} games (a third capped at 5, a third at 20, a third uncapped); each click is the one that makes sense for its user (Join when out, Leave when in). ` +
          'Acknowledgement: the deferral reaching the local Discord; answer: the edit of the deferred reply.',
        '',
        `Start: ${machineAtStart}. End: ${machineLine()}.`,
        '',
        table(
          ['target', 'result', 'verdict'],
          [
            [`acknowledgement p99 < ${String(ACK_P99_TARGET_MS)} ms`, latency(ack), mark(ackOk)],
            [
              'no click lost',
              `${String(sent)} sent, ${String(acked)} acknowledged, ${String(answered)} answered`,
              mark(noneLost),
            ],
            [
              'caps never exceeded',
              `${String(answersOverCap)} answers and ${String(writesOverCap)} announcement writes over the cap`,
              mark(capsOk),
            ],
            [
              'one expected outcome per click, rosters as the clicks say',
              `${outcomeText}; ${String(off.length)} games off`,
              mark(stateOk),
            ],
          ],
        ),
        '',
        `Final answer: ${latency(answer)}. Bot CPU ${fmt(cpuMicrosPerClick, 0)} µs per click (this process, the load and the local Discord: ${fmt(ownCpuMicrosPerClick, 0)} µs), RSS after the run ${fmt(rss / 2 ** 20, 0)} MB. Sent to the OTLP sink: ${describeSinkCounts(counts)}.`,
      ].join('\n'),
      REPORT_FILE,
    );
    console.log(`written to ${path}`);
  } finally {
    await world?.close();
    await receiver?.close();
    await sink.stop();
    await stopServices();
  }
}

await main();
