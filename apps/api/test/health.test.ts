import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '@game-scheduler/db';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
let deadRedis: Redis | undefined;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  deadRedis?.disconnect();
  await h.close();
});

describe('health and readiness', () => {
  it('says the process is alive', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when PostgreSQL, Redis and RabbitMQ answer', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      dependencies: { postgres: 'up', redis: 'up', rabbitmq: 'up' },
    });
  });

  it('answers 503 naming Redis when Redis is on a closed port', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    deadRedis = dead;
    dead.on('error', () => undefined);
    const broken = await startHarness({
      readiness: {
        redis: async () => {
          await dead.connect();
          await dead.ping();
        },
      },
    });
    try {
      const response = await broken.app.inject({ method: 'GET', url: '/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        status: 'unavailable',
        dependencies: { postgres: 'up', redis: 'down', rabbitmq: 'up' },
        error: { code: 'DEPENDENCY_UNAVAILABLE', details: { unavailable: ['redis'] } },
      });
    } finally {
      await broken.close();
    }
  });

  it('answers 503 naming PostgreSQL and RabbitMQ when both are on closed ports', async () => {
    const deadPostgres = createPrismaClient('postgresql://postgres@127.0.0.1:1/none', {
      poolSize: 1,
      connectionTimeoutMillis: 1000,
    });
    const broken = await startHarness({
      readiness: {
        postgres: async () => {
          await deadPostgres.$queryRaw`SELECT 1`;
        },
        rabbitmq: async () => {
          const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:1');
          await connection.close();
        },
      },
    });
    try {
      const response = await broken.app.inject({ method: 'GET', url: '/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        status: 'unavailable',
        dependencies: { postgres: 'down', redis: 'up', rabbitmq: 'down' },
        error: { details: { unavailable: ['postgres', 'rabbitmq'] } },
      });
      expect(JSON.stringify(response.json())).not.toContain('127.0.0.1');
    } finally {
      await broken.close();
      await deadPostgres.$disconnect();
    }
  });
});

describe('the HTTP edge', () => {
  it('serves the OpenAPI document and the docs UI without the internet', async () => {
    const json = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    const doc = json.json<{
      openapi: string;
      paths: Record<string, unknown>;
      tags: { name: string }[];
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.tags.map((tag) => tag.name)).toEqual([
      'health',
      'auth',
      'games',
      'guilds',
      'templates',
    ]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/games',
        '/api/v1/games/{gameId}',
        '/api/v1/games/{gameId}/join',
        '/api/v1/me',
        '/api/v1/guilds',
        '/api/v1/guilds/{guildId}',
        '/api/v1/guilds/{guildId}/channels',
        '/api/v1/guilds/{guildId}/channels/{channelId}',
        '/api/v1/guilds/{guildId}/templates',
        '/api/v1/guilds/{guildId}/templates/order',
        '/api/v1/guilds/{guildId}/templates/{templateId}',
        '/ready',
      ]),
    );
    const ui = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
    const script = /src="\.\/(static\/[^"]+\.js)"/.exec(ui.body)?.[1];
    expect(script).toBeDefined();
    const asset = await h.app.inject({ method: 'GET', url: `/docs/${String(script)}` });
    expect(asset.statusCode).toBe(200);
  });

  it('documents a request schema and the success and error responses of every API route', async () => {
    type Operation = {
      requestBody?: { content?: Record<string, { schema?: unknown }> };
      responses?: Record<string, unknown>;
    };
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const undocumented: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses ?? {});
        if (!statuses.some((status) => /^[23]/.test(status)))
          undocumented.push(`${method} ${path} 2xx`);
        if (!statuses.includes('4XX') && !statuses.includes('4xx')) {
          undocumented.push(`${method} ${path} 4xx`);
        }
        const hasBody = ['post', 'put', 'patch'].includes(method);
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        const bodyless =
          path.endsWith('/join') || path.endsWith('/leave') || path.endsWith('/logout');
        if (hasBody && !bodyless && schema === undefined) {
          undocumented.push(`${method} ${path} body`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('answers 503 with a generic message when Discord fails, leaking nothing', async () => {
    const cookie = await h.login('1300000000000000104');
    h.sim.failRoute({
      route: '/guilds/:guildId/members/:userId',
      status: 500,
      times: 1,
      body: { message: 'internal detail 10.0.0.7' },
    });
    const response = await h.app.inject({
      method: 'GET',
      url: '/api/v1/games?guildId=1300000000000000201',
      headers: { cookie },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      error: {
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'A service we depend on is unavailable; try again shortly.',
      },
    });
    const retry = await h.app.inject({
      method: 'GET',
      url: '/api/v1/games?guildId=1300000000000000201',
      headers: { cookie },
    });
    expect(retry.statusCode).toBe(200);
  });

  it('sets security headers on every kind of answer: health, API errors, unknown routes', async () => {
    for (const url of ['/health', '/api/v1/me', '/api/v1/guilds/1300000000000000201', '/nope']) {
      const response = await h.app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(response.headers['content-security-policy'], url).toContain("frame-ancestors 'self'");
      expect(response.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(response.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('answers unknown routes and malformed JSON in the one error shape', async () => {
    const missing = await h.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const broken = await h.app.inject({
      method: 'POST',
      url: '/api/v1/games',
      headers: { 'content-type': 'application/json' },
      payload: '{"title":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('limits requests per client IP, answering 429 RATE_LIMITED', async () => {
    const limited = await startHarness({ rateLimit: { max: 100, ipMax: 3, windowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push((await limited.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const last = await limited.app.inject({ method: 'GET', url: '/api/v1/me' });
      expect(last.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      expect((await limited.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts each client IP on its own, and ignores X-Forwarded-For unless behind a trusted proxy', async () => {
    const direct = await startHarness({ rateLimit: { max: 100, ipMax: 2, windowMs: 60_000 } });
    const proxied = await startHarness({
      rateLimit: { max: 100, ipMax: 2, windowMs: 60_000 },
      trustProxy: true,
    });
    try {
      const from = (h2: Harness, remoteAddress: string, forwardedFor?: string) =>
        h2.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          remoteAddress,
          ...(forwardedFor === undefined ? {} : { headers: { 'x-forwarded-for': forwardedFor } }),
        });
      const a = [await from(direct, '10.0.0.1'), await from(direct, '10.0.0.1')];
      const limited = await from(direct, '10.0.0.1');
      expect([...a, limited].map((r) => r.statusCode)).toEqual([401, 401, 429]);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await from(direct, '10.0.0.2')).statusCode).toBe(401);
      // Without a trusted proxy a client cannot dodge the limit with a made-up X-Forwarded-For.
      expect((await from(direct, '10.0.0.1', '192.0.2.99')).statusCode).toBe(429);
      // Behind the proxy, the clients it forwards for are counted one by one.
      const viaProxy = [
        await from(proxied, '10.0.0.9', '192.0.2.1'),
        await from(proxied, '10.0.0.9', '192.0.2.1'),
        await from(proxied, '10.0.0.9', '192.0.2.1'),
        await from(proxied, '10.0.0.9', '192.0.2.2'),
      ];
      expect(viaProxy.map((r) => r.statusCode)).toEqual([401, 401, 429, 401]);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });

  it('limits requests per session', async () => {
    const limited = await startHarness({ rateLimit: { max: 2, ipMax: 1000, windowMs: 60_000 } });
    try {
      const cookie = await limited.login('1300000000000000102');
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await limited.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { cookie },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([200, 200, 429]);
      const anonymous = await limited.app.inject({ method: 'GET', url: '/api/v1/me' });
      expect(anonymous.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
