import { PrismaPg } from '@prisma/adapter-pg';
import {
  DriverAdapterError,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type pg from 'pg';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

function toDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const fields = error as Error & Partial<pg.DatabaseError>;
  if (typeof fields.code !== 'string' || typeof fields.severity !== 'string') return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: fields.code,
    severity: fields.severity,
    message: fields.message,
    detail: fields.detail,
    column: fields.column,
    hint: fields.hint,
  });
}

// @prisma/adapter-pg runs a migration script by splitting it on every ";", which breaks function
// bodies ($$ … ; … $$) and string literals containing ";". Send the script as one simple-protocol
// query instead, as Prisma's native engine does: PostgreSQL parses it and runs it atomically.
function runScriptsWhole(adapter: PgAdapter): PgAdapter {
  const pool = adapter.underlyingDriver();
  adapter.executeScript = async (script: string): Promise<void> => {
    try {
      await pool.query(script);
    } catch (error) {
      throw toDriverAdapterError(error);
    }
  };
  return adapter;
}

/** The pg driver adapter for the schema engine, on an existing pool (which the caller ends). */
export function createMigrationAdapterFactory(
  pool: pg.Pool,
): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPg(pool);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => runScriptsWhole(await factory.connect()),
    connectToShadowDb: async () => runScriptsWhole(await factory.connectToShadowDb()),
  };
}
