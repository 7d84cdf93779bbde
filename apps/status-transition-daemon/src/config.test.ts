import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDomainError } from '@game-scheduler/domain';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from './config.ts';

const DATABASE_URL = 'postgresql://game:secret@postgres:5432/game_scheduler';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (isDomainError(error, 'VALIDATION')) return error.details?.problems as string[];
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfig', () => {
  it('needs only DATABASE_URL and fills in every default', () => {
    expect(loadConfig({ DATABASE_URL })).toEqual({
      databaseUrl: DATABASE_URL,
      rabbitmqUrl: 'amqp://guest:guest@rabbitmq:5672',
      rabbitmqNamespace: 'game-scheduler',
      serviceName: 'status-transition-daemon',
      logLevel: 'info',
      healthPort: null,
      prefetch: 10,
      scheduler: {
        batchSize: 10,
        maxAttempts: 5,
        retryBaseMs: 5_000,
        retryMaxMs: 900_000,
        safetyIntervalMs: 60_000,
        retentionDays: 30,
        retryParkedCron: '7 * * * *',
        retentionCron: '17 3 * * *',
      },
    });
  });

  it('reads numbers and schedules from the environment', () => {
    const config = loadConfig({
      DATABASE_URL,
      STATUS_DAEMON_BATCH_SIZE: '25',
      STATUS_DAEMON_RETENTION_CRON: '0 4 * * *',
    });
    expect(config.scheduler.batchSize).toBe(25);
    expect(config.scheduler.retentionCron).toBe('0 4 * * *');
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      RABBITMQ_URL: 'http://rabbitmq',
      STATUS_DAEMON_BATCH_SIZE: 'many',
      STATUS_DAEMON_RETRY_PARKED_CRON: 'hourly',
    });
    expect(problems).toEqual([
      'DATABASE_URL: is required but not set',
      'RABBITMQ_URL: must be an amqp:// or amqps:// URL',
      expect.stringMatching(/^STATUS_DAEMON_BATCH_SIZE: /),
      'STATUS_DAEMON_RETRY_PARKED_CRON: must be a cron expression (e.g. "7 * * * *")',
    ]);
  });

  it('serves /health and /ready on HEALTH_PORT, and says what is wrong with a bad one', () => {
    expect(loadConfig({ DATABASE_URL, HEALTH_PORT: '8081' }).healthPort).toBe(8081);
    expect(loadConfig({ DATABASE_URL, HEALTH_PORT: '' }).healthPort).toBeNull();
    expect(problemsOf({ DATABASE_URL, HEALTH_PORT: '80801' })).toEqual([
      'HEALTH_PORT: must be a port number from 0 to 65535 (0: any free port), or empty for none',
    ]);
  });

  it('rejects a database URL that is not PostgreSQL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://db/x' })).toEqual([
      'DATABASE_URL: must be a postgresql:// URL',
    ]);
  });
});

describe('the documentation of the configuration', () => {
  const root = join(import.meta.dirname, '..', '..', '..');
  const variables = Object.keys(configSchema.shape);

  it('documents every variable the daemon reads in RUNTIME_CONFIG.md', () => {
    const documented = readFileSync(join(root, 'RUNTIME_CONFIG.md'), 'utf8');
    expect(variables.filter((name) => !documented.includes(`| \`${name}\``))).toEqual([]);
  });

  it('lists every variable the daemon reads in .env.example', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    expect(variables.filter((name) => !new RegExp(`^${name}=`, 'm').test(example))).toEqual([]);
  });
});
