// docker/healthcheck.ts, the containers' healthcheck, run as Docker runs it: a process whose exit
// status says healthy (0) or not (1). The real services behind it are in the e2e restart tests.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthcheckTarget } from '../../../docker/healthcheck.ts';

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

/** What /ready answers, as the API and the readiness server of the daemons and the bot answer. */
let ready: { status: number; body: unknown } = { status: 200, body: { status: 'ready' } };
let service: Server;
let port = '';

beforeAll(async () => {
  service = createServer((request, response) => {
    if (request.url !== '/ready') {
      response.writeHead(404).end('{}');
      return;
    }
    response
      .writeHead(ready.status, { 'content-type': 'application/json' })
      .end(JSON.stringify(ready.body));
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  port = String((service.address() as AddressInfo).port);
});

afterAll(async () => {
  await new Promise((resolve) => service.close(resolve));
});

const unavailable = {
  status: 503,
  body: {
    status: 'unavailable',
    dependencies: { postgres: 'up', rabbitmq: 'down' },
    error: {
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'Unreachable: rabbitmq',
      details: { unavailable: ['rabbitmq'] },
    },
  },
};

describe('the container healthcheck', () => {
  it('picks what to check from its argument, then API_PORT, then HEALTH_PORT', () => {
    expect(healthcheckTarget(['http://x/_sim/health'], { API_PORT: '3000' })).toBe(
      'http://x/_sim/health',
    );
    expect(healthcheckTarget([], { API_PORT: '3000', HEALTH_PORT: '8081' })).toBe(
      'http://127.0.0.1:3000/ready',
    );
    expect(healthcheckTarget([], { API_PORT: '', HEALTH_PORT: '8081' })).toBe(
      'http://127.0.0.1:8081/ready',
    );
  });

  for (const variable of ['API_PORT', 'HEALTH_PORT']) {
    it(`asks /ready on ${variable}, and says what is down when it answers 503`, async () => {
      ready = { status: 200, body: { status: 'ready' } };
      const healthy = await healthcheck({ [variable]: port });
      expect(healthy.code).toBe(0);
      expect(healthy.output).toBe(`http://127.0.0.1:${port}/ready answers 2xx: 200\n`);
      ready = unavailable;
      const down = await healthcheck({ [variable]: port });
      expect(down.code).toBe(1);
      expect(down.output).toBe(
        `http://127.0.0.1:${port}/ready does not answer 2xx: 503 (Unreachable: rabbitmq)\n`,
      );
    });
  }

  it('checks a URL given as its argument (the local Discord), and fails when nothing answers', async () => {
    ready = { status: 200, body: { status: 'ready' } };
    expect((await healthcheck({}, `http://127.0.0.1:${port}/ready`)).code).toBe(0);
    const nothing = await healthcheck({}, 'http://127.0.0.1:1/_sim/health');
    expect(nothing.code).toBe(1);
    expect(nothing.output).toMatch(/^unhealthy: /);
  });

  it('says what is missing when it has nothing to check, or a port it cannot know', async () => {
    const nothing = await healthcheck({});
    expect(nothing.code).toBe(1);
    expect(nothing.output).toBe(
      'unhealthy: API_PORT or HEALTH_PORT must be set (or pass a URL to check)\n',
    );
    const anyPort = await healthcheck({ HEALTH_PORT: '0' });
    expect(anyPort.code).toBe(1);
    expect(anyPort.output).toBe(
      'unhealthy: HEALTH_PORT=0 lets the service pick its port: set the port to check\n',
    );
  });
});
