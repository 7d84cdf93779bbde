// What createApp is given: settings and live connections, built in main.ts (or by a test).
import type { PrismaClient } from '@game-scheduler/db';
import type { Logger } from '@game-scheduler/telemetry';
import type { Redis } from 'ioredis';
import type { ApiSettings } from './config.ts';
import type { DiscordClient } from './discord/discord-client.ts';

/** One probe per dependency; resolves when reachable, rejects (or times out) otherwise. */
export interface ReadinessChecks {
  readonly postgres: () => Promise<void>;
  readonly redis: () => Promise<void>;
  readonly rabbitmq: () => Promise<void>;
}

export interface AppDeps {
  readonly settings: ApiSettings;
  readonly prisma: PrismaClient;
  readonly redis: Redis;
  readonly discord: DiscordClient;
  readonly readiness: ReadinessChecks;
  readonly logger: Logger;
}
