// The OpenAPI document built from the route schemas, served at /docs/json, with the UI at /docs
// (its assets are bundled in @fastify/swagger-ui, so it works offline).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

export const swaggerPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Game Scheduler API',
          version: '1.0.0',
          description:
            'Games for Discord communities: sign in with Discord, create and join games, configure a guild.',
        },
        tags: [
          { name: 'health', description: 'Liveness and readiness' },
          { name: 'auth', description: 'Discord sign-in, the session and the signed-in user' },
          { name: 'games', description: 'Games, their rosters and waitlists' },
          {
            name: 'guilds',
            description:
              'Guild settings and channels: members read; bot managers and administrators change',
          },
          {
            name: 'templates',
            description: 'Defaults for new games; allowed roles limit creating and joining',
          },
        ],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'gs_session' },
          },
        },
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, index) =>
          typeof json['$id'] === 'string' ? json['$id'] : `def-${String(index)}`,
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  },
  { name: 'swagger' },
);
