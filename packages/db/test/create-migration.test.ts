import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, getServices, type TestDatabase } from '@game-scheduler/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigration,
  DbError,
  DbErrorCode,
  migrate,
  migrationsDirectory,
  schemaPath,
} from '../src/index.ts';

const schemaHistory = fileURLToPath(new URL('../prisma/schema-history/', import.meta.url));

const noteModel = `
model Note {
  id   Int    @id @default(autoincrement())
  text String

  @@map("notes")
}
`;

describe('a new migration from a schema change', () => {
  let work: string;
  let database: TestDatabase;
  const paths = (): { migrationsDir: string; schemaHistoryDir: string; schemaFile: string } => ({
    migrationsDir: join(work, 'migrations'),
    schemaHistoryDir: join(work, 'schema-history'),
    schemaFile: join(work, 'schema.prisma'),
  });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'gs-db-migration-'));
    await cp(migrationsDirectory, paths().migrationsDir, { recursive: true });
    await cp(schemaHistory, paths().schemaHistoryDir, { recursive: true });
    await writeFile(paths().schemaFile, (await readFile(schemaPath, 'utf8')) + noteModel);
    database = await createTestDatabase(getServices().databaseUrl, { prefix: 'gs_db_new' });
  });

  afterAll(async () => {
    await database.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('writes only the difference from the last migration, and snapshots the schema', async () => {
    const result = await createMigration({
      databaseUrl: getServices().databaseUrl,
      name: 'Add notes!',
      now: new Date('2099-01-02T03:04:05Z'),
      ...paths(),
    });
    expect(result).toMatchObject({ created: true, name: '20990102030405_add_notes' });
    const script = await readFile(
      join(paths().migrationsDir, '20990102030405_add_notes', 'migration.sql'),
      'utf8',
    );
    expect(script).toContain('CREATE TABLE "notes"');
    expect(script).not.toContain('CREATE TABLE "games"');
    expect(existsSync(join(paths().schemaHistoryDir, '20990102030405_add_notes.prisma'))).toBe(
      true,
    );
  });

  it('writes nothing when the schema has not changed since', async () => {
    const result = await createMigration({
      databaseUrl: getServices().databaseUrl,
      name: 'again',
      now: new Date('2099-01-03T00:00:00Z'),
      ...paths(),
    });
    expect(result).toEqual({ created: false, since: '20990102030405_add_notes' });
  });

  it('produces migrations that migrate applies after the committed ones', async () => {
    const applied = await migrate(database.url, { migrationsDir: paths().migrationsDir });
    expect(applied.at(-1)).toBe('20990102030405_add_notes');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT to_regclass('public.notes') AS notes");
      expect(rows).toEqual([{ notes: 'notes' }]);
    } finally {
      await client.end();
    }
  });
});

describe('a migration that fails', () => {
  let work: string;
  let database: TestDatabase;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'gs-db-broken-'));
    await mkdir(join(work, '20990101000000_broken'));
    await writeFile(
      join(work, '20990101000000_broken', 'migration.sql'),
      'CREATE TABLE "ok_table" ("id" INTEGER);\nSELECT * FROM "no_such_table";\n',
    );
    database = await createTestDatabase(getServices().databaseUrl, { prefix: 'gs_db_broken' });
  });

  afterAll(async () => {
    await database.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('rejects with a SCHEMA_ENGINE_FAILED error naming what went wrong, and applies none of it', async () => {
    const failure = await migrate(database.url, { migrationsDir: work }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DbError);
    expect((failure as DbError).code).toBe(DbErrorCode.schemaEngineFailed);
    expect((failure as DbError).message).toContain('no_such_table');
    expect((failure as DbError).message).not.toMatch(/sql_schema_connector::/);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT to_regclass('public.ok_table') AS t");
      expect(rows).toEqual([{ t: null }]);
    } finally {
      await client.end();
    }
  });
});
