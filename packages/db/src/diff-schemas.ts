import pg from 'pg';
import { assertDatabaseReachable } from './connection-check.ts';
import { DbError, DbErrorCode } from './db-error.ts';
import { createMigrationAdapterFactory } from './migration-adapter.ts';
import { startSchemaEngine } from './schema-engine.ts';

const SCHEMA_FILE = 'schema.prisma';

/**
 * The SQL migrating a database from one Prisma schema to another (`from: null` = empty database),
 * computed from the two schemas alone (not from a live or shadow database, whose introspection trips
 * over PostgreSQL's internal "char" type). Returns '' when they are equivalent.
 *
 * The engine still opens a connection to `databaseUrl` when it starts (it only asks the server for
 * its version); any reachable PostgreSQL server will do, nothing is read from or written to it.
 */
export async function diffSchemas(
  databaseUrl: string,
  from: string | null,
  to: string,
): Promise<string> {
  await assertDatabaseReachable(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  const engine = await startSchemaEngine(createMigrationAdapterFactory(pool)).catch(
    async (error: unknown) => {
      await pool.end();
      throw error;
    },
  );
  try {
    const result = await engine.diff({
      from:
        from === null
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: SCHEMA_FILE, content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_FILE, content: to }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = result.stdout ?? '';
    return /^\s*(--[^\n]*\n?\s*)*$/.test(script) ? '' : script;
  } catch (error) {
    throw new DbError(
      DbErrorCode.schemaEngineFailed,
      `Diffing the Prisma schemas failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    engine.free();
    await pool.end();
  }
}
