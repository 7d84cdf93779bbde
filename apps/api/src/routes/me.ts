// The signed-in user, their time zone and their Discord guilds.
import { timeZoneName } from '@game-scheduler/games';
import type { FastifyPluginCallback } from 'fastify';
import { userGuildsOf } from '../auth/user-guilds.ts';
import { errorResponses } from '../http/schemas.ts';

const userSchema = {
  type: 'object',
  required: ['id', 'username', 'globalName', 'avatar', 'timeZone'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    globalName: { type: ['string', 'null'] },
    avatar: { type: ['string', 'null'] },
    timeZone: {
      type: ['string', 'null'],
      description: "IANA time zone for showing times; null means the guild's",
    },
  },
} as const;

export const meRoutes: FastifyPluginCallback = (app, _options, done) => {
  const { prisma } = app.deps;

  async function timeZoneOf(userId: string): Promise<string | null> {
    const row = await prisma.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
    return row?.timeZone ?? null;
  }

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
              user: userSchema,
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
      const guilds = await userGuildsOf(app, session);
      return {
        user: {
          id: session.userId,
          username: session.username,
          globalName: session.globalName,
          avatar: session.avatar,
          timeZone: await timeZoneOf(session.userId),
        },
        guilds,
      };
    },
  );

  app.patch<{ Body: { timeZone: string | null } }>(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: "Set the user's own time zone (null: use the guild's)",
        security: [{ session: [] }],
        body: {
          type: 'object',
          required: ['timeZone'],
          additionalProperties: false,
          properties: {
            timeZone: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
          },
        },
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => {
      const session = await app.sessions.require(request);
      const { timeZone } = request.body;
      const zone = timeZone === null ? null : timeZoneName(timeZone, 'timeZone');
      const user = await prisma.user.update({
        where: { id: session.userId },
        data: { timeZone: zone },
      });
      return {
        id: user.id,
        username: session.username,
        globalName: session.globalName,
        avatar: session.avatar,
        timeZone: user.timeZone,
      };
    },
  );
  done();
};
