// Guilds: the configured guilds the user is in, a guild's settings (time zone, bot-manager roles)
// and its channels (enabled for games or not). Members read; managers write (guild-rules.ts in
// @game-scheduler/games).
import type { UpdateGuildInput } from '@game-scheduler/games';
import type { FastifyPluginCallback } from 'fastify';
import { userGuildsOf } from '../auth/user-guilds.ts';
import { roleIds } from '../http/fields.ts';
import { errorResponses, snowflake } from '../http/schemas.ts';

const security = [{ session: [] }];

const guildParams = {
  type: 'object',
  required: ['guildId'],
  additionalProperties: false,
  properties: { guildId: snowflake },
} as const;

const settingsResponse = { 200: { $ref: 'GuildSettings#' }, ...errorResponses } as const;

type GuildParams = { guildId: string };
type ChannelParams = GuildParams & { channelId: string };

export const guildRoutes: FastifyPluginCallback = (app, _options, done) => {
  const { guilds, sessions } = app;

  app.get(
    '/guilds',
    {
      schema: {
        tags: ['guilds'],
        summary: 'The configured guilds (known to Game Scheduler) the user is in',
        security,
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: { $ref: 'GuildSummary#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      const own = await userGuildsOf(app, session);
      const icons = new Map(own.map((guild) => [guild.id, guild.icon]));
      const configured = await guilds.configured(own.map((guild) => guild.id));
      return {
        items: configured.map((guild) => ({ ...guild, icon: icons.get(guild.id) ?? null })),
      };
    },
  );

  app.get<{ Params: GuildParams }>(
    '/guilds/:guildId',
    {
      schema: {
        tags: ['guilds'],
        summary: "A guild's settings, its roles and what the user may change",
        security,
        params: guildParams,
        response: settingsResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return guilds.get(session.userId, request.params.guildId);
    },
  );

  app.patch<{ Params: GuildParams; Body: UpdateGuildInput }>(
    '/guilds/:guildId',
    {
      schema: {
        tags: ['guilds'],
        summary: "Change a guild's settings",
        description:
          'timeZone: bot managers and administrators. botManagerRoleIds: administrators only (the owner, or ADMINISTRATOR or MANAGE_GUILD on Discord).',
        security,
        params: guildParams,
        body: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          properties: {
            timeZone: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\u0000]*$' },
            botManagerRoleIds: roleIds,
          },
        },
        response: settingsResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return guilds.update(session.userId, request.params.guildId, request.body);
    },
  );

  app.get<{ Params: GuildParams }>(
    '/guilds/:guildId/channels',
    {
      schema: {
        tags: ['guilds'],
        summary: "The guild's known channels and whether games may be posted in them",
        security,
        params: guildParams,
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: { $ref: 'Channel#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return { items: await guilds.channels(session.userId, request.params.guildId) };
    },
  );

  app.patch<{ Params: ChannelParams; Body: { isEnabled: boolean } }>(
    '/guilds/:guildId/channels/:channelId',
    {
      schema: {
        tags: ['guilds'],
        summary: 'Enable or disable a channel for games (managers)',
        description:
          'A channel of the guild that Game Scheduler has not seen yet is added. Disabling a channel refuses new games in it; existing games stay.',
        security,
        params: {
          type: 'object',
          required: ['guildId', 'channelId'],
          additionalProperties: false,
          properties: { guildId: snowflake, channelId: snowflake },
        },
        body: {
          type: 'object',
          required: ['isEnabled'],
          additionalProperties: false,
          properties: { isEnabled: { type: 'boolean' } },
        },
        response: { 200: { $ref: 'Channel#' }, ...errorResponses },
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      const { guildId, channelId } = request.params;
      return guilds.updateChannel(session.userId, guildId, channelId, request.body);
    },
  );
  done();
};
