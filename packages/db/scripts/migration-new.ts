// `npm run migration:new -- <name> [--allow-empty]`: after a change to prisma/schema.prisma, writes
// prisma/migrations/<timestamp>_<name>/migration.sql with the SQL from the schema of the last
// migration (prisma/schema-history/) to the current schema, and snapshots the schema for the next
// one. The diff is schema to schema; DATABASE_URL only has to point at some reachable PostgreSQL
// (the engine asks it for its version). Append hand-written SQL (partial indexes, triggers) to the
// new migration.sql before committing.
import { createMigration } from '../src/create-migration.ts';

function fail(message: string): never {
  console.error(`migration:new: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const name = args.filter((arg) => !arg.startsWith('--')).join('_');
if (!name) fail('give the migration a name, e.g. npm run migration:new -- add_game_notes');

const databaseUrl = process.env.DATABASE_URL?.trim();
if (!databaseUrl) {
  fail('DATABASE_URL is not set (any reachable PostgreSQL server; nothing is written to it).');
}

try {
  const result = await createMigration({
    databaseUrl,
    name,
    allowEmpty: args.includes('--allow-empty'),
  });
  console.log(
    result.created
      ? `Wrote ${result.file}`
      : `No schema changes since ${result.since ?? 'an empty database'}; nothing written (--allow-empty writes an empty migration for hand-written SQL).`,
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
