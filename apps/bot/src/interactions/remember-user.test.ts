// rememberUser against a real PostgreSQL: the user is written the first time, not again on every
// click while the names are the same, and again as soon as Discord shows other names.
import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase, type TestDatabase } from '@game-scheduler/db/testing';
import { getServices } from '@game-scheduler/testing';
import type { User } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberUser } from './remember-user.ts';

const discordUser = (
  id: string,
  username: string,
  globalName: string | null,
): Pick<User, 'id' | 'username' | 'globalName'> => ({ id, username, globalName });

describe('rememberUser', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createMigratedTestDatabase(getServices().databaseUrl);
    prisma = createPrismaClient(database.url, { poolSize: 2, applicationName: 'remember-test' });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it('writes a user once, and again only when the names change', async () => {
    await rememberUser(prisma, discordUser('500000000000000001', 'ann', 'Ann'));
    const first = await prisma.user.findUniqueOrThrow({ where: { id: '500000000000000001' } });
    expect(first).toMatchObject({ username: 'ann', globalName: 'Ann' });

    // Same names: nothing written (a write would move updated_at).
    await new Promise((resolve) => setTimeout(resolve, 20));
    await rememberUser(prisma, discordUser('500000000000000001', 'ann', 'Ann'));
    const again = await prisma.user.findUniqueOrThrow({ where: { id: '500000000000000001' } });
    expect(again.updatedAt).toEqual(first.updatedAt);

    // Another name (or none): written at once.
    await rememberUser(prisma, discordUser('500000000000000001', 'ann', 'Annie'));
    await rememberUser(prisma, discordUser('500000000000000001', 'ann', null));
    const renamed = await prisma.user.findUniqueOrThrow({ where: { id: '500000000000000001' } });
    expect(renamed).toMatchObject({ username: 'ann', globalName: null });
  });

  it('remembers per database: another database gets its own row', async () => {
    const other = await createMigratedTestDatabase(getServices().databaseUrl);
    const otherPrisma = createPrismaClient(other.url, {
      poolSize: 1,
      applicationName: 'remember-test',
    });
    try {
      await rememberUser(prisma, discordUser('500000000000000002', 'bob', 'Bob'));
      await rememberUser(otherPrisma, discordUser('500000000000000002', 'bob', 'Bob'));
      expect(await otherPrisma.user.count({ where: { id: '500000000000000002' } })).toBe(1);
    } finally {
      await otherPrisma.$disconnect();
      await other.drop();
    }
  });
});
