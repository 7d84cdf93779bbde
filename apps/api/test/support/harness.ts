// One API under test: its own database, Redis key prefix and RabbitMQ connection, the local Discord
// with the demo scenario, and the app built with createApp(deps), driven through fastify's inject.
import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { createDiscordSim, demoScenario, type DiscordSim } from '@game-scheduler/discord-sim';
import { createConnection, type MessagingConnection } from '@game-scheduler/messaging';
import { createLogger } from '@game-scheduler/telemetry';
import { getServices, uniqueName, type TestDatabase } from '@game-scheduler/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import type { ReadinessChecks } from '../../src/app-deps.ts';
import { createApp } from '../../src/app.ts';
import type { ApiSettings } from '../../src/config.ts';
import { createDiscordClient } from '../../src/discord/discord-client.ts';

export const GUILD_ID = '1300000000000000201';
export const GENERAL_CHANNEL = '1300000000000000401';
export const ANNOUNCEMENTS_CHANNEL = '1300000000000000402';
export const GAME_HOST_ROLE = '1300000000000000301';
export const PLAYER_ROLE = '1300000000000000302';
export const HANA = '1300000000000000101';
export const PAT = '1300000000000000102';
export const QUINN = '1300000000000000103';
export const RIO = '1300000000000000104';
export const PUBLIC_URL = 'http://api.test';

export interface Harness {
  readonly app: FastifyInstance;
  readonly sim: DiscordSim;
  readonly prisma: PrismaClient;
  readonly redis: Redis;
  readonly prefix: string;
  readonly database: TestDatabase;
  readonly settings: ApiSettings;
  /** Signs a Discord user in through the whole OAuth2 flow; returns the Cookie header to send. */
  login(userId: string): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly readiness?: Partial<ReadinessChecks>;
  readonly rateLimit?: ApiSettings['rateLimit'];
  readonly environment?: ApiSettings['environment'];
  readonly trustProxy?: boolean;
}

export function cookieFrom(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  if (first === undefined) throw new Error(`no Set-Cookie on ${String(response.statusCode)}`);
  return first.split(';')[0] ?? '';
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const services = getServices();
  const database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'api' });
  const prisma = createPrismaClient(database.url, { poolSize: 12, applicationName: 'api-test' });
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 1 });
  const prefix = `${uniqueName('api')}:`;
  const sim = await createDiscordSim({ scenario: demoScenario, rateLimits: { enabled: false } });
  let connection: MessagingConnection | undefined;
  const settings: ApiSettings = {
    environment: options.environment ?? 'test',
    trustProxy: options.trustProxy ?? false,
    publicUrl: PUBLIC_URL,
    redisKeyPrefix: prefix,
    sessionTtlSeconds: 3600,
    guildCacheTtlSeconds: 120,
    rateLimit: options.rateLimit ?? { max: 100_000, ipMax: 100_000, windowMs: 60_000 },
    discord: {
      apiUrl: `${sim.apiUrl}/v10`,
      authorizeUrl: `${sim.url}/oauth2/authorize`,
      clientId: sim.application.clientId,
      clientSecret: sim.application.clientSecret,
      botToken: sim.application.botToken,
    },
  };
  const readiness: ReadinessChecks = {
    postgres: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    redis: async () => {
      await redis.ping();
    },
    rabbitmq: async () => {
      connection ??= await createConnection({
        url: services.rabbitmqUrl,
        connectionName: uniqueName('api-ready'),
      });
      await connection.current();
    },
    ...options.readiness,
  };
  const app = await createApp({
    settings,
    prisma,
    redis,
    discord: createDiscordClient(settings.discord),
    readiness,
    logger: createLogger({ name: 'api-test', level: 'silent', pretty: false }),
  });

  async function login(userId: string): Promise<string> {
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/login' });
    const authorize = new URL(String(start.headers.location));
    authorize.searchParams.set('user_id', userId);
    const granted = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(String(granted.headers.get('location')));
    const done = await app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` });
    if (done.statusCode !== 302) throw new Error(`login failed: ${done.body}`);
    return cookieFrom(done);
  }

  return {
    app,
    sim,
    prisma,
    redis,
    prefix,
    database,
    settings,
    login,
    async close() {
      await app.close();
      await connection?.close();
      await sim.close();
      await prisma.$disconnect();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await database.drop();
    },
  };
}
