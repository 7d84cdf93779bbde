// Templates of a guild: members list and read them; managers create, edit, delete and reorder
// them. At most one is the default; allowed roles limit who creates games from a template and who
// joins those games (guild-rules.ts in @game-scheduler/games).
import type { CreateTemplateInput, UpdateTemplateInput } from '@game-scheduler/games';
import type { FastifyPluginCallback } from 'fastify';
import {
  description,
  durationMinutes,
  maxPlayers,
  nameField,
  reminderMinutes,
  roleIds,
  where,
} from '../http/fields.ts';
import { errorResponses, snowflake, uuid } from '../http/schemas.ts';

const security = [{ session: [] }];

const guildParams = {
  type: 'object',
  required: ['guildId'],
  additionalProperties: false,
  properties: { guildId: snowflake },
} as const;

const templateParams = {
  type: 'object',
  required: ['guildId', 'templateId'],
  additionalProperties: false,
  properties: { guildId: snowflake, templateId: uuid },
} as const;

const fields = {
  name: nameField(100),
  channelId: { anyOf: [snowflake, { type: 'null' }] },
  description,
  where,
  durationMinutes: { ...durationMinutes, type: ['integer', 'null'] },
  maxPlayers,
  reminderMinutes,
  allowedRoleIds: roleIds,
  isDefault: { type: 'boolean' },
} as const;

const listResponse = {
  200: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: { $ref: 'Template#' } } },
  },
  ...errorResponses,
} as const;

type GuildParams = { guildId: string };
type TemplateParams = GuildParams & { templateId: string };

export const templateRoutes: FastifyPluginCallback = (app, _options, done) => {
  const { templates, sessions } = app;

  app.get<{ Params: GuildParams }>(
    '/guilds/:guildId/templates',
    {
      schema: {
        tags: ['templates'],
        summary: "The guild's templates in their order",
        security,
        params: guildParams,
        response: listResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return { items: await templates.list(session.userId, request.params.guildId) };
    },
  );

  app.post<{ Params: GuildParams; Body: CreateTemplateInput }>(
    '/guilds/:guildId/templates',
    {
      schema: {
        tags: ['templates'],
        summary: 'Create a template (managers); it goes last in the order',
        description:
          'isDefault: true makes it the default and the previous default an ordinary template. allowedRoleIds (roles of the guild) limit creating games from it and joining them; empty means everyone.',
        security,
        params: guildParams,
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: fields,
        },
        response: { 201: { $ref: 'Template#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await sessions.require(request);
      const { guildId } = request.params;
      const template = await templates.create(session.userId, guildId, request.body);
      return reply
        .code(201)
        .header('location', `/api/v1/guilds/${guildId}/templates/${template.id}`)
        .send(template);
    },
  );

  app.put<{ Params: GuildParams; Body: { templateIds: string[] } }>(
    '/guilds/:guildId/templates/order',
    {
      schema: {
        tags: ['templates'],
        summary: "Reorder the guild's templates (managers)",
        description: 'templateIds lists every template of the guild exactly once, first to last.',
        security,
        params: guildParams,
        body: {
          type: 'object',
          required: ['templateIds'],
          additionalProperties: false,
          properties: { templateIds: { type: 'array', maxItems: 500, items: uuid } },
        },
        response: listResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      const { guildId } = request.params;
      return {
        items: await templates.reorder(session.userId, guildId, request.body.templateIds),
      };
    },
  );

  app.get<{ Params: TemplateParams }>(
    '/guilds/:guildId/templates/:templateId',
    {
      schema: {
        tags: ['templates'],
        summary: 'A template',
        security,
        params: templateParams,
        response: { 200: { $ref: 'Template#' }, ...errorResponses },
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      const { guildId, templateId } = request.params;
      return templates.get(session.userId, guildId, templateId);
    },
  );

  app.patch<{ Params: TemplateParams; Body: UpdateTemplateInput }>(
    '/guilds/:guildId/templates/:templateId',
    {
      schema: {
        tags: ['templates'],
        summary: 'Edit a template (managers); null clears a field',
        security,
        params: templateParams,
        body: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          properties: fields,
        },
        response: { 200: { $ref: 'Template#' }, ...errorResponses },
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      const { guildId, templateId } = request.params;
      return templates.update(session.userId, guildId, templateId, request.body);
    },
  );

  app.delete<{ Params: TemplateParams }>(
    '/guilds/:guildId/templates/:templateId',
    {
      schema: {
        tags: ['templates'],
        summary: 'Delete a template (managers); games made from it stay',
        security,
        params: templateParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await sessions.require(request);
      const { guildId, templateId } = request.params;
      await templates.remove(session.userId, guildId, templateId);
      return reply.code(204).send();
    },
  );
  done();
};
