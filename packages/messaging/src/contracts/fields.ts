// Field schemas shared by the event payloads. The wire format is its own contract, so it is spelled out
// here rather than derived from the database or domain types.
import { GAME_STATUSES } from '@game-scheduler/domain';
import { z } from 'zod';

/** A Discord snowflake: a decimal id of 17 to 20 digits. */
export const snowflake = z
  .string()
  .regex(/^\d{17,20}$/, 'must be a Discord snowflake (17-20 digits)');

/** A game's primary key as stored by the database. */
export const gameId = z.string().min(1).max(64);

/** An instant on the wire: ISO 8601 with an explicit offset, e.g. `2026-11-24T18:00:00.000Z`. */
export const instant = z.iso.datetime({ offset: true });

/** The statuses of the domain's status machine. */
export const gameStatus = z.enum(GAME_STATUSES);

/** Who is in the game after the change: confirmed players and the waitlist, each in order. */
export const roster = z.object({
  participantUserIds: z.array(snowflake),
  waitlistUserIds: z.array(snowflake),
});

/** Where the game lives in Discord; `announcementMessageId` is null until the bot has posted it. */
export const gameLocation = z.object({
  gameId,
  guildId: snowflake,
  channelId: snowflake,
  announcementMessageId: snowflake.nullable(),
});

/** What the reminder and status schedules are built from. */
export const gameTiming = z.object({
  startsAt: instant,
  durationMinutes: z.int().positive(),
  reminderMinutesBefore: z.array(z.int().nonnegative()),
});
