// What both bot benchmarks start: the tests' world (a migrated database, a RabbitMQ namespace, the
// local Discord with the demo guild, the real deploy-commands and the real bot process with the
// telemetry preload), games created by /create-game, and guild members to click.
import { REPORT_PATH, type OtlpSink } from '@game-scheduler/bench';
import { eventually, type TestServices } from '@game-scheduler/testing';
import { ANNOUNCEMENTS, GENERAL, HANA, createWorld, type World } from '../test/support/world.ts';
import type { BenchGame } from './click-load.ts';

/** Where the figures go: docs/benchmarks.md, or BENCH_REPORT (a smoke run's scratch file). */
export const REPORT_FILE = process.env['BENCH_REPORT'] ?? REPORT_PATH;
/** BENCH_CPU_PROF=<dir>: the bot process writes its CPU profile there (node --cpu-prof) when it stops. */
const CPU_PROFILE_DIR = process.env['BENCH_CPU_PROF'];
/** BENCH_BOT_NODE_OPTIONS: more Node options for the bot process (experiments: GC settings, say). */
const BOT_NODE_OPTIONS = [
  ...(CPU_PROFILE_DIR === undefined ? [] : [`--cpu-prof --cpu-prof-dir=${CPU_PROFILE_DIR}`]),
  ...(process.env['BENCH_BOT_NODE_OPTIONS'] === undefined
    ? []
    : [process.env['BENCH_BOT_NODE_OPTIONS']]),
].join(' ');

export interface BenchWorldOptions {
  readonly prefix: string;
  readonly services: TestServices;
  /** Telemetry exported there (a sink or a receiver); null runs the bot with OTEL_SDK_DISABLED=true. */
  readonly sink: Pick<OtlpSink, 'url'> | null;
}

/** Starts the world with Discord's limits off for the set-up; the caller turns them on. */
export async function startBenchWorld(options: BenchWorldOptions): Promise<World> {
  return createWorld(options.prefix, {
    services: options.services,
    rateLimits: { enabled: false },
    callLogLimit: 2_000_000,
    env: {
      // The default, not the tests' shorter delay.
      BOT_ANNOUNCEMENT_DELAY_MS: '250',
      ...(BOT_NODE_OPTIONS === '' ? {} : { NODE_OPTIONS: BOT_NODE_OPTIONS }),
      ...(options.sink === null
        ? { OTEL_SDK_DISABLED: 'true' }
        : { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: options.sink.url }),
    },
  });
}

/** Creates one game per cap with /create-game, alternately in two channels. */
/** The games' caps, in turn: 5, 20 and none (waitlists on the small ones, none on the open ones). */
export function mixedCaps(count: number): (number | null)[] {
  return Array.from({ length: count }, (_, i) => [5, 20, null][i % 3] ?? null);
}

export async function createGames(
  world: World,
  caps: readonly (number | null)[],
): Promise<BenchGame[]> {
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const games: BenchGame[] = [];
  for (const [index, cap] of caps.entries()) {
    const title = `Bench game ${String(index + 1)}`;
    const answer = await world.command(
      HANA,
      'create-game',
      { title, date: day, time: '18:00', ...(cap === null ? {} : { 'max-players': cap }) },
      index % 2 === 0 ? ANNOUNCEMENTS : GENERAL,
    );
    const game = await eventually(
      async () => {
        const row = await world.prisma.game.findFirst({ where: { title } });
        return row?.messageId == null ? undefined : { ...row, messageId: row.messageId };
      },
      { timeoutMs: 15_000 },
    ).catch(() => {
      throw new Error(`creating ${title} failed: ${answer}`);
    });
    games.push({ id: game.id, title, messageId: game.messageId, maxPlayers: game.maxPlayers });
  }
  return games;
}
