// What createApp is given: settings and live connections, built in main.ts (or by a test).
import type { PrismaClient } from '@game-scheduler/db';
import type { Logger, ReadinessCheck } from '@game-scheduler/telemetry';
import type { Redis } from 'ioredis';
import type { ApiSettings } from './config.ts';
import type { DiscordClient } from './discord/discord-client.ts';

/** One probe per dependency; returns (or resolves) when reachable, throws, rejects or times out otherwise. */
export interface ReadinessChecks {
  readonly postgres: ReadinessCheck;
  readonly redis: ReadinessCheck;
  readonly rabbitmq: ReadinessCheck;
}

export interface AppDeps {
  readonly settings: ApiSettings;
  readonly prisma: PrismaClient;
  readonly redis: Redis;
  readonly discord: DiscordClient;
  readonly readiness: ReadinessChecks;
  readonly logger: Logger;
}
