import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DbError, DbErrorCode } from './db-error.ts';
import { diffSchemas } from './diff-schemas.ts';
import {
  MIGRATION_FILE,
  MIGRATION_LOCK_FILE,
  POSTGRESQL_MIGRATION_LOCK,
} from './migrations-directory.ts';
import { migrationsDirectory, schemaHistoryDirectory, schemaPath } from './paths.ts';

export interface CreateMigrationOptions {
  /** Any reachable PostgreSQL server: the engine only asks it for its version. */
  databaseUrl: string;
  /** Free text; becomes the snake_case suffix of the directory name. */
  name: string;
  /** Write a migration even when the schema did not change (for hand-written SQL). */
  allowEmpty?: boolean;
  now?: Date;
  schemaFile?: string;
  migrationsDir?: string;
  schemaHistoryDir?: string;
}

export type CreateMigrationResult =
  | { created: true; name: string; file: string; script: string }
  | { created: false; since: string | undefined };

const EMPTY_MIGRATION = '-- This is an empty migration.\n';

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

function fail(message: string): never {
  throw new DbError(DbErrorCode.migrationsUnreadable, message);
}

/**
 * Writes `<migrations>/<timestamp>_<name>/migration.sql` with the SQL from the schema snapshot of the
 * last migration (`<schema history>/<migration>.prisma`) to the current schema, and snapshots the
 * current schema under the new migration's name. No migration is written when nothing changed.
 */
export async function createMigration(
  options: CreateMigrationOptions,
): Promise<CreateMigrationResult> {
  const migrationsDir = options.migrationsDir ?? migrationsDirectory;
  const historyDir = options.schemaHistoryDir ?? schemaHistoryDirectory;
  const schemaFile = options.schemaFile ?? schemaPath;
  const slug = slugify(options.name);
  if (!slug) fail('The migration needs a name, e.g. add_game_notes.');

  await mkdir(migrationsDir, { recursive: true });
  const existing = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  const last = existing.at(-1);

  let previousSchema: string | null = null;
  if (last !== undefined) {
    const snapshot = join(historyDir, `${last}.prisma`);
    if (!existsSync(snapshot)) fail(`No schema snapshot for the last migration: ${snapshot}`);
    previousSchema = await readFile(snapshot, 'utf8');
  }

  const schema = await readFile(schemaFile, 'utf8');
  const script = await diffSchemas(options.databaseUrl, previousSchema, schema);
  if (!script && !options.allowEmpty) return { created: false, since: last };

  const name = `${timestamp(options.now ?? new Date())}_${slug}`;
  if (last !== undefined && name.localeCompare(last) <= 0) {
    fail(`The new migration ${name} would not sort after ${last}.`);
  }
  const directory = join(migrationsDir, name);
  await mkdir(directory);
  const file = join(directory, MIGRATION_FILE);
  await writeFile(file, script || EMPTY_MIGRATION, 'utf8');
  const lockPath = join(migrationsDir, MIGRATION_LOCK_FILE);
  if (!existsSync(lockPath)) await writeFile(lockPath, POSTGRESQL_MIGRATION_LOCK, 'utf8');
  await mkdir(historyDir, { recursive: true });
  await copyFile(schemaFile, join(historyDir, `${name}.prisma`));
  return { created: true, name, file, script: script || EMPTY_MIGRATION };
}
