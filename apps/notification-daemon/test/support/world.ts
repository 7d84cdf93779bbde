// The same world in the test database and in the local Discord: the demo guild's channel, its users
// (player_quinn has DMs closed) and as many extra players as a test needs.
import type { PrismaClient } from '@game-scheduler/db';
import { createEvent, type EventOf } from '@game-scheduler/messaging';
import { demoScenario, type DiscordSim } from '@game-scheduler/discord-sim';

export const GUILD_ID = '1300000000000000201';
export const CHANNEL_ID = '1300000000000000402';
export const HOST_ID = '1300000000000000101';
export const PAT_ID = '1300000000000000102';
export const QUINN_ID = '1300000000000000103'; // DMs closed
export const RIO_ID = '1300000000000000104';

export async function seedWorld(prisma: PrismaClient, sim: DiscordSim): Promise<void> {
  sim.loadScenario(demoScenario);
  await prisma.guild.create({ data: { id: GUILD_ID, name: 'Game Night' } });
  await prisma.channel.create({
    data: { id: CHANNEL_ID, guildId: GUILD_ID, name: 'game-announcements' },
  });
  await prisma.user.createMany({
    data: [HOST_ID, PAT_ID, QUINN_ID, RIO_ID].map((id) => ({ id })),
  });
}

let nextPlayer = 1_400_000_000_000_000_000n;

/** Adds `count` players known to both the database and the local Discord. */
export async function addPlayers(
  prisma: PrismaClient,
  sim: DiscordSim,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    nextPlayer += 1n;
    const id = nextPlayer.toString();
    sim.addUser({ id, username: `player_${id.slice(-6)}` });
    ids.push(id);
  }
  await prisma.user.createMany({ data: ids.map((id) => ({ id })) });
  return ids;
}

export interface TestGame {
  id: string;
  title: string;
  startsAt: Date;
  reminderMinutes: number[];
  maxPlayers: number | null;
  userIds: string[];
}

/** A SCHEDULED game with its participants in join order, as the API would write it. */
export async function createGame(
  prisma: PrismaClient,
  options: {
    startsAt: Date;
    reminderMinutes: number[];
    userIds: string[];
    maxPlayers?: number | null;
    title?: string;
  },
): Promise<TestGame> {
  const title = options.title ?? 'Friday raid';
  const maxPlayers = options.maxPlayers ?? null;
  const game = await prisma.game.create({
    data: {
      guildId: GUILD_ID,
      channelId: CHANNEL_ID,
      hostId: HOST_ID,
      title,
      startsAt: options.startsAt,
      durationMinutes: 60,
      reminderMinutes: options.reminderMinutes,
      maxPlayers,
    },
  });
  for (const userId of options.userIds) {
    await prisma.participant.create({ data: { gameId: game.id, userId } });
  }
  return {
    id: game.id,
    title,
    startsAt: options.startsAt,
    reminderMinutes: options.reminderMinutes,
    maxPlayers,
    userIds: options.userIds,
  };
}

const location = (game: TestGame) => ({
  gameId: game.id,
  guildId: GUILD_ID,
  channelId: CHANNEL_ID,
  announcementMessageId: null,
});

function roster(game: TestGame) {
  const cap = game.maxPlayers ?? game.userIds.length;
  return {
    participantUserIds: game.userIds.slice(0, cap),
    waitlistUserIds: game.userIds.slice(cap),
  };
}

export function gameCreated(game: TestGame): EventOf<'game.created'> {
  return createEvent('game.created', {
    ...location(game),
    title: game.title,
    description: null,
    hostUserId: HOST_ID,
    startsAt: game.startsAt.toISOString(),
    durationMinutes: 60,
    reminderMinutesBefore: game.reminderMinutes,
    maxPlayers: game.maxPlayers,
    ...roster(game),
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
    durationMinutes: 60,
    reminderMinutesBefore: game.reminderMinutes,
    maxPlayers: game.maxPlayers,
    ...roster(game),
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
    ...roster(game),
  });
}

export function playerRemoved(
  game: TestGame,
  removedUserId: string,
): EventOf<'game.player_removed'> {
  const remaining = { ...game, userIds: game.userIds.filter((id) => id !== removedUserId) };
  return createEvent('game.player_removed', {
    ...location(game),
    title: game.title,
    startsAt: game.startsAt.toISOString(),
    removedUserId,
    removedByUserId: HOST_ID,
    promotedUserIds: [],
    ...roster(remaining),
  });
}
