// Games: create, list, read, edit, cancel, join, leave, and the host removing a player.
import type { FastifyPluginCallback } from 'fastify';
import type { CreateGameRequest, ListGamesInput, UpdateGameInput } from '@game-scheduler/games';
import {
  description,
  durationMinutes,
  maxPlayers,
  reminderMinutes,
  startsAt,
  textField as text,
  title,
  where,
} from '../http/fields.ts';
import { errorResponses, snowflake, uuid } from '../http/schemas.ts';

const gameParams = {
  type: 'object',
  required: ['gameId'],
  properties: { gameId: uuid },
  additionalProperties: false,
} as const;

const gameResponse = { 200: { $ref: 'Game#' }, ...errorResponses } as const;
const security = [{ session: [] }];

type GameParams = { gameId: string };

export const gameRoutes: FastifyPluginCallback = (app, _options, done) => {
  const { games, sessions } = app;

  app.post<{ Body: CreateGameRequest }>(
    '/games',
    {
      schema: {
        tags: ['games'],
        summary: 'Create a game, from scratch or from a template of the guild',
        description:
          'With templateId, fields left out come from the template (channel, title = template name, duration, cap, reminders, description, where). Without it, channelId, title and durationMinutes are required.',
        security,
        body: {
          type: 'object',
          required: ['guildId', 'startsAt'],
          additionalProperties: false,
          properties: {
            guildId: snowflake,
            templateId: uuid,
            channelId: snowflake,
            title,
            description,
            where,
            startsAt,
            durationMinutes,
            maxPlayers,
            reminderMinutes,
          },
        },
        response: { 201: { $ref: 'Game#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await sessions.require(request);
      const game = await games.create(session.userId, request.body);
      return reply.code(201).header('location', `/api/v1/games/${game.id}`).send(game);
    },
  );

  app.get<{ Querystring: ListGamesInput }>(
    '/games',
    {
      schema: {
        tags: ['games'],
        summary: "List a guild's games, soonest first (cursor paging)",
        security,
        querystring: {
          type: 'object',
          required: ['guildId'],
          additionalProperties: false,
          properties: {
            guildId: snowflake,
            channelId: snowflake,
            status: {
              type: 'string',
              enum: ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'],
            },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            cursor: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items', 'nextCursor'],
            properties: {
              items: { type: 'array', items: { $ref: 'GameSummary#' } },
              nextCursor: { type: ['string', 'null'] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return games.list(session.userId, request.query);
    },
  );

  app.get<{ Params: GameParams }>(
    '/games/:gameId',
    {
      schema: {
        tags: ['games'],
        summary: 'A game with its roster (confirmed players and waitlist)',
        security,
        params: gameParams,
        response: gameResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return games.get(session.userId, request.params.gameId);
    },
  );

  app.get<{ Params: GameParams }>(
    '/games/:gameId/calendar.ics',
    {
      schema: {
        tags: ['games'],
        summary: 'The game as an iCalendar file (text/calendar)',
        security,
        params: gameParams,
        produces: ['text/calendar'],
        response: { 200: { type: 'string' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await sessions.require(request);
      const ics = await games.calendar(session.userId, request.params.gameId);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="game-${request.params.gameId}.ics"`)
        .send(ics);
    },
  );

  app.patch<{ Params: GameParams; Body: UpdateGameInput }>(
    '/games/:gameId',
    {
      schema: {
        tags: ['games'],
        summary: 'Edit a game (host or bot manager)',
        security,
        params: gameParams,
        body: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          properties: {
            title,
            description,
            where,
            startsAt,
            durationMinutes,
            maxPlayers,
            reminderMinutes,
          },
        },
        response: gameResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return games.update(session.userId, request.params.gameId, request.body);
    },
  );

  app.post<{ Params: GameParams; Body: { reason?: string | null } | undefined }>(
    '/games/:gameId/cancel',
    {
      schema: {
        tags: ['games'],
        summary: 'Cancel a game (host or bot manager)',
        security,
        params: gameParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: text(1000) },
        },
        response: gameResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return games.cancel(session.userId, request.params.gameId, request.body?.reason ?? null);
    },
  );

  app.post<{ Params: GameParams }>(
    '/games/:gameId/join',
    {
      schema: {
        tags: ['games'],
        summary: 'Join a game (on the waitlist when it is full)',
        security,
        params: gameParams,
        response: {
          200: {
            type: 'object',
            required: ['list', 'game'],
            properties: {
              list: { type: 'string', enum: ['confirmed', 'waitlist'] },
              game: { $ref: 'Game#' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return games.join(session.userId, request.params.gameId);
    },
  );

  app.post<{ Params: GameParams }>(
    '/games/:gameId/leave',
    {
      schema: {
        tags: ['games'],
        summary: 'Leave a game (the first on the waitlist takes the spot)',
        security,
        params: gameParams,
        response: gameResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return games.leave(session.userId, request.params.gameId);
    },
  );

  app.delete<{ Params: GameParams & { userId: string } }>(
    '/games/:gameId/participants/:userId',
    {
      schema: {
        tags: ['games'],
        summary: 'Remove a player (host or bot manager)',
        security,
        params: {
          type: 'object',
          required: ['gameId', 'userId'],
          additionalProperties: false,
          properties: { gameId: uuid, userId: snowflake },
        },
        response: gameResponse,
      },
    },
    async (request) => {
      const session = await sessions.require(request);
      return games.removePlayer(session.userId, request.params.gameId, request.params.userId);
    },
  );
  done();
};
