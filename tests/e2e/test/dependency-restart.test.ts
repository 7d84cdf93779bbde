// PostgreSQL, Redis and RabbitMQ each restarted under the running services. Every service runs on
// private instances (a PostgreSQL cluster, a Redis and a RabbitMQ node of this file's own: the shared
// ones are never restarted, other tests use them): the API, both daemons and the bot. While a
// dependency is down, users keep acting; afterwards nothing is lost and nothing happened twice.
//
// - No process exits; every service's `/ready` answers 503 naming what is down while it is down (if
//   it depends on it) and 200 again afterwards, by itself: the API's, and the readiness servers of
//   both daemons and the bot (HEALTH_PORT), which their compose healthcheck (docker/healthcheck.ts)
//   asks: it fails meanwhile and passes again after.
// - A request refused during an outage is a clear 503 (DEPENDENCY_UNAVAILABLE, no internals) and left
//   nothing behind; every game created and every join accepted is in the database afterwards.
// - Reminders and status changes due during or after an outage happen once; the outbox drains; every
//   event reached every consumer, and those that change something were handled once; the bot
//   announces every game once.
// RabbitMQ restarted under the API and the daemons alone is broker-restart.test.ts; here it is the
// bot's turn.
import {
  appDirectory,
  eventually,
  freePort,
  getServices,
  runToExit,
  startService as startProcess,
  type ServiceProcess,
} from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivatePostgres, type PrivatePostgres } from './support/private-postgres.ts';
import {
  DAEMON_CONSUMERS,
  expectEveryEventConsumed,
  type ConsumerExpectation,
} from './support/consumed-events.ts';
import { createRestartableRabbitMq, type PrivateRabbitMq } from './support/private-rabbitmq.ts';
import { createPrivateRedis, type PrivateRedis } from './support/private-redis.ts';
import {
  ANNOUNCEMENTS_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  RIO,
  remindersTo,
  startStack,
  type ApiClient,
  type GameBody,
  type Stack,
} from './support/stack.ts';

const MINUTE = 60_000;
/**
 * Each consumer, the event types it is bound to (its app's ROUTING_KEYS) and those it always
 * records: the daemons skip the record for a game.updated that moves no schedule, the bot for an
 * announcement it only renders again (game.created, game.status_changed, a game.updated promoting
 * nobody).
 */
const CONSUMERS: readonly ConsumerExpectation[] = [
  ...DAEMON_CONSUMERS,
  {
    service: 'bot',
    routingKeys: [
      'game.created',
      'game.updated',
      'game.cancelled',
      'game.player_removed',
      'game.status_changed',
    ],
    recorded: ['game.cancelled', 'game.player_removed'],
  },
];
const BOT_GENERIC_FAILURE = 'Something went wrong on our side. Please try again in a moment.';

let postgres: PrivatePostgres;
let redis: PrivateRedis;
let rabbit: PrivateRabbitMq;
let stack: Stack;
let bot: ServiceProcess;
let host: ApiClient;
let pat: ApiClient;
/** What beforeAll started, undone in reverse order by afterAll whatever failed. */
const teardown: (() => Promise<unknown>)[] = [];

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
type Dependency = 'postgres' | 'redis' | 'rabbitmq' | 'discord';
interface ReadyBody {
  status: 'ready' | 'unavailable';
  dependencies: Partial<Record<Dependency, 'up' | 'down'>>;
  error?: ErrorBody['error'];
}

const botDirectory = appDirectory('bot');
type ServiceName = 'api' | 'notification-daemon' | 'status-transition-daemon' | 'bot';
/** What each service's `/ready` reports. */
const DEPENDENCIES: Readonly<Record<ServiceName, readonly Dependency[]>> = {
  api: ['postgres', 'redis', 'rabbitmq'],
  'notification-daemon': ['postgres', 'rabbitmq'],
  'status-transition-daemon': ['postgres', 'rabbitmq'],
  bot: ['postgres', 'rabbitmq', 'discord'],
};
/** Where each service answers `/ready`: the API's port, the others' HEALTH_PORT. */
const readyPorts = {} as Record<ServiceName, number>;

beforeAll(async () => {
  [postgres, redis, rabbit] = await Promise.all([
    createPrivatePostgres(),
    createPrivateRedis(),
    createRestartableRabbitMq(getServices().rabbitmqUrl),
  ]);
  // Closing removes each one's directory; PostgreSQL is started again first in case a failed test
  // left it stopped (the stack drops its database there).
  teardown.push(
    () => rabbit.close(),
    () => redis.close(),
    () => postgres.close(),
  );
  await Promise.all([postgres.start(), redis.start(), rabbit.start()]);
  stack = await startStack({
    prefix: 'e2e_deps',
    databaseServerUrl: postgres.url,
    redisUrl: redis.url,
    rabbitmqUrl: rabbit.url,
  });
  teardown.push(async () => {
    await postgres.start();
    await stack.close();
  });
  const discordEnv = {
    DISCORD_BOT_TOKEN: stack.sim.application.botToken,
    DISCORD_CLIENT_ID: stack.sim.application.id,
    DISCORD_API_URL: stack.sim.apiUrl,
    OTEL_SERVICE_NAME: 'bot',
    OTEL_EXPORTER_OTLP_ENDPOINT: stack.receiver.url,
  };
  const deployed = await runToExit({
    cwd: botDirectory,
    entry: 'src/deploy-commands.ts',
    preload: false,
    env: { ...discordEnv, OTEL_SDK_DISABLED: 'true', BOT_COMMANDS_GUILD_ID: GUILD_ID },
  });
  if (deployed.code !== 0) throw new Error(`deploy-commands failed:\n${deployed.output}`);
  readyPorts.api = Number(new URL(stack.apiUrl).port);
  readyPorts['notification-daemon'] = Number(
    new URL(stack.readinessUrls['notification-daemon']).port,
  );
  readyPorts['status-transition-daemon'] = Number(
    new URL(stack.readinessUrls['status-transition-daemon']).port,
  );
  readyPorts.bot = await freePort();
  bot = await startProcess({
    cwd: botDirectory,
    env: {
      ...discordEnv,
      DATABASE_URL: stack.database.url,
      RABBITMQ_URL: rabbit.url,
      RABBITMQ_NAMESPACE: stack.namespace,
      BOT_ANNOUNCEMENT_DELAY_MS: '100',
      HEALTH_PORT: String(readyPorts.bot),
      LOG_LEVEL: 'info',
    },
    startedMessage: 'Bot started',
    timeoutMs: 60_000,
  });
  teardown.push(async () => {
    const code = await bot.stop();
    if (code !== 0) throw new Error(`the bot did not shut down cleanly:\n${bot.output()}`);
  });
  host = await stack.login(HANA);
  pat = await stack.login(PAT);
}, 240_000);

afterAll(async () => {
  const failures: unknown[] = [];
  for (const undo of teardown.reverse())
    await undo().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, 'tear-down failed');
}, 120_000);

/** Every service process is still running. */
function expectAllRunning(): void {
  for (const service of [...stack.services, bot]) {
    expect(service.child.exitCode, service.output()).toBeNull();
    expect(service.child.signalCode, service.output()).toBeNull();
  }
}

async function ready(service: ServiceName = 'api'): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`http://127.0.0.1:${String(readyPorts[service])}/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

/** Polls a service's `/ready` until it answers 503 with these dependencies down (200 for none). */
async function readyBecomes(
  down: readonly Dependency[],
  service: ServiceName = 'api',
  timeoutMs = 30_000,
) {
  return eventually(
    async () => {
      const answer = await ready(service);
      const actuallyDown = Object.entries(answer.body.dependencies)
        .filter(([, state]) => state === 'down')
        .map(([name]) => name)
        .sort();
      return answer.status === (down.length === 0 ? 200 : 503) &&
        JSON.stringify(actuallyDown) === JSON.stringify([...down].sort())
        ? answer
        : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/**
 * Every service's `/ready` names `dependency` while it is down, if the service depends on it, and
 * says nothing else is; with null, every one is ready (a reconnect to RabbitMQ may wait out its
 * backoff, hence the longer wait). The daemons' and the bot's compose healthcheck agrees.
 */
async function everyServiceReports(dependency: Dependency | null): Promise<void> {
  for (const service of Object.keys(DEPENDENCIES) as ServiceName[]) {
    const down = dependency !== null && DEPENDENCIES[service].includes(dependency);
    const answer = await readyBecomes(down ? [dependency] : [], service, 90_000);
    expect(Object.keys(answer.body.dependencies).sort(), service).toEqual(
      [...DEPENDENCIES[service]].sort(),
    );
    if (down) {
      expect(answer.body.error, service).toEqual({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: `Unreachable: ${dependency}`,
        details: { unavailable: [dependency] },
      });
    }
    if (service !== 'api') {
      const check = await healthcheck(service);
      expect(check.code, `${service}: ${check.output}`).toBe(down ? 1 : 0);
    }
  }
}

/** The refusal users get while a dependency is down: a clear 503, nothing internal. */
function expectClearUnavailable(response: { status: number; body: unknown }): void {
  expect(response.status, JSON.stringify(response.body)).toBe(503);
  const body = response.body as ErrorBody;
  expect(body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
  expect(body.error.message).toBe('A service we depend on is unavailable; try again shortly.');
  expect(JSON.stringify(body)).not.toMatch(/\bat \S+:\d+|stack|ECONNREFUSED|prisma/i);
}

/** The compose healthcheck of a daemon or the bot (docker/healthcheck.ts), run as Docker runs it. */
async function healthcheck(service: ServiceName): Promise<{ code: number | null; output: string }> {
  return runToExit({
    cwd: botDirectory,
    entry: '../../docker/healthcheck.ts',
    preload: false,
    env: { HEALTH_PORT: String(readyPorts[service]) },
  });
}

const created = new Map<string, { id: string; startsAt: number; reminderDue?: number }>();
/** Joins accepted: [gameId, userId]. */
const joined: [string, string][] = [];

async function createGame(
  title: string,
  startsAt: number,
  reminderMinutes: number[],
): Promise<{ status: number; body: unknown }> {
  const response = await host<GameBody>('POST', '/games', {
    guildId: GUILD_ID,
    channelId: ANNOUNCEMENTS_CHANNEL,
    title,
    startsAt: new Date(startsAt).toISOString(),
    durationMinutes: 1,
    reminderMinutes,
  });
  if (response.status === 201) {
    created.set(title, {
      id: response.body.id,
      startsAt,
      ...(reminderMinutes[0] === undefined
        ? {}
        : { reminderDue: startsAt - reminderMinutes[0] * MINUTE }),
    });
  }
  return response;
}

async function join(user: ApiClient, userId: string, gameId: string) {
  const response = await user('POST', `/games/${gameId}/join`);
  if (response.status === 200) joined.push([gameId, userId]);
  return response;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('dependencies restarted under the running services', () => {
  it('PostgreSQL: the API refuses with a clear 503 meanwhile, and everything recovers by itself', async () => {
    await everyServiceReports(null);
    const t0 = Date.now();
    // Starts while PostgreSQL is down (IN_PROGRESS due then), completes after.
    const during = await createGame('Started during the outage', t0 + 14_000, []);
    expect(during.status).toBe(201);
    // Its one-minute reminder falls due while PostgreSQL is down.
    const reminded = await createGame('Reminded during the outage', t0 + MINUTE + 12_000, [1]);
    expect(reminded.status).toBe(201);
    for (const title of ['Started during the outage', 'Reminded during the outage']) {
      expect((await join(pat, PAT, created.get(title)!.id)).status).toBe(200);
    }
    // The bot announces both (it consumes game.created).
    await eventually(
      async () =>
        (await stack.prisma.game.count({ where: { messageId: { not: null } } })) === 2
          ? true
          : undefined,
      { timeoutMs: 30_000 },
    );

    await postgres.stop();
    const down = await readyBecomes(['postgres']);
    expect(down.body.error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'Unreachable: postgres',
      details: { unavailable: ['postgres'] },
    });
    // The daemons and the bot say so too, and their containers would be unhealthy.
    await everyServiceReports('postgres');
    // Users' requests are refused, clearly, and not half-applied (checked once it is back).
    expectClearUnavailable(
      await createGame('Refused while PostgreSQL is down', t0 + 5 * MINUTE, []),
    );
    expectClearUnavailable(await join(host, HANA, created.get('Reminded during the outage')!.id));
    expectClearUnavailable(await host('GET', `/games?guildId=${GUILD_ID}`));
    // The bot answers its users too.
    const refused = stack.sim.runSlashCommand({
      userId: HANA,
      channelId: ANNOUNCEMENTS_CHANNEL,
      name: 'create-game',
      options: { title: 'Bot game refused', ...tomorrow() },
    });
    expect(await botAnswer(refused.id)).toBe(BOT_GENERIC_FAILURE);
    // Long enough for pools, LISTEN connections and schedulers to notice and back off.
    await sleep(Math.max(0, t0 + 16_000 - Date.now()));
    expectAllRunning();

    await postgres.start();
    expect(await readyBecomes([])).toMatchObject({ body: { status: 'ready' } });
    expect(
      await stack.prisma.game.count({ where: { title: 'Refused while PostgreSQL is down' } }),
    ).toBe(0);
    expect(
      await stack.prisma.participant.count({
        where: { gameId: created.get('Reminded during the outage')!.id, userId: HANA },
      }),
    ).toBe(0);
    const rio = await stack.login(RIO);
    expect((await join(rio, RIO, created.get('Reminded during the outage')!.id)).status).toBe(200);
    const after = await createGame(
      'Created after PostgreSQL came back',
      Date.now() + MINUTE + 20_000,
      [1],
    );
    expect(after.status).toBe(201);
    expect(
      (await join(pat, PAT, created.get('Created after PostgreSQL came back')!.id)).status,
    ).toBe(200);
    const botGame = stack.sim.runSlashCommand({
      userId: HANA,
      channelId: ANNOUNCEMENTS_CHANNEL,
      name: 'create-game',
      options: { title: 'Bot game after PostgreSQL', ...tomorrow() },
    });
    expect(await botAnswer(botGame.id)).toMatch(/^Created \*\*Bot game after PostgreSQL\*\*/);
    // The daemons and the bot are ready again by themselves (and their compose healthcheck passes).
    await everyServiceReports(null);
    expectAllRunning();
  });

  it('Redis: requests needing a session get a clear 503 meanwhile, and sign-in works again after', async () => {
    await redis.stop();
    const down = await readyBecomes(['redis']);
    expect(down.body.error?.message).toBe('Unreachable: redis');
    // Only the API uses Redis: the daemons and the bot stay ready.
    await everyServiceReports('redis');
    expectClearUnavailable(await host('GET', `/games?guildId=${GUILD_ID}`));
    expectClearUnavailable(
      await createGame('Refused while Redis is down', Date.now() + 5 * MINUTE, []),
    );
    const login = await fetch(`${stack.apiUrl}/api/v1/auth/login`, { redirect: 'manual' });
    expectClearUnavailable({ status: login.status, body: await login.json() });
    expectAllRunning();

    await redis.start();
    await everyServiceReports(null);
    // Redis holds sessions only, without persistence (as in the compose file): they went with it.
    expect((await host('GET', `/games?guildId=${GUILD_ID}`)).status).toBe(401);
    host = await stack.login(HANA);
    pat = await stack.login(PAT);
    expect(await stack.prisma.game.count({ where: { title: 'Refused while Redis is down' } })).toBe(
      0,
    );
    const after = await createGame(
      'Created after Redis came back',
      Date.now() + MINUTE + 10_000,
      [1],
    );
    expect(after.status).toBe(201);
    expect((await join(pat, PAT, created.get('Created after Redis came back')!.id)).status).toBe(
      200,
    );
    expectAllRunning();
  });

  it('RabbitMQ under the bot: its writes wait in the outbox and it announces what it missed', async () => {
    await rabbit.stop();
    // Every service names the broker, and the daemons' and the bot's containers would be unhealthy.
    await everyServiceReports('rabbitmq');
    // The bot writes through PostgreSQL: a game created and a join clicked meanwhile are accepted.
    const run = stack.sim.runSlashCommand({
      userId: HANA,
      channelId: ANNOUNCEMENTS_CHANNEL,
      name: 'create-game',
      options: { title: 'Bot game while RabbitMQ is down', ...tomorrow() },
    });
    expect(await botAnswer(run.id)).toMatch(/^Created \*\*Bot game while RabbitMQ is down\*\*/);
    const botGame = await stack.prisma.game.findFirstOrThrow({
      where: { title: 'Bot game after PostgreSQL' },
    });
    const click = stack.sim.clickButton({
      userId: RIO,
      messageId: botGame.messageId!,
      customId: `game:join:${botGame.id}`,
    });
    expect(await botAnswer(click.id)).toMatch(/^You're in \*\*Bot game after PostgreSQL\*\*/);
    joined.push([botGame.id, RIO]);
    // A game created through the API meanwhile: its announcement waits for the broker.
    const meanwhile = await createGame(
      'Created while RabbitMQ is down',
      Date.now() + 10 * MINUTE,
      [],
    );
    expect(meanwhile.status).toBe(201);
    expectAllRunning();

    await rabbit.start();
    // Each reconnects by itself, the daemons and the bot included.
    await everyServiceReports(null);
    await eventually(
      async () =>
        (await stack.prisma.outboxEvent.count({ where: { publishedAt: null } })) === 0 &&
        (await stack.prisma.game.count({ where: { messageId: null } })) === 0
          ? true
          : undefined,
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expectAllRunning();
  });

  it('afterwards nothing is lost and nothing happened twice', async () => {
    // Every game created and every join accepted is there.
    for (const [title, game] of created) {
      expect(await stack.prisma.game.findUnique({ where: { id: game.id } }), title).not.toBeNull();
    }
    for (const [gameId, userId] of joined) {
      expect(
        await stack.prisma.participant.count({ where: { gameId, userId } }),
        `${userId} in ${gameId}`,
      ).toBe(1);
    }
    // Every announcement posted once.
    const games = await stack.prisma.game.findMany({ select: { title: true, messageId: true } });
    for (const game of games) {
      const posts = stack.sim
        .messages(ANNOUNCEMENTS_CHANNEL)
        .filter((message) => message['id'] === game.messageId);
      expect(posts, game.title).toHaveLength(1);
    }
    expect(games.map((game) => game.title).sort()).toEqual(
      [...created.keys(), 'Bot game after PostgreSQL', 'Bot game while RabbitMQ is down'].sort(),
    );

    // Reminders due during or after the outages: each delivered once, never early.
    const reminded = [...created].filter(([, game]) => game.reminderDue !== undefined);
    const lastDue = Math.max(...reminded.map(([, game]) => game.reminderDue!));
    await eventually(
      () =>
        reminded.every(([title]) => remindersTo(stack.sim, PAT, title).length >= 1)
          ? true
          : undefined,
      { timeoutMs: lastDue - Date.now() + 60_000, intervalMs: 500 },
    );
    for (const [title, game] of reminded) {
      const received = remindersTo(stack.sim, PAT, title);
      expect(received, title).toHaveLength(1);
      expect(received[0]!.at.getTime()).toBeGreaterThanOrEqual(game.reminderDue!);
    }

    // The game that started during the PostgreSQL outage moved to IN_PROGRESS, then COMPLETED, once.
    const started = created.get('Started during the outage')!;
    await eventually(
      async () =>
        (await stack.prisma.game.findUnique({ where: { id: started.id } }))?.status === 'COMPLETED'
          ? true
          : undefined,
      { timeoutMs: started.startsAt + MINUTE - Date.now() + 60_000, intervalMs: 500 },
    );
    const transitions = await stack.prisma.statusSchedule.findMany({
      where: { gameId: started.id },
      select: { targetStatus: true, status: true },
      orderBy: { dueAt: 'asc' },
    });
    expect(transitions).toEqual([
      { targetStatus: 'IN_PROGRESS', status: 'APPLIED' },
      { targetStatus: 'COMPLETED', status: 'APPLIED' },
    ]);

    // The outbox drained and every event reached each daemon once.
    await eventually(
      async () =>
        (await stack.prisma.outboxEvent.count({ where: { publishedAt: null } })) === 0
          ? true
          : undefined,
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    // Every event reached each consumer bound to it; those with an effect once; none was parked.
    await expectEveryEventConsumed(stack, rabbit.url, CONSUMERS);
    expectAllRunning();
  });
});

function tomorrow(): { date: string; time: string } {
  const day = new Date(Date.now() + 86_400_000);
  return { date: day.toISOString().slice(0, 10), time: '19:30' };
}

async function botAnswer(interactionId: string): Promise<string> {
  return eventually(
    () => {
      const content = stack.sim.originalResponse(interactionId)?.content;
      return typeof content === 'string' && content !== '' ? content : undefined;
    },
    { timeoutMs: 30_000 },
  );
}
