// Games in the test database and the events the API would publish about them.
import type { PrismaClient } from '@game-scheduler/db';
import { createEvent, type EventOf } from '@game-scheduler/messaging';

export const GUILD_ID = '100000000000000001';
export const CHANNEL_ID = '100000000000000002';
export const HOST_ID = '100000000000000003';

export async function seedGuild(prisma: PrismaClient): Promise<void> {
  await prisma.guild.create({ data: { id: GUILD_ID, name: 'Test guild' } });
  await prisma.channel.create({ data: { id: CHANNEL_ID, guildId: GUILD_ID, name: 'games' } });
  await prisma.user.create({ data: { id: HOST_ID, username: 'host' } });
}

export interface TestGame {
  id: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
}

export async function createGame(
  prisma: PrismaClient,
  startsAt: Date,
  durationMinutes = 60,
): Promise<TestGame> {
  const game = await prisma.game.create({
    data: {
      guildId: GUILD_ID,
      channelId: CHANNEL_ID,
      hostId: HOST_ID,
      title: 'Friday raid',
      startsAt,
      durationMinutes,
    },
  });
  return { id: game.id, title: game.title, startsAt, durationMinutes };
}

const location = (game: TestGame) => ({
  gameId: game.id,
  guildId: GUILD_ID,
  channelId: CHANNEL_ID,
  announcementMessageId: null,
});

export function gameCreated(game: TestGame): EventOf<'game.created'> {
  return createEvent('game.created', {
    ...location(game),
    title: game.title,
    description: null,
    hostUserId: HOST_ID,
    startsAt: game.startsAt.toISOString(),
    durationMinutes: game.durationMinutes,
    reminderMinutesBefore: [],
    maxPlayers: null,
    participantUserIds: [HOST_ID],
    waitlistUserIds: [],
    createdVia: 'api',
  });
}

export function gameUpdated(
  game: TestGame,
  fields: EventOf<'game.updated'>['payload']['changes']['fields'],
): EventOf<'game.updated'> {
  return createEvent('game.updated', {
    ...location(game),
    title: game.title,
    startsAt: game.startsAt.toISOString(),
    durationMinutes: game.durationMinutes,
    reminderMinutesBefore: [],
    maxPlayers: null,
    participantUserIds: [HOST_ID],
    waitlistUserIds: [],
    changes: { fields, joinedUserIds: [], leftUserIds: [], promotedUserIds: [] },
  });
}

export function gameCancelled(game: TestGame): EventOf<'game.cancelled'> {
  return createEvent('game.cancelled', {
    ...location(game),
    title: game.title,
    startsAt: game.startsAt.toISOString(),
    cancelledByUserId: HOST_ID,
    reason: null,
    participantUserIds: [HOST_ID],
    waitlistUserIds: [],
  });
}
