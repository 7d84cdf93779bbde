// JSON schemas shared by the routes (request validation and response serialisation, and the
// OpenAPI document). Shapes are spelled out here once and referenced by $id.
import { ERROR_CODES } from '@game-scheduler/domain';

export const snowflake = { type: 'string', pattern: '^[0-9]{17,20}$' } as const;
export const uuid = { type: 'string', format: 'uuid' } as const;

export const errorObject = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', enum: [...ERROR_CODES] },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

export const errorSchema = {
  $id: 'ErrorResponse',
  type: 'object',
  required: ['error'],
  properties: { error: errorObject },
} as const;

/** The error responses every route may give, for the OpenAPI document and the serialiser. */
export const errorResponses = {
  '4xx': { $ref: 'ErrorResponse#' },
  '5xx': { $ref: 'ErrorResponse#' },
} as const;

export const participantSchema = {
  $id: 'Participant',
  type: 'object',
  required: ['userId', 'displayName', 'joinedAt'],
  properties: {
    userId: { type: ['string', 'null'] },
    displayName: { type: ['string', 'null'] },
    joinedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const gameFields = {
  id: { type: 'string' },
  guildId: { type: 'string' },
  channelId: { type: 'string' },
  hostId: { type: 'string' },
  messageId: { type: ['string', 'null'] },
  title: { type: 'string' },
  description: { type: ['string', 'null'] },
  where: { type: ['string', 'null'] },
  startsAt: { type: 'string', format: 'date-time' },
  durationMinutes: { type: 'integer' },
  maxPlayers: { type: ['integer', 'null'] },
  reminderMinutes: { type: 'array', items: { type: 'integer' } },
  status: { type: 'string', enum: ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
} as const;

export const gameSummarySchema = {
  $id: 'GameSummary',
  type: 'object',
  required: [...Object.keys(gameFields), 'confirmedCount', 'waitlistCount'],
  properties: {
    ...gameFields,
    confirmedCount: { type: 'integer' },
    waitlistCount: { type: 'integer' },
  },
} as const;

export const gameSchema = {
  $id: 'Game',
  type: 'object',
  required: [...Object.keys(gameFields), 'roster'],
  properties: {
    ...gameFields,
    roster: {
      type: 'object',
      required: ['confirmed', 'waitlist'],
      properties: {
        confirmed: { type: 'array', items: { $ref: 'Participant#' } },
        waitlist: { type: 'array', items: { $ref: 'Participant#' } },
      },
    },
  },
} as const;

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;

const guildSummaryFields = {
  id: { type: 'string' },
  name: { type: 'string' },
  timeZone: { type: 'string', description: 'IANA time zone, e.g. Europe/Berlin' },
} as const;

export const guildSummarySchema = {
  $id: 'GuildSummary',
  type: 'object',
  required: [...Object.keys(guildSummaryFields), 'icon'],
  properties: { ...guildSummaryFields, icon: nullableString },
} as const;

export const guildSettingsSchema = {
  $id: 'GuildSettings',
  type: 'object',
  required: [
    ...Object.keys(guildSummaryFields),
    'botManagerRoleIds',
    'roles',
    'access',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    ...guildSummaryFields,
    botManagerRoleIds: stringList,
    roles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name'],
        properties: { id: { type: 'string' }, name: { type: 'string' } },
      },
    },
    access: {
      type: 'object',
      description:
        'manage: may change the time zone, channels and templates (bot manager or administrator); administer: may also choose the bot-manager roles (owner, ADMINISTRATOR or MANAGE_GUILD)',
      required: ['manage', 'administer'],
      properties: { manage: { type: 'boolean' }, administer: { type: 'boolean' } },
    },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

export const channelSchema = {
  $id: 'Channel',
  type: 'object',
  required: ['id', 'guildId', 'name', 'isEnabled'],
  properties: {
    id: { type: 'string' },
    guildId: { type: 'string' },
    name: { type: 'string' },
    isEnabled: { type: 'boolean' },
  },
} as const;

const templateFields = {
  id: { type: 'string' },
  guildId: { type: 'string' },
  channelId: nullableString,
  name: { type: 'string' },
  sortOrder: { type: 'integer' },
  isDefault: { type: 'boolean' },
  description: nullableString,
  durationMinutes: { type: ['integer', 'null'] },
  maxPlayers: { type: ['integer', 'null'] },
  reminderMinutes: { type: 'array', items: { type: 'integer' } },
  where: nullableString,
  allowedRoleIds: stringList,
  createdAt: dateTime,
  updatedAt: dateTime,
} as const;

export const templateSchema = {
  $id: 'Template',
  type: 'object',
  required: Object.keys(templateFields),
  properties: templateFields,
} as const;

export const sharedSchemas = [
  errorSchema,
  participantSchema,
  gameSummarySchema,
  gameSchema,
  guildSummarySchema,
  guildSettingsSchema,
  channelSchema,
  templateSchema,
];
