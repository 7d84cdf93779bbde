import pg from 'pg';
import { describeDatabaseUrl } from './database-url.ts';
import { DbError, DbErrorCode } from './db-error.ts';

/** The first line of a connection error, with its code (`ECONNREFUSED: …`). */
export function connectionFailureReason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0)
    return connectionFailureReason(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const message = error.message.split('\n')[0]?.trim() ?? '';
    if (typeof code === 'string' && !message.includes(code)) {
      return message ? `${code}: ${message}` : code;
    }
    return message || error.name;
  }
  return String(error);
}

function isPostgresUrl(databaseUrl: string): boolean {
  try {
    const { protocol } = new URL(databaseUrl);
    return protocol === 'postgresql:' || protocol === 'postgres:';
  } catch {
    return false;
  }
}

/**
 * Opens and closes one connection, so an unreachable server fails with one clear line naming
 * host:port/database (never the password) instead of an engine stack trace. Migrations and every
 * service's start call it before anything else.
 */
export async function assertDatabaseReachable(
  databaseUrl: string,
  timeoutMillis = 10_000,
): Promise<void> {
  const target = describeDatabaseUrl(databaseUrl);
  if (!isPostgresUrl(databaseUrl)) {
    throw new DbError(
      DbErrorCode.invalidDatabaseUrl,
      'The database URL is not a postgresql:// URL (e.g. postgresql://user:password@host:5432/database).',
    );
  }
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: timeoutMillis,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new DbError(
      DbErrorCode.databaseUnreachable,
      `Cannot connect to PostgreSQL at ${target}: ${connectionFailureReason(error)}`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
