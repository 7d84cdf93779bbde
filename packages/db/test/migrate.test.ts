import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, getServices, type TestDatabase } from '@game-scheduler/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationsDirectory } from '../src/index.ts';

async function migrationFiles(): Promise<{ name: string; checksum: string }[]> {
  const entries = await readdir(migrationsDirectory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const content = await readFile(join(migrationsDirectory, name, 'migration.sql'));
      return { name, checksum: createHash('sha256').update(content).digest('hex') };
    }),
  );
}

describe('migrate', () => {
  let database: TestDatabase;
  let firstRun: string[];
  const logged: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(getServices().databaseUrl, { prefix: 'gs_db_migrate' });
    firstRun = await migrate(database.url, { log: (line) => logged.push(line) });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('applies every committed migration to an empty database, in order', async () => {
    const files = await migrationFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(firstRun).toEqual(files.map((file) => file.name));
    expect(logged).toEqual(files.map((file) => `Applied migration ${file.name}`));
  });

  it('records each migration in _prisma_migrations with the sha256 checksum of its file', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
        applied_steps_count: number;
      }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
      );
      const files = await migrationFiles();
      expect(rows.map((row) => ({ name: row.migration_name, checksum: row.checksum }))).toEqual(
        files,
      );
      for (const row of rows) {
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
    } finally {
      await client.end();
    }
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(database.url)).toEqual([]);
  });
});
