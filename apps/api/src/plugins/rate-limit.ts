// Rate limits kept in Redis (shared by every replica): every request counts against its client IP,
// and requests carrying a session cookie also against the session. Probes are not limited.
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { DomainError } from '@game-scheduler/domain';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './sessions.ts';

function sessionCookie(request: FastifyRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

export const rateLimitPlugin = fp(
  async (app) => {
    const { settings, redis } = app.deps;
    const exceeded = (_request: FastifyRequest, context: { after: string }) =>
      new DomainError('RATE_LIMITED', `Too many requests; retry in ${context.after}`);
    await app.register(rateLimit, {
      global: true,
      redis,
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
