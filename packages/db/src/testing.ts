// Test helper (the `@game-scheduler/db/testing` export): a freshly migrated database per test file,
// copied from a template database that is migrated once per server and set of migrations.
import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@game-scheduler/testing';
import pg from 'pg';
import { withDatabaseName } from './database-url.ts';
import { readMigrationsDirectory } from './migrations-directory.ts';
import { migrate } from './migrate.ts';
import { migrationsDirectory } from './paths.ts';

export type { TestDatabase } from '@game-scheduler/testing';

const TEMPLATE_LOCK_KEY = 'game_scheduler_db_test_template';

// Per process: server URL → template database name (a promise, so concurrent callers share it).
const templates = new Map<string, Promise<string>>();

async function migrationsFingerprint(): Promise<string> {
  const list = await readMigrationsDirectory(migrationsDirectory);
  const hash = createHash('sha256');
  for (const directory of list.migrationDirectories) {
    const content = directory.migrationFile.content;
    hash.update(`${directory.path}\0${content.tag === 'ok' ? content.value : ''}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return result.rowCount === 1;
}

// The template is named after the migrations it holds, so test files in other processes (vitest
// runs files in separate workers) reuse it, and a change to the migrations gets a new template. It
// is built under another name and renamed when complete, under an advisory lock, so a crashed or
// concurrent run never leaves a half-migrated template behind.
async function ensureTemplate(serverUrl: string): Promise<string> {
  const name = `gs_db_template_${await migrationsFingerprint()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE_LOCK_KEY]);
    if (await databaseExists(admin, name)) return name;
    const building = await createTestDatabase(serverUrl, { prefix: 'gs_db_template_build' });
    try {
      await migrate(building.url);
      await admin.query(`ALTER DATABASE "${building.name}" RENAME TO "${name}"`);
    } catch (error) {
      await building.drop();
      throw error;
    }
    return name;
  } finally {
    await admin.end();
  }
}

/**
 * A new database on `serverUrl` (an admin URL) with every migration applied, for one test file. The
 * migrations run once per server; each call copies the template (CREATE DATABASE … TEMPLATE).
 * Drop it in afterAll with `drop()`.
 */
export async function createMigratedTestDatabase(
  serverUrl: string,
  options: { prefix?: string } = {},
): Promise<TestDatabase> {
  let template = templates.get(serverUrl);
  if (!template) {
    template = ensureTemplate(serverUrl);
    templates.set(serverUrl, template);
    template.catch(() => templates.delete(serverUrl));
  }
  return createTestDatabase(serverUrl, {
    prefix: options.prefix ?? 'gs_db_test',
    template: await template,
  });
}

/** The URL of another database on the same server (keeps credentials). */
export { withDatabaseName };
