// `npm run migration:new -- <name> [--allow-empty]`: writes prisma/migrations/<timestamp>_<name>/
// migration.sql with the SQL from the schema of the last migration (prisma/schema-history/) to the
// current prisma/schema.prisma, and snapshots the schema for the next one. The diff is schema to
// schema; DATABASE_URL only has to point at some reachable PostgreSQL (the engine asks its version).
// Append hand-written SQL (partial indexes, triggers) to the new migration.sql before committing.
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { diffSchemas } from '../src/diff-schemas.ts';
import {
  MIGRATION_FILE,
  MIGRATION_LOCK_FILE,
  POSTGRESQL_MIGRATION_LOCK,
} from '../src/migrations-directory.ts';
import { migrationsDirectory, schemaHistoryDirectory, schemaPath } from '../src/paths.ts';

function fail(message: string): never {
  console.error(`migration:new: ${message}`);
  process.exit(1);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

const args = process.argv.slice(2);
const allowEmpty = args.includes('--allow-empty');
const rawName = args.filter((arg) => !arg.startsWith('--')).join('_');
const slug = rawName
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_+|_+$/g, '');
if (!slug) fail('give the migration a name, e.g. npm run migration:new -- add_game_notes');

await mkdir(migrationsDirectory, { recursive: true });
const existing = (await readdir(migrationsDirectory, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort((a, b) => a.localeCompare(b));
const last = existing.at(-1);

let previousSchema: string | null = null;
if (last !== undefined) {
  const snapshot = join(schemaHistoryDirectory, `${last}.prisma`);
  if (!existsSync(snapshot)) fail(`no schema snapshot for the last migration (${snapshot}).`);
  previousSchema = await readFile(snapshot, 'utf8');
}

const databaseUrl = process.env.DATABASE_URL?.trim();
if (!databaseUrl) {
  fail('DATABASE_URL is not set (any reachable PostgreSQL server; nothing is written to it).');
}
const schema = await readFile(schemaPath, 'utf8');
const script = await diffSchemas(databaseUrl, previousSchema, schema).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);
if (!script && !allowEmpty) {
  console.log(
    `No schema changes since ${last ?? 'an empty database'}; nothing written (--allow-empty writes an empty migration for hand-written SQL).`,
  );
  process.exit(0);
}

const name = `${timestamp(new Date())}_${slug}`;
if (last !== undefined && name.localeCompare(last) <= 0) {
  fail(`the new migration ${name} would not sort after ${last}.`);
}
const directory = join(migrationsDirectory, name);
await mkdir(directory);
await writeFile(
  join(directory, MIGRATION_FILE),
  script || '-- This is an empty migration.\n',
  'utf8',
);
const lockPath = join(migrationsDirectory, MIGRATION_LOCK_FILE);
if (!existsSync(lockPath)) await writeFile(lockPath, POSTGRESQL_MIGRATION_LOCK, 'utf8');
await mkdir(schemaHistoryDirectory, { recursive: true });
await copyFile(schemaPath, join(schemaHistoryDirectory, `${name}.prisma`));
console.log(`Wrote ${join(directory, MIGRATION_FILE)}`);
