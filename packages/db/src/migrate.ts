import pg from 'pg';
import { assertDatabaseReachable } from './connection-check.ts';
import { describeDatabaseUrl } from './database-url.ts';
import { DbError, DbErrorCode } from './db-error.ts';
import { readMigrationsDirectory } from './migrations-directory.ts';
import { migrationsDirectory } from './paths.ts';
import { createMigrationAdapterFactory } from './migration-adapter.ts';
import { startSchemaEngine, type EngineLogger } from './schema-engine.ts';

export interface MigrateOptions {
  /** Progress lines (one per applied migration). */
  log?: (message: string) => void;
  /** The schema engine's own JSON log lines, for debugging. */
  engineLog?: EngineLogger;
  /** Defaults to this package's prisma/migrations. */
  migrationsDir?: string;
}

// The engine's messages end with a Rust span trace ("   0: sql_schema_connector::…"); keep the
// human part.
function engineMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  const traceStart = lines.findIndex((line) => /^\s+\d+: \S+::/.test(line));
  return (traceStart === -1 ? lines : lines.slice(0, traceStart)).join('\n').trim();
}

/**
 * Applies the pending migrations to `databaseUrl` with Prisma's schema engine (WebAssembly build,
 * through @prisma/adapter-pg), recording them in `_prisma_migrations` exactly like
 * `prisma migrate deploy`. Returns the names of the migrations applied now (empty when none were
 * pending).
 */
export async function migrate(
  databaseUrl: string,
  options: MigrateOptions = {},
): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  const baseDir = options.migrationsDir ?? migrationsDirectory;

  const migrationsList = await readMigrationsDirectory(baseDir).catch((error: unknown) => {
    throw new DbError(
      DbErrorCode.migrationsUnreadable,
      `Cannot read the migrations in ${baseDir}: ${engineMessage(error)}`,
      { cause: error },
    );
  });

  await assertDatabaseReachable(databaseUrl);

  // One connection: everything the engine does (lock, history table, scripts) runs in one session.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  try {
    const engine = await startSchemaEngine(createMigrationAdapterFactory(pool), {
      ...(options.engineLog ? { log: options.engineLog } : {}),
    });
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList,
        filters: { externalTables: [], externalEnums: [] },
      });
      for (const name of appliedMigrationNames) log(`Applied migration ${name}`);
      return appliedMigrationNames;
    } catch (error) {
      throw new DbError(
        DbErrorCode.schemaEngineFailed,
        `Migrating ${describeDatabaseUrl(databaseUrl)} failed: ${engineMessage(error)}`,
        { cause: error },
      );
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}
