// A dedicated PostgreSQL connection that LISTENs on one channel, and comes back by itself (with
// exponential backoff) when the connection drops. Pooled connections cannot LISTEN reliably.
import { connectionFailureReason, describeDatabaseUrl } from '@game-scheduler/db';
import { DomainError } from '@game-scheduler/domain';
import pg from 'pg';
import { backoffDelayMs } from './backoff.ts';

export interface NotifyListenerOptions {
  readonly databaseUrl: string;
  readonly channel: string;
  readonly applicationName?: string;
  /** A notification arrived (payload as sent). */
  readonly onNotify: (payload: string) => void;
  /** The connection is back after a drop: notifications may have been missed meanwhile. */
  readonly onReconnected: () => void;
  /** The connection dropped or a reconnect failed (for logging). */
  readonly onError: (error: unknown) => void;
  /** Reconnect backoff. Default 1 s doubling up to 30 s. */
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** Connect timeout. Default 10 s. */
  readonly connectTimeoutMs?: number;
}

export interface NotifyListener {
  close(): Promise<void>;
}

function unreachable(databaseUrl: string, error: unknown): DomainError {
  return new DomainError(
    'DEPENDENCY_UNAVAILABLE',
    `Cannot connect to PostgreSQL at ${describeDatabaseUrl(databaseUrl)}: ${connectionFailureReason(error)}`,
    { cause: error },
  );
}

/**
 * Connects and LISTENs; rejects with `DEPENDENCY_UNAVAILABLE` (one line naming host:port/database,
 * never the password) when the first connection fails. Later drops reconnect in the background.
 */
export async function startNotifyListener(options: NotifyListenerOptions): Promise<NotifyListener> {
  const channel = options.channel;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) {
    throw new DomainError('VALIDATION', `Not a plain channel name: ${channel}`);
  }
  let closed = false;
  let client: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: options.applicationName ?? `${channel}-listen`,
    });
    let dropped = false;
    const drop = (error: unknown): void => {
      if (dropped) return;
      dropped = true;
      if (client === next) client = null;
      next.end().catch(() => undefined);
      if (closed) return;
      options.onError(error);
      scheduleReconnect();
    };
    // pg emits 'error' when the connection dies after connecting — during the LISTEN below, say,
    // while PostgreSQL restarts — and an 'error' without a listener ends the process. Until the
    // connection listens, the failure is kept here (the awaits below reject for it as well).
    let failedWhileStarting: Error | undefined;
    const whileStarting = (error: Error): void => {
      failedWhileStarting ??= error;
    };
    next.on('error', whileStarting);
    next.on('notification', (message) => {
      if (message.channel === channel) options.onNotify(message.payload ?? '');
    });
    try {
      await next.connect();
      await next.query(`LISTEN "${channel}"`);
      if (failedWhileStarting !== undefined) throw failedWhileStarting;
    } catch (error) {
      dropped = true;
      next.end().catch(() => undefined);
      throw error;
    }
    next.off('error', whileStarting);
    next.on('error', drop);
    next.on('end', () => {
      drop(new Error('LISTEN connection ended'));
    });
    client = next;
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer !== null) return;
    failures += 1;
    const delay = backoffDelayMs(failures, {
      baseMs: options.reconnectBaseMs ?? 1_000,
      maxMs: options.reconnectMaxMs ?? 30_000,
    });
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (closed) return;
      connect().then(
        async () => {
          if (closed) {
            await client?.end().catch(() => undefined);
            return;
          }
          failures = 0;
          options.onReconnected();
        },
        (error: unknown) => {
          options.onError(error);
          scheduleReconnect();
        },
      );
    }, delay);
  }

  try {
    await connect();
  } catch (error) {
    throw unreachable(options.databaseUrl, error);
  }

  return {
    async close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
