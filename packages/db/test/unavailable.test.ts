// isDatabaseUnavailable tells a database that is down or dropped the connection from a query that
// failed on its own merits, on the errors the real drivers throw.
import { freePort, getServices } from '@game-scheduler/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPrismaClient, isDatabaseUnavailable } from '../src/index.ts';

describe('isDatabaseUnavailable', () => {
  it('is true for a server nobody answers on (Prisma and pg)', async () => {
    const url = `postgresql://postgres@127.0.0.1:${String(await freePort())}/down`;
    const prisma = createPrismaClient(url);
    const prismaError: unknown = await prisma.$queryRaw`SELECT 1`.then(
      () => null,
      (error: unknown) => error,
    );
    await prisma.$disconnect();
    expect(isDatabaseUnavailable(prismaError)).toBe(true);
    const client = new pg.Client({ connectionString: url });
    const pgError: unknown = await client.connect().then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDatabaseUnavailable(pgError)).toBe(true);
  });

  it('is true for a connection the server terminated (as on shutdown), false for a bad query', async () => {
    const { databaseUrl } = getServices();
    const prisma = createPrismaClient(databaseUrl, { poolSize: 1 });
    const badQuery: unknown = await prisma.$queryRawUnsafe('SELECT * FROM no_such_table').then(
      () => null,
      (error: unknown) => error,
    );
    expect(badQuery).not.toBeNull();
    expect(isDatabaseUnavailable(badQuery)).toBe(false);
    // The pool's one connection kills itself: SQLSTATE 57P01, as when PostgreSQL shuts down.
    const terminated: unknown = await prisma
      .$queryRawUnsafe('SELECT pg_terminate_backend(pg_backend_pid())')
      .then(
        () => null,
        (error: unknown) => error,
      );
    await prisma.$disconnect();
    expect(terminated).not.toBeNull();
    expect(isDatabaseUnavailable(terminated)).toBe(true);
    expect(isDatabaseUnavailable(new Error('cannot handle it'))).toBe(false);
  });
});
