import { isDomainError } from '@game-scheduler/domain';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadDeployConfig } from './config.ts';

const DATABASE_URL = 'postgresql://game:secret@postgres:5432/game_scheduler';
const TOKEN = 'bot-token-that-must-stay-secret';
const CLIENT_ID = '1300000000000000001';

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (isDomainError(error)) return (error.details?.problems as string[] | undefined) ?? [];
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('applies the defaults when only the required variables are set', () => {
    const config = loadConfig({
      DATABASE_URL,
      DISCORD_BOT_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: CLIENT_ID,
    });
    expect(config).toMatchObject({
      databaseUrl: DATABASE_URL,
      databasePoolSize: 20,
      serviceName: 'bot',
      rabbitmqNamespace: 'game-scheduler',
      prefetch: 10,
      announcementDelayMs: 250,
      healthPort: null,
      discord: {
        botToken: TOKEN,
        applicationId: CLIENT_ID,
        apiUrl: 'https://discord.com/api',
        timeoutMs: 15_000,
        commandsGuildId: null,
      },
    });
  });

  it('lists every problem at once, without the token', () => {
    const problems = problemsOf(() =>
      loadConfig({
        DISCORD_BOT_TOKEN: TOKEN,
        DISCORD_CLIENT_ID: 'my-bot',
        BOT_PREFETCH: '0',
        BOT_COMMANDS_GUILD_ID: 'game-night',
        HEALTH_PORT: '-1',
      }),
    );
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'DATABASE_URL',
      'DISCORD_CLIENT_ID',
      'HEALTH_PORT',
      'BOT_PREFETCH',
      'BOT_COMMANDS_GUILD_ID',
    ]);
    expect(problems.join(' ')).not.toContain(TOKEN);
  });
});

describe('HEALTH_PORT', () => {
  it('is the port of the bot’s /health and /ready, none when empty', () => {
    const env = { DATABASE_URL, DISCORD_BOT_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT_ID };
    expect(loadConfig({ ...env, HEALTH_PORT: '8081' }).healthPort).toBe(8081);
    expect(loadConfig({ ...env, HEALTH_PORT: '' }).healthPort).toBeNull();
  });
});

describe('loadDeployConfig', () => {
  it('needs only the Discord application, not the database or the broker', () => {
    const config = loadDeployConfig({
      DISCORD_BOT_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: CLIENT_ID,
      DISCORD_API_URL: 'http://127.0.0.1:4100/api/',
      BOT_COMMANDS_GUILD_ID: '1300000000000000201',
    });
    expect(config.discord).toMatchObject({
      apiUrl: 'http://127.0.0.1:4100/api',
      commandsGuildId: '1300000000000000201',
    });
  });
});
