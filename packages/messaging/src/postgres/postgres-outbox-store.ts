// The production OutboxStore over packages/db's `outbox` table: one relay replica at a time claims the
// oldest unpublished rows (a transaction-scoped advisory lock keeps them in order), and LISTEN
// outbox_inserted wakes it when a writing transaction commits.
import { OUTBOX_INSERTED_CHANNEL } from '@game-scheduler/db';
import pg from 'pg';
import type { OutboxBatch, OutboxPending, OutboxRow, OutboxStore } from '../outbox/outbox-store.ts';
import { REJECTED_HEADER } from './outbox-rows.ts';

const RELAY_LOCK = 'game_scheduler.outbox_relay';

export interface PostgresOutboxStoreOptions {
  databaseUrl: string;
  /** Reported as application_name. */
  applicationName?: string;
  /** Delay before re-opening a dropped LISTEN connection (the sweep covers the gap). Default 1 s. */
  listenRetryMs?: number;
  /** For logging: a LISTEN connection error. */
  onListenError?: (error: unknown) => void;
}

export interface PostgresOutboxStore extends OutboxStore {
  close(): Promise<void>;
}

interface ClaimedRow {
  id: string;
  created_at: Date;
  payload: unknown;
  headers: Record<string, unknown> | null;
}

function stringHeader(headers: Record<string, unknown> | null, name: string): string | null {
  const value = headers?.[name];
  return typeof value === 'string' ? value : null;
}

export function createPostgresOutboxStore(
  options: PostgresOutboxStoreOptions,
): PostgresOutboxStore {
  const applicationName = options.applicationName ?? 'outbox-relay';
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 2,
    application_name: applicationName,
  });
  pool.on('error', () => undefined);
  const listeners = new Set<() => void>();
  let listenClient: pg.Client | null = null;
  let listenTimer: NodeJS.Timeout | null = null;
  let closed = false;

  async function listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: `${applicationName}-listen`,
    });
    // Once per connection: a failed connect or a drop also ends the client, and that 'end' is the
    // same failure (reporting it again doubled every warning), as is the 'end' of close().
    const retry = (error: unknown): void => {
      if (listenClient !== client) return;
      listenClient = null;
      client.end().catch(() => undefined);
      if (closed) return;
      options.onListenError?.(error);
      if (listenTimer) return;
      listenTimer = setTimeout(() => {
        listenTimer = null;
        if (!closed) listen().catch(() => undefined);
      }, options.listenRetryMs ?? 1_000);
    };
    listenClient = client;
    client.on('error', retry);
    client.on('end', () => {
      retry(new Error('LISTEN connection ended'));
    });
    client.on('notification', () => {
      for (const listener of listeners) listener();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${OUTBOX_INSERTED_CHANNEL}"`);
      // Rows written while not listening are found by the relay's next pass.
      for (const listener of listeners) listener();
    } catch (error) {
      retry(error);
    }
  }

  async function claimBatch(limit: number): Promise<OutboxBatch> {
    const client = await pool.connect();
    // While checked out, a dropped connection reports on the client: the queries reject anyway.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    let released = false;
    const release = async (commit: boolean): Promise<void> => {
      if (released) return;
      released = true;
      client.removeListener('error', ignore);
      try {
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    };
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [RELAY_LOCK],
      );
      let rows: OutboxRow[] = [];
      if (lock.rows[0]?.locked === true) {
        const claimed = await client.query<ClaimedRow>(
          `SELECT id, payload, headers, created_at FROM outbox
            WHERE published_at IS NULL AND NOT (headers ? $2)
            ORDER BY created_at, id
            LIMIT $1`,
          [limit, REJECTED_HEADER],
        );
        rows = claimed.rows.map((row) => ({
          id: row.id,
          event: row.payload,
          traceparent: stringHeader(row.headers, 'traceparent'),
          tracestate: stringHeader(row.headers, 'tracestate'),
          writtenAt: row.created_at,
        }));
      }
      return {
        rows,
        async markPublished(ids) {
          await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [
            ids,
          ]);
        },
        async markFailed(id, error, { permanent }) {
          await client.query(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
                    headers = CASE WHEN $3 THEN headers || jsonb_build_object($4::text, true)
                                   ELSE headers END
              WHERE id = $1`,
            [id, error.slice(0, 2000), permanent, REJECTED_HEADER],
          );
        },
        release: () => release(true),
      };
    } catch (error) {
      await release(false).catch(() => undefined);
      throw error;
    }
  }

  async function pending(): Promise<OutboxPending> {
    const result = await pool.query<{ count: string; oldest: Date | null }>(
      `SELECT count(*) AS count, min(created_at) AS oldest FROM outbox
        WHERE published_at IS NULL AND NOT (headers ? $1)`,
      [REJECTED_HEADER],
    );
    const row = result.rows[0];
    return { count: Number(row?.count ?? 0), oldestWrittenAt: row?.oldest ?? null };
  }

  return {
    claimBatch,
    pending,
    async onInserted(listener) {
      listeners.add(listener);
      if (listenClient === null && listenTimer === null && !closed) await listen();
      return () => {
        listeners.delete(listener);
        return Promise.resolve();
      };
    },
    async close() {
      closed = true;
      if (listenTimer) clearTimeout(listenTimer);
      const client = listenClient;
      listenClient = null;
      await client?.end().catch(() => undefined);
      await pool.end();
    },
  };
}
