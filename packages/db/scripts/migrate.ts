// `npm run migrate`: applies the pending Prisma migrations to DATABASE_URL through Prisma's
// WebAssembly schema engine (works where Prisma's native engine cannot be downloaded). Errors are one
// line on stderr and exit code 1.
import { DbError } from '../src/db-error.ts';
import { describeDatabaseUrl } from '../src/database-url.ts';
import { migrate } from '../src/migrate.ts';

function fail(message: string): never {
  console.error(`migrate: ${message}`);
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL?.trim();
if (!databaseUrl) {
  fail(
    'DATABASE_URL is not set (e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/game_scheduler).',
  );
}

try {
  const target = describeDatabaseUrl(databaseUrl);
  const applied = await migrate(databaseUrl, {
    log: (line) => {
      console.log(line);
    },
  });
  console.log(
    applied.length === 0
      ? `No pending migrations to apply to ${target}.`
      : `Applied ${applied.length} migration(s) to ${target}.`,
  );
} catch (error) {
  fail(
    error instanceof DbError
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error),
  );
}
