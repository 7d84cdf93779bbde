import { getServices, type TestDatabase } from '@game-scheduler/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPrismaClient,
  DeliveryMethod,
  GameStatus,
  ReminderStatus,
  StatusScheduleStatus,
  type PrismaClient,
} from '../src/index.ts';
import { createMigratedTestDatabase } from '../src/testing.ts';
import { snowflake } from './fixtures.ts';

describe('every model round-trips through the migrated schema', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  const userId = snowflake();
  const guildId = snowflake();
  const channelId = snowflake();
  const startsAt = new Date('2030-03-14T19:30:00.123Z');
  let templateId: string;
  let gameId: string;

  beforeAll(async () => {
    database = await createMigratedTestDatabase(getServices().databaseUrl);
    prisma = createPrismaClient(database.url, { poolSize: 2, applicationName: 'db-models-test' });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it('stores a user by Discord snowflake', async () => {
    await prisma.user.create({
      data: { id: userId, username: 'alice', globalName: 'Alice', avatar: 'a1b2' },
    });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user).toMatchObject({
      id: userId,
      username: 'alice',
      globalName: 'Alice',
      avatar: 'a1b2',
      timeZone: null,
    });
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(user.updatedAt).toBeInstanceOf(Date);
  });

  it('stores a guild with its bot-manager roles', async () => {
    await prisma.guild.create({
      data: { id: guildId, name: 'Tabletop Club', botManagerRoleIds: ['111', '222'] },
    });
    const guild = await prisma.guild.findUniqueOrThrow({ where: { id: guildId } });
    expect(guild).toMatchObject({
      name: 'Tabletop Club',
      botManagerRoleIds: ['111', '222'],
      timeZone: 'UTC',
    });
  });

  it('keeps a time zone per guild and per user', async () => {
    await prisma.guild.update({ where: { id: guildId }, data: { timeZone: 'Europe/Berlin' } });
    await prisma.user.update({ where: { id: userId }, data: { timeZone: 'America/New_York' } });
    const guild = await prisma.guild.findUniqueOrThrow({ where: { id: guildId } });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(guild.timeZone).toBe('Europe/Berlin');
    expect(user.timeZone).toBe('America/New_York');
  });

  it('stores a channel enabled for games by default', async () => {
    await prisma.channel.create({ data: { id: channelId, guildId, name: 'game-night' } });
    const channel = await prisma.channel.findUniqueOrThrow({ where: { id: channelId } });
    expect(channel).toMatchObject({ guildId, name: 'game-night', isEnabled: true });
  });

  it('stores a game template with its defaults and allowed roles', async () => {
    const created = await prisma.gameTemplate.create({
      data: {
        guildId,
        channelId,
        name: 'Weekly D&D',
        sortOrder: 2,
        isDefault: true,
        description: 'Bring dice',
        durationMinutes: 180,
        maxPlayers: 5,
        reminderMinutes: [1440, 60],
        where: 'Voice channel',
        allowedRoleIds: ['333'],
      },
    });
    templateId = created.id;
    const template = await prisma.gameTemplate.findUniqueOrThrow({ where: { id: templateId } });
    expect(template).toMatchObject({
      guildId,
      channelId,
      name: 'Weekly D&D',
      sortOrder: 2,
      isDefault: true,
      description: 'Bring dice',
      durationMinutes: 180,
      maxPlayers: 5,
      reminderMinutes: [1440, 60],
      where: 'Voice channel',
      allowedRoleIds: ['333'],
    });
    expect(template.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores a game with a timestamptz start, reminder array and SCHEDULED status', async () => {
    const created = await prisma.game.create({
      data: {
        guildId,
        channelId,
        hostId: userId,
        templateId,
        title: 'Session 12',
        description: 'The dragon awaits',
        startsAt,
        durationMinutes: 180,
        maxPlayers: null,
        reminderMinutes: [60, 10],
        where: 'Stage',
      },
    });
    gameId = created.id;
    await prisma.game.update({ where: { id: gameId }, data: { messageId: '999888777' } });
    const game = await prisma.game.findUniqueOrThrow({
      where: { id: gameId },
      include: { host: true, template: true, channel: true, guild: true },
    });
    expect(game).toMatchObject({
      title: 'Session 12',
      description: 'The dragon awaits',
      durationMinutes: 180,
      maxPlayers: null,
      reminderMinutes: [60, 10],
      where: 'Stage',
      status: GameStatus.SCHEDULED,
      channelId,
      messageId: '999888777',
    });
    expect(game.startsAt.toISOString()).toBe('2030-03-14T19:30:00.123Z');
    expect(game.host.id).toBe(userId);
    expect(game.template?.id).toBe(templateId);
    expect(game.guild.id).toBe(guildId);
  });

  it('keeps the start as an instant (timestamptz) whatever the session time zone', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("SET TIME ZONE 'Asia/Tokyo'");
      const { rows } = await client.query<{ starts_at: Date; local: string }>(
        'SELECT starts_at, starts_at::text AS local FROM games WHERE id = $1',
        [gameId],
      );
      expect(rows[0]!.starts_at.toISOString()).toBe('2030-03-14T19:30:00.123Z');
      expect(rows[0]!.local).toBe('2030-03-15 04:30:00.123+09');
    } finally {
      await client.end();
    }
  });

  it('stores participants in join order, including a placeholder without a user', async () => {
    const placeholder = await prisma.participant.create({
      data: { gameId, displayName: 'Bob (guest)' },
    });
    const player = await prisma.participant.create({ data: { gameId, userId } });
    const roster = await prisma.participant.findMany({
      where: { gameId },
      orderBy: { joinSequence: 'asc' },
    });
    expect(roster.map((row) => row.id)).toEqual([placeholder.id, player.id]);
    expect(roster[0]).toMatchObject({ userId: null, displayName: 'Bob (guest)' });
    expect(roster[1]).toMatchObject({ userId, displayName: null });
    expect(roster[1]!.joinSequence).toBeGreaterThan(roster[0]!.joinSequence);
    expect(roster[1]!.joinedAt).toBeInstanceOf(Date);
  });

  it('stores a reminder schedule row with its retry fields and traceparent', async () => {
    const dueAt = new Date(startsAt.getTime() - 60 * 60_000);
    const nextAttemptAt = new Date(dueAt.getTime() + 30_000);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const created = await prisma.reminderSchedule.create({
      data: { gameId, reminderMinutes: 60, dueAt, traceparent },
    });
    expect(created).toMatchObject({
      status: ReminderStatus.PENDING,
      attempts: 0,
      nextAttemptAt: null,
    });
    await prisma.reminderSchedule.update({
      where: { id: created.id },
      data: { attempts: { increment: 1 }, nextAttemptAt, lastError: 'Discord 503' },
    });
    const row = await prisma.reminderSchedule.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      gameId,
      reminderMinutes: 60,
      status: ReminderStatus.PENDING,
      attempts: 1,
      lastError: 'Discord 503',
      traceparent,
    });
    expect(row.dueAt.toISOString()).toBe(dueAt.toISOString());
    expect(row.nextAttemptAt?.toISOString()).toBe(nextAttemptAt.toISOString());
  });

  it('stores a status schedule row targeting a game status', async () => {
    const dueAt = startsAt;
    const created = await prisma.statusSchedule.create({
      data: { gameId, targetStatus: GameStatus.IN_PROGRESS, dueAt, traceparent: null },
    });
    await prisma.statusSchedule.update({
      where: { id: created.id },
      data: { status: StatusScheduleStatus.APPLIED },
    });
    const row = await prisma.statusSchedule.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      gameId,
      targetStatus: GameStatus.IN_PROGRESS,
      status: StatusScheduleStatus.APPLIED,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      traceparent: null,
    });
    expect(row.dueAt.toISOString()).toBe(dueAt.toISOString());
  });

  it('stores an outbox event with jsonb payload and headers, unpublished until marked', async () => {
    const payload = {
      gameId,
      title: 'Session 12',
      reminderMinutes: [60, 10],
      nested: { ok: true },
    };
    const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const created = await prisma.outboxEvent.create({
      data: { eventType: 'game.created', payload, headers },
    });
    expect(created.publishedAt).toBeNull();
    const publishedAt = new Date('2030-03-01T00:00:00.000Z');
    await prisma.outboxEvent.update({
      where: { id: created.id },
      data: { publishedAt, attempts: 1 },
    });
    const row = await prisma.outboxEvent.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ eventType: 'game.created', payload, headers, attempts: 1 });
    expect(row.publishedAt?.toISOString()).toBe(publishedAt.toISOString());
    expect(row.createdAt).toBeInstanceOf(Date);
  });

  it('defaults outbox headers to an empty object', async () => {
    const created = await prisma.outboxEvent.create({
      data: { eventType: 'game.updated', payload: { gameId } },
    });
    expect(created.headers).toEqual({});
  });

  it('stores a processed message per consumer and message id', async () => {
    await prisma.processedMessage.create({
      data: { consumer: 'notification-daemon', messageId: 'msg-1' },
    });
    const row = await prisma.processedMessage.findUniqueOrThrow({
      where: { consumer_messageId: { consumer: 'notification-daemon', messageId: 'msg-1' } },
    });
    expect(row.processedAt).toBeInstanceOf(Date);
  });

  it('stores a reminder delivery per game, reminder and user', async () => {
    await prisma.reminderDelivery.create({
      data: { gameId, reminderMinutes: 60, userId, method: DeliveryMethod.CHANNEL_MENTION },
    });
    const row = await prisma.reminderDelivery.findUniqueOrThrow({
      where: { gameId_reminderMinutes_userId: { gameId, reminderMinutes: 60, userId } },
    });
    expect(row.method).toBe(DeliveryMethod.CHANNEL_MENTION);
    expect(row.deliveredAt).toBeInstanceOf(Date);
  });

  it('removes a game together with its roster, schedules and deliveries', async () => {
    await prisma.game.delete({ where: { id: gameId } });
    const counts = await Promise.all([
      prisma.participant.count({ where: { gameId } }),
      prisma.reminderSchedule.count({ where: { gameId } }),
      prisma.statusSchedule.count({ where: { gameId } }),
      prisma.reminderDelivery.count({ where: { gameId } }),
    ]);
    expect(counts).toEqual([0, 0, 0, 0]);
  });
});
