// Liveness (`/health`: the process answers) and readiness (`/ready`: PostgreSQL, Redis and RabbitMQ
// reachable; 503 naming the ones that are not). Neither is rate limited.
import type { FastifyPluginCallback } from 'fastify';
import type { ReadinessChecks } from '../app-deps.ts';
import { errorObject } from '../http/schemas.ts';

const CHECK_TIMEOUT_MS = 2_000;
const DEPENDENCIES = ['postgres', 'redis', 'rabbitmq'] as const;

async function probe(check: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error('timed out'));
    }, CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const statusSchema = { type: 'string', enum: ['up', 'down'] } as const;
const readySchema = {
  type: 'object',
  required: ['status', 'dependencies'],
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    dependencies: {
      type: 'object',
      required: [...DEPENDENCIES],
      properties: { postgres: statusSchema, redis: statusSchema, rabbitmq: statusSchema },
    },
    error: errorObject,
  },
} as const;

export const healthRoutes: FastifyPluginCallback<{ readiness: ReadinessChecks }> = (
  app,
  { readiness },
  done,
) => {
  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['health'],
        summary: 'The process is alive',
        response: {
          200: {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'string', enum: ['ok'] } },
          },
        },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['health'],
        summary: 'PostgreSQL, Redis and RabbitMQ are reachable',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(DEPENDENCIES.map((name) => probe(readiness[name])));
      const dependencies = Object.fromEntries(
        DEPENDENCIES.map((name, i) => [name, results[i] === true ? 'up' : 'down']),
      ) as Record<(typeof DEPENDENCIES)[number], 'up' | 'down'>;
      const down = DEPENDENCIES.filter((name) => dependencies[name] === 'down');
      if (down.length === 0) return { status: 'ready' as const, dependencies };
      return reply.code(503).send({
        status: 'unavailable' as const,
        dependencies,
        error: {
          code: 'DEPENDENCY_UNAVAILABLE' as const,
          message: `Unreachable: ${down.join(', ')}`,
          details: { unavailable: down },
        },
      });
    },
  );
  done();
};
