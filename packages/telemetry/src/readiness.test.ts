// The readiness server of the daemons and the bot (and checkReadiness, which the API's /ready uses
// too), over real HTTP.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkReadiness,
  isReadinessRequest,
  startReadinessServer,
  type ReadinessCheck,
  type ReadinessServer,
} from './readiness.ts';

const run = promisify(execFile);
const started: ReadinessServer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

async function serve(
  checks: Record<string, ReadinessCheck>,
  timeoutMs?: number,
): Promise<ReadinessServer> {
  const server = await startReadinessServer({
    port: 0,
    host: '127.0.0.1',
    checks,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  started.push(server);
  return server;
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

const up: ReadinessCheck = () => Promise.resolve();
const never: ReadinessCheck = () => new Promise<void>(() => undefined);

describe('the readiness server', () => {
  it('answers /health while the process runs and /ready 200 when every check passes', async () => {
    let connected = true;
    const server = await serve({
      postgres: up,
      rabbitmq: () => {
        if (!connected) throw new Error('not connected');
      },
    });
    expect(await get(`${server.url}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${server.url}/ready`)).toEqual({
      status: 200,
      body: { status: 'ready', dependencies: { postgres: 'up', rabbitmq: 'up' } },
    });
    connected = false;
    expect(await get(`${server.url}/ready?verbose=1`)).toMatchObject({
      status: 503,
      body: { dependencies: { postgres: 'up', rabbitmq: 'down' } },
    });
    connected = true;
    expect((await get(`${server.url}/ready`)).status).toBe(200);
  });

  it('answers /ready 503 naming each dependency whose check threw, rejected or outlasted its timeout', async () => {
    const server = await serve(
      {
        postgres: never,
        redis: up,
        rabbitmq: () => Promise.reject(new Error('gone')),
        discord: () => {
          throw new Error('gateway closed');
        },
      },
      100,
    );
    const response = await fetch(`${server.url}/ready`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      dependencies: { postgres: 'down', redis: 'up', rabbitmq: 'down', discord: 'down' },
      error: {
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'Unreachable: postgres, rabbitmq, discord',
        details: { unavailable: ['postgres', 'rabbitmq', 'discord'] },
      },
    });
  });

  it('answers 404 for anything else, and HEAD without a body', async () => {
    const server = await serve({ postgres: up });
    const notFound = { error: { code: 'NOT_FOUND', message: 'Not found' } };
    expect(await get(`${server.url}/`)).toEqual({ status: 404, body: notFound });
    expect(await get(`${server.url}/metrics`)).toEqual({ status: 404, body: notFound });
    expect(await get(`${server.url}/ready`, { method: 'POST' })).toEqual({
      status: 404,
      body: notFound,
    });
    expect(await get(`${server.url}/ready`, { method: 'HEAD' })).toEqual({
      status: 200,
      body: undefined,
    });
  });

  it('stops answering once closed (twice is fine)', async () => {
    const server = await serve({ postgres: up });
    expect((await get(`${server.url}/health`)).status).toBe(200);
    await server.close();
    await server.close();
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('says which port it cannot listen on, with the error code', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(
        startReadinessServer({ port, host: '127.0.0.1', checks: { postgres: up } }),
      ).rejects.toMatchObject({
        code: 'EADDRINUSE',
        message: expect.stringContaining(
          `Readiness server cannot listen on 127.0.0.1:${String(port)}`,
        ) as unknown,
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('does not keep the process alive', async () => {
    const module = fileURLToPath(new URL('./readiness.ts', import.meta.url));
    const script = `
      const { startReadinessServer } = await import(${JSON.stringify(module)});
      const server = await startReadinessServer({ port: 0, host: '127.0.0.1', checks: {} });
      const answer = await fetch(server.url + '/ready');
      process.stdout.write(String(answer.status));
    `;
    // Resolves only if the process exits by itself (the test's timeout fails it otherwise).
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(stdout).toBe('200');
  });
});

describe('checkReadiness', () => {
  it('reports the dependencies in the order of the checks', async () => {
    const report = await checkReadiness({ b: up, a: () => Promise.reject(new Error('x')) });
    expect(report.statusCode).toBe(503);
    expect(Object.keys(report.body.dependencies)).toEqual(['b', 'a']);
    expect(report.body.error?.details.unavailable).toEqual(['a']);
  });

  it('is ready with no dependencies at all', async () => {
    expect(await checkReadiness({})).toEqual({
      statusCode: 200,
      body: { status: 'ready', dependencies: {} },
    });
  });
});

describe('isReadinessRequest', () => {
  it('tells the readiness server’s requests from any other', () => {
    expect(isReadinessRequest({})).toBe(false);
    expect(isReadinessRequest(null)).toBe(false);
    expect(isReadinessRequest('request')).toBe(false);
  });
});
