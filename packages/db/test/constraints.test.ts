import { getServices, type TestDatabase } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, Prisma, type Game, type PrismaClient } from '../src/index.ts';
import { createMigratedTestDatabase } from '../src/testing.ts';
import { createGame, snowflake } from './fixtures.ts';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

describe('constraints the exactly-once design relies on', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let game: Game;
  let userId: string;

  beforeAll(async () => {
    database = await createMigratedTestDatabase(getServices().databaseUrl);
    prisma = createPrismaClient(database.url, { poolSize: 2 });
    game = await createGame(prisma);
    userId = (await prisma.user.create({ data: { id: snowflake() } })).id;
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it('refuses a second participant row for the same user in the same game', async () => {
    await prisma.participant.create({ data: { gameId: game.id, userId } });
    const duplicate = prisma.participant.create({ data: { gameId: game.id, userId } });
    await expect(duplicate).rejects.toSatisfy(isUniqueViolation);
    expect(await prisma.participant.count({ where: { gameId: game.id, userId } })).toBe(1);
  });

  it('allows several placeholders without a user in one game', async () => {
    await prisma.participant.create({ data: { gameId: game.id, displayName: 'Guest 1' } });
    await prisma.participant.create({ data: { gameId: game.id, displayName: 'Guest 2' } });
    expect(await prisma.participant.count({ where: { gameId: game.id, userId: null } })).toBe(2);
  });

  it('refuses a participant that has neither a user nor a display name', async () => {
    await expect(prisma.participant.create({ data: { gameId: game.id } })).rejects.toThrow(
      /participants_user_or_display_name_check/,
    );
  });

  it('refuses a second delivery of the same reminder to the same user', async () => {
    const delivery = { gameId: game.id, reminderMinutes: 15, userId, method: 'DM' } as const;
    await prisma.reminderDelivery.create({ data: delivery });
    await expect(
      prisma.reminderDelivery.create({ data: { ...delivery, method: 'CHANNEL_MENTION' } }),
    ).rejects.toSatisfy(isUniqueViolation);
    const again = await prisma.reminderDelivery.createMany({
      data: [delivery],
      skipDuplicates: true,
    });
    expect(again.count).toBe(0);
  });

  it('records the same message once per consumer', async () => {
    const record = { consumer: 'bot', messageId: 'message-42' };
    await prisma.processedMessage.create({ data: record });
    await expect(prisma.processedMessage.create({ data: record })).rejects.toSatisfy(
      isUniqueViolation,
    );
    await prisma.processedMessage.create({ data: { ...record, consumer: 'notification-daemon' } });
    expect(await prisma.processedMessage.count({ where: { messageId: 'message-42' } })).toBe(2);
  });

  it('keeps one reminder schedule row per game and reminder time', async () => {
    const row = { gameId: game.id, reminderMinutes: 60, dueAt: new Date('2030-01-01T17:00:00Z') };
    await prisma.reminderSchedule.create({ data: row });
    await expect(prisma.reminderSchedule.create({ data: row })).rejects.toSatisfy(
      isUniqueViolation,
    );
  });

  it('keeps one status schedule row per game and target status', async () => {
    const row = { gameId: game.id, targetStatus: 'COMPLETED' as const, dueAt: new Date() };
    await prisma.statusSchedule.create({ data: row });
    await expect(prisma.statusSchedule.create({ data: row })).rejects.toSatisfy(isUniqueViolation);
  });

  it('allows only one default template per guild', async () => {
    const base = { guildId: game.guildId, isDefault: true };
    await prisma.gameTemplate.create({ data: { ...base, name: 'First' } });
    await expect(
      prisma.gameTemplate.create({ data: { ...base, name: 'Second' } }),
    ).rejects.toSatisfy(isUniqueViolation);
    await prisma.gameTemplate.create({ data: { ...base, isDefault: false, name: 'Third' } });
    expect(await prisma.gameTemplate.count({ where: { guildId: game.guildId } })).toBe(2);
  });
});
