import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const required = {
  DATABASE_URL: 'postgresql://game@localhost:5432/game_scheduler',
  DISCORD_CLIENT_ID: '1300000000000000001',
  DISCORD_CLIENT_SECRET: 'discord-sim-client-secret',
  DISCORD_BOT_TOKEN: 'discord-sim-bot-token',
};

describe('loadConfig', () => {
  it('fills every default from the required variables alone', () => {
    const config = loadConfig(required);
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.api.environment).toBe('production');
    expect(config.api.discord.apiUrl).toBe('https://discord.com/api/v10');
    expect(config.api.rateLimit).toEqual({ max: 300, ipMax: 600, windowMs: 60_000 });
  });

  it('adds the API version to DISCORD_API_URL', () => {
    const config = loadConfig({ ...required, DISCORD_API_URL: 'http://discord-sim:4100/api/' });
    expect(config.api.discord.apiUrl).toBe('http://discord-sim:4100/api/v10');
  });

  it('lists every problem at once', () => {
    expect(() =>
      loadConfig({ DATABASE_URL: 'mysql://x', API_PORT: 'eighty', REDIS_URL: 'http://x' }),
    ).toThrow(/DATABASE_URL[\s\S]*REDIS_URL|REDIS_URL[\s\S]*DATABASE_URL/);
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', API_PORT: 'eighty' });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['DATABASE_URL', 'API_PORT', 'DISCORD_CLIENT_ID', 'DISCORD_BOT_TOKEN']) {
      expect(message).toContain(name);
    }
  });
});
