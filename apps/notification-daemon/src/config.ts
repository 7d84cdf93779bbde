// The daemon's configuration: the ONLY place that reads process.env. Every problem is reported at
// once (parseConfig throws DomainError VALIDATION with all of them on one line). The bot token is
// never part of a message: zod reports only that it is missing.
import {
  count,
  healthPort,
  httpUrl,
  logLevel,
  parseConfig,
  postgresUrl,
  rabbitmqNamespace,
  rabbitmqUrl,
} from '@game-scheduler/config';
import { cronSchedule } from '@game-scheduler/scheduler';
import { registerSecret } from '@game-scheduler/telemetry';
import { z } from 'zod';

export const configSchema = z.object({
  DATABASE_URL: postgresUrl,
  DISCORD_BOT_TOKEN: z.string({ error: 'must be set' }).min(1),
  DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
  RABBITMQ_URL: rabbitmqUrl,
  RABBITMQ_NAMESPACE: rabbitmqNamespace,
  OTEL_SERVICE_NAME: z.string().default('notification-daemon'),
  LOG_LEVEL: logLevel,
  HEALTH_PORT: healthPort,
  NOTIFICATION_DAEMON_BATCH_SIZE: count(1),
  NOTIFICATION_DAEMON_CONCURRENCY: count(4),
  NOTIFICATION_DAEMON_MAX_ATTEMPTS: count(5),
  NOTIFICATION_DAEMON_RETRY_BASE_MS: count(5_000),
  NOTIFICATION_DAEMON_RETRY_MAX_MS: count(900_000),
  NOTIFICATION_DAEMON_SAFETY_INTERVAL_MS: count(60_000),
  NOTIFICATION_DAEMON_TRANSACTION_TIMEOUT_MS: count(300_000),
  NOTIFICATION_DAEMON_PREFETCH: count(10),
  NOTIFICATION_DAEMON_RETENTION_DAYS: count(30),
  NOTIFICATION_DAEMON_RETRY_PARKED_CRON: cronSchedule('7 * * * *'),
  NOTIFICATION_DAEMON_RETENTION_CRON: cronSchedule('17 3 * * *'),
  NOTIFICATION_DAEMON_DISCORD_RETRIES: z.coerce.number().int().min(0).default(3),
  NOTIFICATION_DAEMON_DISCORD_TIMEOUT_MS: count(15_000),
  NOTIFICATION_DAEMON_DISCORD_GLOBAL_RPS: count(50),
});

export interface SchedulerConfig {
  readonly batchSize: number;
  /** Claims (each `batchSize` rows, its own transaction and connection) processed at once. */
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly safetyIntervalMs: number;
  /** Longest one claimed batch (its Discord calls included) may hold its transaction. */
  readonly transactionTimeoutMs: number;
  readonly retentionDays: number;
  readonly retryParkedCron: string;
  readonly retentionCron: string;
}

export interface DiscordConfig {
  readonly botToken: string;
  /** Base API URL without the version, as @discordjs/rest's `api` option. */
  readonly apiUrl: string;
  /** Retries of a 5xx or timed-out call inside one attempt (@discordjs/rest). */
  readonly retries: number;
  readonly timeoutMs: number;
  /** Requests per second allowed across all routes (Discord's global limit). */
  readonly globalRequestsPerSecond: number;
}

export interface Config {
  readonly databaseUrl: string;
  readonly rabbitmqUrl: string;
  readonly rabbitmqNamespace: string;
  readonly serviceName: string;
  readonly logLevel: z.output<typeof configSchema>['LOG_LEVEL'];
  /** Port of the readiness server (/health, /ready); null: none (HEALTH_PORT empty). */
  readonly healthPort: number | null;
  readonly prefetch: number;
  readonly scheduler: SchedulerConfig;
  readonly discord: DiscordConfig;
}

/** Reads and checks the environment; throws DomainError VALIDATION listing every problem. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const raw = parseConfig(configSchema, env, { name: 'notification-daemon' });
  // Masked wherever it could appear: logs, span attributes, error messages.
  registerSecret(raw.DISCORD_BOT_TOKEN);
  return {
    databaseUrl: raw.DATABASE_URL,
    rabbitmqUrl: raw.RABBITMQ_URL,
    rabbitmqNamespace: raw.RABBITMQ_NAMESPACE,
    serviceName: raw.OTEL_SERVICE_NAME,
    logLevel: raw.LOG_LEVEL,
    healthPort: raw.HEALTH_PORT ?? null,
    prefetch: raw.NOTIFICATION_DAEMON_PREFETCH,
    scheduler: {
      batchSize: raw.NOTIFICATION_DAEMON_BATCH_SIZE,
      concurrency: raw.NOTIFICATION_DAEMON_CONCURRENCY,
      maxAttempts: raw.NOTIFICATION_DAEMON_MAX_ATTEMPTS,
      retryBaseMs: raw.NOTIFICATION_DAEMON_RETRY_BASE_MS,
      retryMaxMs: raw.NOTIFICATION_DAEMON_RETRY_MAX_MS,
      safetyIntervalMs: raw.NOTIFICATION_DAEMON_SAFETY_INTERVAL_MS,
      transactionTimeoutMs: raw.NOTIFICATION_DAEMON_TRANSACTION_TIMEOUT_MS,
      retentionDays: raw.NOTIFICATION_DAEMON_RETENTION_DAYS,
      retryParkedCron: raw.NOTIFICATION_DAEMON_RETRY_PARKED_CRON,
      retentionCron: raw.NOTIFICATION_DAEMON_RETENTION_CRON,
    },
    discord: {
      botToken: raw.DISCORD_BOT_TOKEN,
      apiUrl: raw.DISCORD_API_URL.replace(/\/+$/, ''),
      retries: raw.NOTIFICATION_DAEMON_DISCORD_RETRIES,
      timeoutMs: raw.NOTIFICATION_DAEMON_DISCORD_TIMEOUT_MS,
      globalRequestsPerSecond: raw.NOTIFICATION_DAEMON_DISCORD_GLOBAL_RPS,
    },
  };
}
