import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './database.ts';
import { getServices } from './inject.ts';

async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('creates a database of its own that accepts connections and drops it again', async () => {
    const { databaseUrl } = getServices();
    const db = await createTestDatabase(databaseUrl, { prefix: 'testing_selftest' });
    expect(db.name).toMatch(/^testing_selftest_/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ current_database: string }>('SELECT current_database()');
    await client.end();
    expect(rows[0]?.current_database).toBe(db.name);

    await db.drop();
    expect(await databaseExists(databaseUrl, db.name)).toBe(false);
  });

  it('gives two test files two different databases', async () => {
    const { databaseUrl } = getServices();
    const [a, b] = await Promise.all([
      createTestDatabase(databaseUrl),
      createTestDatabase(databaseUrl),
    ]);
    expect(a.name).not.toBe(b.name);
    await Promise.all([a.drop(), b.drop()]);
  });
});
