// The daemon's configuration: the ONLY place that reads process.env. Every problem is reported at
// once (parseConfig throws DomainError VALIDATION with all of them on one line).
import {
  count,
  healthPort,
  logLevel,
  parseConfig,
  postgresUrl,
  rabbitmqNamespace,
  rabbitmqUrl,
} from '@game-scheduler/config';
import { cronSchedule } from '@game-scheduler/scheduler';
import { z } from 'zod';

export const configSchema = z.object({
  DATABASE_URL: postgresUrl,
  RABBITMQ_URL: rabbitmqUrl,
  RABBITMQ_NAMESPACE: rabbitmqNamespace,
  OTEL_SERVICE_NAME: z.string().default('status-transition-daemon'),
  LOG_LEVEL: logLevel,
  HEALTH_PORT: healthPort,
  STATUS_DAEMON_BATCH_SIZE: count(10),
  STATUS_DAEMON_MAX_ATTEMPTS: count(5),
  STATUS_DAEMON_RETRY_BASE_MS: count(5_000),
  STATUS_DAEMON_RETRY_MAX_MS: count(900_000),
  STATUS_DAEMON_SAFETY_INTERVAL_MS: count(60_000),
  STATUS_DAEMON_PREFETCH: count(10),
  STATUS_DAEMON_RETENTION_DAYS: count(30),
  STATUS_DAEMON_RETRY_PARKED_CRON: cronSchedule('7 * * * *'),
  STATUS_DAEMON_RETENTION_CRON: cronSchedule('17 3 * * *'),
});

export interface Config {
  readonly databaseUrl: string;
  readonly rabbitmqUrl: string;
  readonly rabbitmqNamespace: string;
  readonly serviceName: string;
  readonly logLevel: z.output<typeof configSchema>['LOG_LEVEL'];
  /** Port of the readiness server (/health, /ready); null: none (HEALTH_PORT empty). */
  readonly healthPort: number | null;
  readonly scheduler: SchedulerConfig;
  readonly prefetch: number;
}

export interface SchedulerConfig {
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly safetyIntervalMs: number;
  readonly retentionDays: number;
  readonly retryParkedCron: string;
  readonly retentionCron: string;
}

/** Reads and checks the environment; throws DomainError VALIDATION listing every problem. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const raw = parseConfig(configSchema, env, { name: 'status-transition-daemon' });
  return {
    databaseUrl: raw.DATABASE_URL,
    rabbitmqUrl: raw.RABBITMQ_URL,
    rabbitmqNamespace: raw.RABBITMQ_NAMESPACE,
    serviceName: raw.OTEL_SERVICE_NAME,
    logLevel: raw.LOG_LEVEL,
    healthPort: raw.HEALTH_PORT ?? null,
    prefetch: raw.STATUS_DAEMON_PREFETCH,
    scheduler: {
      batchSize: raw.STATUS_DAEMON_BATCH_SIZE,
      maxAttempts: raw.STATUS_DAEMON_MAX_ATTEMPTS,
      retryBaseMs: raw.STATUS_DAEMON_RETRY_BASE_MS,
      retryMaxMs: raw.STATUS_DAEMON_RETRY_MAX_MS,
      safetyIntervalMs: raw.STATUS_DAEMON_SAFETY_INTERVAL_MS,
      retentionDays: raw.STATUS_DAEMON_RETENTION_DAYS,
      retryParkedCron: raw.STATUS_DAEMON_RETRY_PARKED_CRON,
      retentionCron: raw.STATUS_DAEMON_RETENTION_CRON,
    },
  };
}
