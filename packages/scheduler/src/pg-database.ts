// The scheduler's database straight over node-postgres: the same claims, transactions and SQL as the
// Prisma one without Prisma's per-statement work (its query pipeline and its spans), for handlers that
// only need raw SQL on the claiming transaction. The pg instrumentation still traces each statement.
import pg from 'pg';
import type { SchedulerDatabase, SqlClient } from './sql-client.ts';

export interface PgSchedulerDatabaseOptions {
  readonly databaseUrl: string;
  /** Pooled connections: one per claim in flight, plus those of the statements outside them. */
  readonly poolSize: number;
  readonly applicationName?: string;
  /**
   * Longest one claim's transaction (handlers included) may run: past it the connection is closed, so
   * PostgreSQL rolls the transaction back and frees its rows, and every later statement of it fails.
   * Default 60 s.
   */
  readonly transactionTimeoutMs?: number;
  /** Longest to wait for a pooled connection. Default 10 s. */
  readonly maxWaitMs?: number;
}

export interface PgSchedulerDatabase extends SchedulerDatabase<SqlClient> {
  /** Closes the pool (after the scheduler has stopped). */
  close(): Promise<void>;
}

interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

function sqlOver(client: Queryable, usable: () => void = () => undefined): SqlClient {
  return {
    async query<R extends object>(text: string, params: readonly unknown[] = []) {
      usable();
      const result = await client.query(text, [...params]);
      return result.rows as R[];
    },
    async execute(text: string, params: readonly unknown[] = []) {
      usable();
      const result = await client.query(text, [...params]);
      return result.rowCount ?? 0;
    },
  };
}

/** A pool of its own; `tx` and `sql` of a transaction are the same raw-SQL client. */
export function pgSchedulerDatabase(options: PgSchedulerDatabaseOptions): PgSchedulerDatabase {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
    connectionTimeoutMillis: options.maxWaitMs ?? 10_000,
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  });
  // An idle pooled connection that drops (PostgreSQL restarting) must not crash the process; the
  // next checkout connects again.
  pool.on('error', () => undefined);
  const timeoutMs = options.transactionTimeoutMs ?? 60_000;

  return {
    sql: sqlOver(pool),
    async transaction(work) {
      const client = await pool.connect();
      // Set once the connection is given up (timed out, or broken): it goes back to no pool.
      const state: { closed: Error | null } = { closed: null };
      const giveUp = (reason: Error): void => {
        if (state.closed !== null) return;
        state.closed = reason;
        client.release(reason);
      };
      const timer = setTimeout(() => {
        giveUp(new Error(`Transaction timed out after ${String(timeoutMs)} ms; rolled back`));
      }, timeoutMs);
      const sql = sqlOver(client, () => {
        if (state.closed !== null) throw state.closed;
      });
      try {
        await sql.execute('BEGIN');
        const result = await work(sql, sql);
        await sql.execute('COMMIT');
        return result;
      } catch (error) {
        try {
          await sql.execute('ROLLBACK');
        } catch (rollbackError) {
          // Gone or unusable: closing it makes PostgreSQL roll back.
          giveUp(rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError)));
        }
        throw error;
      } finally {
        clearTimeout(timer);
        if (state.closed === null) client.release();
      }
    },
    close: () => pool.end(),
  };
}
