// Liveness (`/health`: the process answers) and readiness (`/ready`: PostgreSQL, Redis and RabbitMQ
// reachable; 503 naming the ones that are not). Neither is rate limited, and neither starts a trace
// (`traced: false`): the container runtime asks every few seconds, and a trace per probe would tell
// nothing; their requests still count in `http.server.request.duration`. The answer is built by
// checkReadiness, as the daemons' and the bot's readiness server builds theirs.
import { checkReadiness } from '@game-scheduler/telemetry';
import type { FastifyPluginCallback } from 'fastify';
import type { ReadinessChecks } from '../app-deps.ts';
import { errorObject } from '../http/schemas.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: no server span for this route (packages/telemetry/src/fastify-server-spans.ts). */
    traced?: boolean;
  }
}

const DEPENDENCIES = ['postgres', 'redis', 'rabbitmq'] as const;

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
      config: { rateLimit: false, traced: false },
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
      config: { rateLimit: false, traced: false },
      schema: {
        tags: ['health'],
        summary: 'PostgreSQL, Redis and RabbitMQ are reachable',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      // In this order, whatever the order of `readiness`: the 503's message lists them so.
      const { statusCode, body } = await checkReadiness({
        postgres: readiness.postgres,
        redis: readiness.redis,
        rabbitmq: readiness.rabbitmq,
      });
      return reply.code(statusCode).send(body);
    },
  );
  done();
};
