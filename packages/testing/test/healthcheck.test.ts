// docker/healthcheck.ts, the containers' healthcheck, run as Docker runs it: a process whose exit
// status says healthy (0) or not (1).
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthcheckTarget } from '../../../docker/healthcheck.ts';
import { getServices, uniqueName } from '../src/index.ts';

const run = promisify(execFile);
const script = join(import.meta.dirname, '..', '..', '..', 'docker', 'healthcheck.ts');

async function healthcheck(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: failed.stdout ?? '' };
  }
}

let ready = 200;
let api: Server;
let apiPort = 0;

beforeAll(async () => {
  api = createServer((request, response) => {
    response.writeHead(request.url === '/ready' ? ready : 404).end('{}');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiPort = (api.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
});

describe('the container healthcheck', () => {
  it('picks what to check from its argument, then API_PORT, then the service’s database connection', () => {
    expect(healthcheckTarget(['http://x/_sim/health'], { API_PORT: '3000' })).toEqual({
      kind: 'http',
      url: 'http://x/_sim/health',
    });
    expect(healthcheckTarget([], { API_PORT: '3000', DATABASE_URL: 'postgresql://db/x' })).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:3000/ready',
    });
    expect(
      healthcheckTarget([], { DATABASE_URL: 'postgresql://db/x', OTEL_SERVICE_NAME: 'bot' }),
    ).toEqual({
      kind: 'database',
      check: { databaseUrl: 'postgresql://db/x', applicationName: 'bot' },
    });
  });

  it('finds a daemon healthy while it holds its PostgreSQL connection, and unhealthy once it is gone', async () => {
    const { databaseUrl } = getServices();
    const name = uniqueName('healthcheck-daemon');
    const env = { DATABASE_URL: databaseUrl, OTEL_SERVICE_NAME: name };
    expect((await healthcheck(env)).code).toBe(1);

    // The daemons name their connections after their service (`<name>`, `<name>-listener`, …).
    const connection = new pg.Client({
      connectionString: databaseUrl,
      application_name: `${name}-listener`,
    });
    await connection.connect();
    const healthy = await healthcheck(env);
    expect(healthy.output).toContain('holds PostgreSQL connection');
    expect(healthy.code).toBe(0);

    await connection.end();
    const gone = await healthcheck(env);
    expect(gone.code).toBe(1);
    expect(gone.output).toContain('holds no PostgreSQL connection');
  });

  it('asks the API for /ready on API_PORT', async () => {
    ready = 200;
    expect((await healthcheck({ API_PORT: String(apiPort) })).code).toBe(0);
    ready = 503;
    const unavailable = await healthcheck({ API_PORT: String(apiPort) });
    expect(unavailable.code).toBe(1);
    expect(unavailable.output).toContain('/ready does not answer 2xx');
  });

  it('checks a URL given as its argument (the local Discord), and fails when nothing answers', async () => {
    ready = 200;
    expect((await healthcheck({}, `http://127.0.0.1:${String(apiPort)}/ready`)).code).toBe(0);
    const nothing = await healthcheck({}, 'http://127.0.0.1:1/_sim/health');
    expect(nothing.code).toBe(1);
    expect(nothing.output).toMatch(/^unhealthy: /);
  });

  it('says what is missing when it has nothing to check', async () => {
    const result = await healthcheck({});
    expect(result.code).toBe(1);
    expect(result.output).toContain('DATABASE_URL and OTEL_SERVICE_NAME must be set');
  });
});
