// Join and Leave against a real PostgreSQL: the game is read with its lock in one statement, the
// caller's membership is checked inside the transaction, and the roster a Join answers with is the
// rows read under the lock plus the inserted one (no second read). These check that this is the
// roster the database holds, that concurrent joins never pass the cap, and that the refusals stay.
import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase, type TestDatabase } from '@game-scheduler/db/testing';
import { getServices } from '@game-scheduler/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuildMembership, MembershipSource } from './access.ts';
import { createGameService, type GameService } from './game-service.ts';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CHANNEL = '200000000000000001';
const HOST = '300000000000000000';
const ROLE = '400000000000000001';

let serial = 0;
const snowflake = () => String(300000000000000001n + BigInt((serial += 1)));

describe('game service join and leave', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  /** Members of GUILD, with their roles; everyone else is no member. */
  const members = new Map<string, readonly string[]>();
  let games: GameService;

  /** When set, each membership lookup records whether this game's row was locked meanwhile. */
  let watched: { gameId: string; lockedDuringLookup: boolean[] } | null = null;

  /** Whether another transaction holds the game row's lock right now. */
  async function isLocked(gameId: string): Promise<boolean> {
    return prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM games WHERE id = ${gameId}::uuid FOR UPDATE SKIP LOCKED`;
      return rows.length === 0;
    });
  }

  const membership: MembershipSource = {
    async membership(guildId, userId) {
      if (watched !== null) watched.lockedDuringLookup.push(await isLocked(watched.gameId));
      const roles = members.get(userId);
      const found: GuildMembership | null =
        guildId === GUILD && roles !== undefined ? { guildId, roleIds: roles } : null;
      return found;
    },
  };

  async function user(roles: readonly string[] = []): Promise<string> {
    const id = snowflake();
    await prisma.user.create({ data: { id, username: `u${id}` } });
    members.set(id, roles);
    return id;
  }

  async function game(
    options: { maxPlayers?: number | null; guildId?: string; templateId?: string } = {},
  ) {
    return prisma.game.create({
      data: {
        guildId: options.guildId ?? GUILD,
        channelId: CHANNEL,
        hostId: HOST,
        title: 'Board games',
        description: 'Bring snacks',
        where: 'Table 3',
        startsAt: new Date(Date.now() + 86_400_000),
        durationMinutes: 120,
        maxPlayers: options.maxPlayers ?? null,
        reminderMinutes: [60, 15],
        templateId: options.templateId ?? null,
      },
    });
  }

  beforeAll(async () => {
    database = await createMigratedTestDatabase(getServices().databaseUrl);
    prisma = createPrismaClient(database.url, { poolSize: 8, applicationName: 'games-test' });
    await prisma.guild.createMany({
      data: [
        { id: GUILD, name: 'Guild' },
        { id: OTHER_GUILD, name: 'Other' },
      ],
    });
    await prisma.channel.create({ data: { id: CHANNEL, guildId: GUILD, name: 'general' } });
    await prisma.user.create({ data: { id: HOST, username: 'host' } });
    members.set(HOST, []);
    games = createGameService({
      prisma,
      directory: { guild: () => Promise.resolve(null), channel: () => Promise.resolve(null) },
      guildAccess: membership,
      source: 'discord',
    });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it('answers a join with the game and roster the database holds', async () => {
    const created = await game({ maxPlayers: 2 });
    const first = await user();
    const second = await user();
    const third = await user();
    await games.join(first, created.id);
    await games.join(second, created.id);
    const joined = await games.join(third, created.id);
    expect(joined.list).toBe('waitlist');
    expect(joined.place).toBe(1);
    expect(joined.confirmedCount).toBe(2);
    // Read afresh, after the fact: the same fields and the same roster, in the same order.
    expect(joined.game).toEqual(await games.get(HOST, created.id));
    expect(joined.game.roster.confirmed.map((p) => p.userId)).toEqual([first, second]);
    expect(joined.game.roster.waitlist.map((p) => p.userId)).toEqual([third]);
  });

  it('reads the locked game exactly as Prisma does (every field and type)', async () => {
    const created = await game({ maxPlayers: 4 });
    // An update that changes nothing answers with the game as read under the lock.
    const unchanged = await games.update(HOST, created.id, { title: created.title });
    expect(unchanged).toEqual(await games.get(HOST, created.id));
    expect(unchanged.reminderMinutes).toEqual([60, 15]);
    expect(unchanged.status).toBe('SCHEDULED');
  });

  it('never passes the cap with concurrent joins, and the answers agree with the rows', async () => {
    const created = await game({ maxPlayers: 5 });
    const players = await Promise.all(Array.from({ length: 12 }, () => user()));
    const answers = await Promise.all(players.map((id) => games.join(id, created.id)));
    for (const answer of answers) {
      expect(answer.game.roster.confirmed.length).toBeLessThanOrEqual(5);
    }
    expect(answers.filter((a) => a.list === 'confirmed')).toHaveLength(5);
    expect(answers.filter((a) => a.list === 'waitlist')).toHaveLength(7);
    const final = await games.get(HOST, created.id);
    expect(final.roster.confirmed).toHaveLength(5);
    expect(final.roster.waitlist).toHaveLength(7);
    // Whoever was answered "confirmed" is confirmed; everyone's answer lists them where they are.
    const confirmed = new Set(final.roster.confirmed.map((p) => p.userId));
    for (const [index, answer] of answers.entries()) {
      expect(confirmed.has(players[index] ?? '')).toBe(answer.list === 'confirmed');
      // The place and count given with the answer are those of its roster.
      const list =
        answer.list === 'confirmed' ? answer.game.roster.confirmed : answer.game.roster.waitlist;
      expect(list[answer.place - 1]?.userId).toBe(players[index]);
      expect(answer.confirmedCount).toBe(answer.game.roster.confirmed.length);
    }
    // The outbox event of the last join carries the whole roster.
    type Payload = { gameId: string; participantUserIds: string[] };
    const events = await prisma.outboxEvent.findMany({ where: { eventType: 'game.updated' } });
    const ofGame = events
      .map((e) => {
        const stored = e.payload as { payload?: Payload } & Payload;
        return stored.payload ?? stored;
      })
      .filter((p) => p.gameId === created.id);
    expect(ofGame).toHaveLength(12);
    for (const payload of ofGame) expect(payload.participantUserIds.length).toBeLessThanOrEqual(5);
  });

  it('stores each join and leave with its event: the roster after it, who joined, left or moved up', async () => {
    const created = await game({ maxPlayers: 1 });
    const first = await user();
    const second = await user();
    await games.join(first, created.id);
    await games.join(second, created.id);
    await games.leave(first, created.id);
    type Stored = {
      type: string;
      payload: {
        gameId: string;
        participantUserIds: string[];
        waitlistUserIds: string[];
        changes: { joinedUserIds: string[]; leftUserIds: string[]; promotedUserIds: string[] };
      };
    };
    const rows = await prisma.outboxEvent.findMany({
      where: { eventType: 'game.updated' },
      orderBy: { createdAt: 'asc' },
    });
    const events = rows
      .map((row) => row.payload as unknown as Stored)
      .filter((event) => event.payload.gameId === created.id);
    expect(
      events.map(({ payload }) => [
        payload.participantUserIds,
        payload.waitlistUserIds,
        payload.changes.joinedUserIds,
        payload.changes.leftUserIds,
        payload.changes.promotedUserIds,
      ]),
    ).toEqual([
      [[first], [], [first], [], []],
      [[first], [second], [second], [], []],
      [[second], [], [], [first], [second]],
    ]);
    expect(rows.every((row) => row.publishedAt === null && row.attempts === 0)).toBe(true);
  });

  it('promotes the first of the waitlist when a confirmed player leaves', async () => {
    const created = await game({ maxPlayers: 1 });
    const first = await user();
    const second = await user();
    await games.join(first, created.id);
    await games.join(second, created.id);
    const left = await games.leave(first, created.id);
    expect(left.roster.confirmed.map((p) => p.userId)).toEqual([second]);
    expect(left.roster.waitlist).toEqual([]);
    expect(left).toEqual(await games.get(HOST, created.id));
  });

  it('refuses as before: no game, not a member, already in, not in, limited roles', async () => {
    const created = await game();
    const player = await user();
    const notUuid = '------------------------------------';
    await expect(games.join(player, randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(games.join(player, notUuid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(games.leave(player, notUuid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const elsewhere = await game({ guildId: OTHER_GUILD });
    await expect(games.join(player, elsewhere.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(games.leave(player, created.id)).rejects.toMatchObject({ code: 'NOT_JOINED' });
    await games.join(player, created.id);
    await expect(games.join(player, created.id)).rejects.toMatchObject({
      code: 'ALREADY_JOINED',
    });

    const template = await prisma.gameTemplate.create({
      data: {
        guildId: GUILD,
        channelId: CHANNEL,
        name: 'Members only',
        durationMinutes: 60,
        allowedRoleIds: [ROLE],
      },
    });
    const limited = await game({ templateId: template.id });
    await expect(games.join(player, limited.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const withRole = await user([ROLE]);
    await expect(games.join(withRole, limited.id)).resolves.toMatchObject({ list: 'confirmed' });
    // Nothing was written by the refusals.
    const rows = await prisma.participant.findMany({ where: { gameId: limited.id } });
    expect(rows.map((r) => r.userId)).toEqual([withRole]);
  });

  it('asks about membership outside the game lock once the guild of the game is known', async () => {
    const created = await game({ maxPlayers: 3 });
    const first = await user();
    const second = await user();
    await games.join(first, created.id); // learns the game's guild
    watched = { gameId: created.id, lockedDuringLookup: [] };
    try {
      await games.join(second, created.id);
      await games.leave(first, created.id);
      const stranger = snowflake();
      await expect(games.join(stranger, created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(watched.lockedDuringLookup).toEqual([false, false, false]);
    } finally {
      watched = null;
    }
    const final = await games.get(HOST, created.id);
    expect(final.roster.confirmed.map((p) => p.userId)).toEqual([second]);
  });
});
