// What a service that writes outbox rows runs to publish them: a publisher with confirms on the
// events exchange, the PostgreSQL outbox store (LISTEN plus an advisory lock, so one relay works at a
// time across every service), and the relay between them; stop() closes all three in order.
import type { MessagingConnection } from '../connection.ts';
import { startOutboxRelay, type OutboxRelay } from '../outbox/outbox-relay.ts';
import { createPublisher } from '../publisher.ts';
import { createPostgresOutboxStore } from './postgres-outbox-store.ts';

export interface PostgresOutboxRelayOptions {
  readonly connection: MessagingConnection;
  /** The events exchange (Topology.eventsExchange). */
  readonly exchange: string;
  readonly databaseUrl: string;
  /** The service's name; the store's connections report `<name>-outbox`. */
  readonly applicationName: string;
  /** For logging: the LISTEN connection failed (the sweep covers the gap). */
  readonly onListenError?: (error: unknown) => void;
  /** For logging: a relay pass failed (the next wake retries). */
  readonly onError?: (error: unknown) => void;
}

export async function startPostgresOutboxRelay(
  options: PostgresOutboxRelayOptions,
): Promise<Pick<OutboxRelay, 'drain' | 'stop'>> {
  const publisher = createPublisher({
    connection: options.connection,
    exchange: options.exchange,
  });
  const store = createPostgresOutboxStore({
    databaseUrl: options.databaseUrl,
    applicationName: `${options.applicationName}-outbox`,
    ...(options.onListenError === undefined ? {} : { onListenError: options.onListenError }),
  });
  let relay: OutboxRelay;
  try {
    relay = await startOutboxRelay({
      store,
      publisher,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    await publisher.close().catch(() => undefined);
    throw error;
  }
  return {
    drain: () => relay.drain(),
    stop: async () => {
      await relay.stop();
      await store.close();
      await publisher.close();
    },
  };
}
