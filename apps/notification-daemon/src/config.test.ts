import { isDomainError } from '@game-scheduler/domain';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const DATABASE_URL = 'postgresql://game:secret@postgres:5432/game_scheduler';
const TOKEN = 'bot-token-that-must-stay-secret';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (isDomainError(error)) return (error.details?.problems as string[] | undefined) ?? [];
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('applies the defaults when only the required variables are set', () => {
    const config = loadConfig({ DATABASE_URL, DISCORD_BOT_TOKEN: TOKEN });
    expect(config).toMatchObject({
      databaseUrl: DATABASE_URL,
      serviceName: 'notification-daemon',
      rabbitmqNamespace: 'game-scheduler',
      discord: { botToken: TOKEN, apiUrl: 'https://discord.com/api', retries: 3 },
      scheduler: { batchSize: 1, concurrency: 4, maxAttempts: 5, retryParkedCron: '7 * * * *' },
    });
  });

  it('points the REST client at DISCORD_API_URL without a trailing slash', () => {
    const config = loadConfig({
      DATABASE_URL,
      DISCORD_BOT_TOKEN: TOKEN,
      DISCORD_API_URL: 'http://127.0.0.1:4100/api/',
    });
    expect(config.discord.apiUrl).toBe('http://127.0.0.1:4100/api');
  });

  it('lists every problem at once, without the token', () => {
    const problems = problemsOf({
      NOTIFICATION_DAEMON_BATCH_SIZE: 'lots',
      DISCORD_API_URL: 'discord',
      NOTIFICATION_DAEMON_RETENTION_CRON: 'often',
    });
    expect(problems).toEqual([
      'DATABASE_URL: is required but not set',
      'DISCORD_BOT_TOKEN: is required but not set',
      expect.stringMatching(/^DISCORD_API_URL: /),
      expect.stringMatching(/^NOTIFICATION_DAEMON_BATCH_SIZE: /),
      expect.stringMatching(/^NOTIFICATION_DAEMON_RETENTION_CRON: /),
    ]);
  });

  it('serves /health and /ready on HEALTH_PORT, and says what is wrong with a bad one', () => {
    expect(loadConfig({ DATABASE_URL, DISCORD_BOT_TOKEN: TOKEN }).healthPort).toBeNull();
    expect(
      loadConfig({ DATABASE_URL, DISCORD_BOT_TOKEN: TOKEN, HEALTH_PORT: '8081' }).healthPort,
    ).toBe(8081);
    expect(problemsOf({ DATABASE_URL, DISCORD_BOT_TOKEN: TOKEN, HEALTH_PORT: 'eighty' })).toEqual([
      'HEALTH_PORT: must be a port number from 0 to 65535 (0: any free port), or empty for none',
    ]);
  });

  it('treats an empty token as missing', () => {
    expect(problemsOf({ DATABASE_URL, DISCORD_BOT_TOKEN: ' ' })).toEqual([
      'DISCORD_BOT_TOKEN: is required but not set',
    ]);
  });
});
