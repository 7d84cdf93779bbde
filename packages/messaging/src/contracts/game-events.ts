// Version 1 of every domain event: its type, its payload schema and its TypeScript shape.
import { z } from 'zod';
import { gameLocation, gameStatus, gameTiming, instant, roster, snowflake } from './fields.ts';

export const gameCreatedV1 = z.object({
  ...gameLocation.shape,
  ...gameTiming.shape,
  ...roster.shape,
  title: z.string().min(1).max(200),
  description: z.string().max(4000).nullable(),
  hostUserId: snowflake,
  maxPlayers: z.int().positive().nullable(),
  /** `api` means no announcement exists yet and the bot posts it. */
  createdVia: z.enum(['discord', 'api']),
});

export const GAME_CHANGED_FIELDS = [
  'title',
  'description',
  'startsAt',
  'durationMinutes',
  'reminderMinutesBefore',
  'maxPlayers',
  'roster',
  'announcement',
] as const;

export const gameUpdatedV1 = z.object({
  ...gameLocation.shape,
  ...gameTiming.shape,
  ...roster.shape,
  title: z.string().min(1).max(200),
  maxPlayers: z.int().positive().nullable(),
  /** The state above is complete; `changes` says what moved so consumers can skip unrelated work. */
  changes: z.object({
    fields: z.array(z.enum(GAME_CHANGED_FIELDS)).min(1),
    joinedUserIds: z.array(snowflake),
    leftUserIds: z.array(snowflake),
    /** Moved from the waitlist to the confirmed players; each gets a DM. */
    promotedUserIds: z.array(snowflake),
  }),
});

export const gameCancelledV1 = z.object({
  ...gameLocation.shape,
  ...roster.shape,
  title: z.string().min(1).max(200),
  startsAt: instant,
  cancelledByUserId: snowflake,
  reason: z.string().max(1000).nullable(),
});

export const gamePlayerRemovedV1 = z.object({
  ...gameLocation.shape,
  ...roster.shape,
  title: z.string().min(1).max(200),
  startsAt: instant,
  removedUserId: snowflake,
  removedByUserId: snowflake,
  promotedUserIds: z.array(snowflake),
});

export const gameStatusChangedV1 = z.object({
  ...gameLocation.shape,
  title: z.string().min(1).max(200),
  from: gameStatus,
  to: gameStatus,
  changedAt: instant,
});

/** Every event type and, per version, its payload schema. Add a version by adding a key. */
export const EVENT_PAYLOADS = {
  'game.created': { 1: gameCreatedV1 },
  'game.updated': { 1: gameUpdatedV1 },
  'game.cancelled': { 1: gameCancelledV1 },
  'game.player_removed': { 1: gamePlayerRemovedV1 },
  'game.status_changed': { 1: gameStatusChangedV1 },
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

export type GameCreatedV1 = z.infer<typeof gameCreatedV1>;
export type GameUpdatedV1 = z.infer<typeof gameUpdatedV1>;
export type GameCancelledV1 = z.infer<typeof gameCancelledV1>;
export type GamePlayerRemovedV1 = z.infer<typeof gamePlayerRemovedV1>;
export type GameStatusChangedV1 = z.infer<typeof gameStatusChangedV1>;
