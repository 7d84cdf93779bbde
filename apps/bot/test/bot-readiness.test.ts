// The bot's readiness server (HEALTH_PORT): /ready reports PostgreSQL, RabbitMQ and the Discord
// gateway, and the container healthcheck (docker/healthcheck.ts) fails once the gateway is gone for
// good. PostgreSQL and RabbitMQ restarted under it: tests/e2e/test/dependency-restart.test.ts.
import { join } from 'node:path';
import { eventually, runToExit } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from './support/world.ts';

let world: World;
let health = '';
let healthPort = 0;

beforeAll(async () => {
  // 0: a free port, which the bot reports in its started line.
  world = await createWorld('bot_ready', { env: { HEALTH_PORT: '0' } });
  const started = /\{[^\n]*"Bot started"[^\n]*\}/.exec(world.bot.output());
  healthPort = (JSON.parse(started?.[0] ?? '{}') as { healthPort: number }).healthPort;
  health = `http://127.0.0.1:${String(healthPort)}`;
}, 90_000);

afterAll(async () => {
  await world.close();
});

async function ready(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${health}/ready`);
  return { status: response.status, body: await response.json() };
}

/** docker/healthcheck.ts as the bot's container runs it. */
async function healthcheck(): Promise<{ code: number | null; output: string }> {
  return runToExit({
    cwd: join(import.meta.dirname, '..'),
    entry: '../../docker/healthcheck.ts',
    preload: false,
    env: { HEALTH_PORT: String(healthPort) },
  });
}

describe('the bot’s readiness server', () => {
  it('is ready with PostgreSQL, RabbitMQ and the gateway up, and the healthcheck passes', async () => {
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ready', dependencies: { postgres: 'up', rabbitmq: 'up', discord: 'up' } },
    });
    expect(await (await fetch(`${health}/health`)).json()).toEqual({ status: 'ok' });
    expect(await healthcheck()).toMatchObject({ code: 0 });
  });

  it('is ready again by itself after the gateway dropped the connection and the bot resumed', async () => {
    const connections = world.sim.gatewayLog().length;
    world.sim.dropGatewayConnections();
    await eventually(
      async () =>
        world.sim.gatewayLog().length > connections &&
        world.sim.gatewayConnectionCount === 1 &&
        (await ready()).status === 200
          ? true
          : undefined,
      { timeoutMs: 30_000 },
    );
  });

  it('answers 503 naming discord once the gateway closed for good, and the healthcheck fails', async () => {
    // 4004 (authentication failed): discord.js does not reconnect.
    world.sim.dropGatewayConnections(4004);
    const down = await eventually(
      async () => {
        const answer = await ready();
        return answer.status === 503 ? answer : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(down.body).toEqual({
      status: 'unavailable',
      dependencies: { postgres: 'up', rabbitmq: 'up', discord: 'down' },
      error: {
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'Unreachable: discord',
        details: { unavailable: ['discord'] },
      },
    });
    const check = await healthcheck();
    expect(check.code).toBe(1);
    expect(check.output).toContain('does not answer 2xx: 503 (Unreachable: discord)');
  });

  it('closes with the bot on SIGTERM', async () => {
    expect(await world.bot.stop()).toBe(0);
    await expect(fetch(`${health}/health`)).rejects.toThrow();
  });
});
