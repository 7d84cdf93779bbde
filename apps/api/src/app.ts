// The fastify application: one plugin per concern, routes by resource under /api/v1. Tests call
// createApp(deps) directly; main.ts builds the deps from the configuration.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.ts';
import { sharedSchemas } from './http/schemas.ts';
import { cookiesPlugin } from './plugins/cookies.ts';
import { depsPlugin } from './plugins/deps.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { sessionsPlugin } from './plugins/sessions.ts';
import { swaggerPlugin } from './plugins/swagger.ts';
import { authRoutes } from './routes/auth.ts';
import { gameRoutes } from './routes/games.ts';
import { guildRoutes } from './routes/guilds.ts';
import { healthRoutes } from './routes/health.ts';
import { meRoutes } from './routes/me.ts';
import { templateRoutes } from './routes/templates.ts';

export const SERVICE = 'api';
export const API_PREFIX = '/api/v1';

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify<Server, IncomingMessage, ServerResponse>({
    loggerInstance: deps.logger,
    disableRequestLogging: true,
    trustProxy: deps.settings.trustProxy,
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  for (const schema of sharedSchemas) app.addSchema(schema);
  await app.register(depsPlugin, { deps });
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin);
  await app.register(cookiesPlugin);
  await app.register(rateLimitPlugin);
  await app.register(sessionsPlugin);
  await app.register(swaggerPlugin);
  await app.register(healthRoutes, { readiness: deps.readiness });
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(meRoutes);
      await api.register(gameRoutes);
      await api.register(guildRoutes);
      await api.register(templateRoutes);
    },
    { prefix: API_PREFIX },
  );
  await app.ready();
  return app;
}
