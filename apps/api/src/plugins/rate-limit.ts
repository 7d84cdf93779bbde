// Rate limits kept in Redis (shared by every replica): every request counts against its client IP,
// and requests carrying a session cookie also against the session. Probes are not limited.
// The limiter's two Redis scripts per request are not traced: two of a list request's eight spans,
// telling nothing (their time stays inside the server span) and costing the telemetry budget.
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { DomainError } from '@game-scheduler/domain';
import { untraced } from '@game-scheduler/telemetry';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { SESSION_COOKIE } from './sessions.ts';

function sessionCookie(request: FastifyRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

/** @fastify/rate-limit's Redis commands (defined on the client by its store). */
const LIMITER_COMMANDS = new Set<PropertyKey>(['rateLimit', 'rateLimitRead']);

/** The same client, with the limiter's commands run untraced. */
function untracedLimiterClient(redis: Redis): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (!LIMITER_COMMANDS.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]): unknown =>
        untraced((): unknown => Reflect.apply(value as (...a: unknown[]) => unknown, target, args));
    },
  });
}

export const rateLimitPlugin = fp(
  async (app) => {
    const { settings, redis } = app.deps;
    const exceeded = (_request: FastifyRequest, context: { after: string }) =>
      new DomainError('RATE_LIMITED', `Too many requests; retry in ${context.after}`);
    await app.register(rateLimit, {
      global: true,
      redis: untracedLimiterClient(redis),
      nameSpace: `${settings.redisKeyPrefix}rl-ip:`,
      max: settings.rateLimit.ipMax,
      timeWindow: settings.rateLimit.windowMs,
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: exceeded,
      skipOnError: true,
    });
    const perSession = app.createRateLimit({
      skipOnError: true,
      max: settings.rateLimit.max,
      timeWindow: settings.rateLimit.windowMs,
      keyGenerator: (request) =>
        `session:${createHash('sha256')
          .update(sessionCookie(request) ?? '')
          .digest('base64url')}`,
    });
    app.addHook('onRequest', async (request, reply) => {
      if (sessionCookie(request) === undefined) return;
      if (request.routeOptions.config.rateLimit === false) return;
      const result = await perSession(request);
      if (!result.isAllowed && result.isExceeded) {
        void reply.header('retry-after', String(result.ttlInSeconds));
        throw new DomainError(
          'RATE_LIMITED',
          `Too many requests for this session; retry in ${String(result.ttlInSeconds)} s`,
        );
      }
    });
  },
  { name: 'rate-limit', dependencies: ['deps', 'cookies'] },
);
