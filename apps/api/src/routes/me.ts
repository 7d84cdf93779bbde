// The signed-in user and their Discord guilds.
import type { FastifyPluginCallback } from 'fastify';
import { DiscordUnauthorizedError } from '../discord/discord-client.ts';
import { errorResponses } from '../http/schemas.ts';

export const meRoutes: FastifyPluginCallback = (app, _options, done) => {
  app.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and their guilds',
        security: [{ session: [] }],
        response: {
          200: {
            type: 'object',
            required: ['user', 'guilds'],
            properties: {
              user: {
                type: 'object',
                required: ['id', 'username', 'globalName', 'avatar'],
                properties: {
                  id: { type: 'string' },
                  username: { type: 'string' },
                  globalName: { type: ['string', 'null'] },
                  avatar: { type: ['string', 'null'] },
                },
              },
              guilds: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'name', 'icon', 'owner'],
                  properties: {
                    id: { type: 'string' },
                    name: { type: 'string' },
                    icon: { type: ['string', 'null'] },
                    owner: { type: 'boolean' },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const session = await app.sessions.require(request);
      const accessToken = await app.sessions.accessToken(session);
      const guilds = await app.guildAccess
        .userGuilds(session.userId, accessToken)
        .catch(async (error: unknown) => {
          // Revoked on Discord's side: this session can do nothing more.
          if (error instanceof DiscordUnauthorizedError) await app.sessionStore.destroy(session.id);
          throw error;
        });
      return {
        user: {
          id: session.userId,
          username: session.username,
          globalName: session.globalName,
          avatar: session.avatar,
        },
        guilds,
      };
    },
  );
  done();
};
