// One AMQP connection that re-establishes itself: backoff reconnects (amqplib's recovery), and every
// registered setup (declare topology, open channels, start consuming) runs again on each new connection.
import { connect, type ChannelModel } from 'amqplib';
import { brokerUnavailable } from './errors.ts';

/** Runs on every (re)established connection; it opens whatever channels its owner needs. */
export type ConnectionSetup = (model: ChannelModel) => Promise<void>;

export type ConnectionEvent =
  | { type: 'connected' }
  | { type: 'disconnected'; error: Error }
  | { type: 'reconnect-scheduled'; attempt: number; delayMs: number; error: Error }
  | { type: 'connect-failed'; error: Error }
  | { type: 'error'; error: Error };

export interface ConnectionOptions {
  url: string;
  /** Client-provided connection name, shown by RabbitMQ (management UI, `rabbitmqctl`). */
  connectionName: string;
  reconnect?: {
    /** Default 100 ms, doubling per attempt with jitter. */
    initialDelayMs?: number;
    /** Default 30 s. */
    maxDelayMs?: number;
    /** Attempts before the first connection fails `createConnection`. Default: unbounded. */
    initialMaxRetries?: number;
  };
  /** For logging: connection state changes. */
  onEvent?: (event: ConnectionEvent) => void;
}

export interface MessagingConnection {
  readonly name: string;
  /**
   * Runs `setup` now (or on the coming connection) and again after every reconnect, in registration
   * order. Resolves once it has run once; returns the function that unregisters it.
   */
  register(setup: ConnectionSetup): Promise<() => void>;
  /** The live connection; waits while reconnecting. */
  current(): Promise<ChannelModel>;
  /**
   * True while a connection is up and set up; false while it is lost or reconnecting (a consumer's
   * channel closing drops it too, see `reset`), and once closed. What a readiness check reads.
   */
  isConnected(): boolean;
  /** Drops `model` if it is still the live connection, so a new one is made and every setup reruns. */
  reset(model: ChannelModel): void;
  close(): Promise<void>;
}

interface Registration {
  setup: ConnectionSetup;
  ranOn: ChannelModel | null;
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

export async function createConnection(options: ConnectionOptions): Promise<MessagingConnection> {
  const registrations = new Set<Registration>();
  const notify = options.onEvent ?? ((): void => undefined);
  let settingUp: ChannelModel | null = null;
  let ready: ChannelModel | null = null;
  let latest: ChannelModel | null = null;
  let closed = false;
  let waiters: { resolve: (model: ChannelModel) => void; reject: (error: Error) => void }[] = [];

  async function runOnce(registration: Registration, model: ChannelModel): Promise<void> {
    if (registration.ranOn === model) return;
    registration.ranOn = model;
    await registration.setup(model);
  }

  async function setupAll(model: ChannelModel): Promise<void> {
    latest = model;
    settingUp = model;
    try {
      // A Set iterates entries added while iterating, so registrations made meanwhile run too.
      for (const registration of registrations) await runOnce(registration, model);
    } finally {
      settingUp = null;
    }
  }

  const recovering = await connect(options.url, {
    clientProperties: { connection_name: options.connectionName },
    recovery: {
      initialDelay: options.reconnect?.initialDelayMs ?? 100,
      maxDelay: options.reconnect?.maxDelayMs ?? 30_000,
      ...(options.reconnect?.initialMaxRetries === undefined
        ? {}
        : { initialMaxRetries: options.reconnect.initialMaxRetries }),
      setup: setupAll,
    },
  });
  // `connect` resolved once the first connection was set up; its 'connect' event fired before these
  // listeners existed, so the live model is the one the setup last saw.
  recovering.on('connect', (model: ChannelModel) => {
    ready = model;
    const pending = waiters;
    waiters = [];
    for (const waiter of pending) waiter.resolve(model);
    notify({ type: 'connected' });
  });
  recovering.on('disconnect', (error: Error) => {
    ready = null;
    notify({ type: 'disconnected', error });
  });
  recovering.on('reconnect-scheduled', (info: { attempt: number; delay: number; error: Error }) => {
    notify({
      type: 'reconnect-scheduled',
      attempt: info.attempt,
      delayMs: info.delay,
      error: info.error,
    });
  });
  recovering.on('connect-failed', (error: Error) => {
    notify({ type: 'connect-failed', error });
  });
  recovering.on('error', (error: Error) => {
    notify({ type: 'error', error });
  });
  recovering.on('reconnect-failed', (error: Error) => {
    const pending = waiters;
    waiters = [];
    for (const waiter of pending) waiter.reject(error);
  });

  ready = latest;

  function current(): Promise<ChannelModel> {
    if (closed) {
      return Promise.reject(brokerUnavailable('Connection closed'));
    }
    if (ready !== null) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      waiters.push({ resolve, reject });
    });
  }

  return {
    name: options.connectionName,
    current,
    async register(setup) {
      const registration: Registration = { setup, ranOn: null };
      registrations.add(registration);
      try {
        const model = settingUp ?? ready ?? (await current());
        await runOnce(registration, model);
      } catch (error) {
        registrations.delete(registration);
        throw toError(error);
      }
      return () => {
        registrations.delete(registration);
      };
    },
    isConnected() {
      return !closed && ready !== null;
    },
    reset(model) {
      if (model !== ready) return;
      ready = null;
      model.close().catch(() => undefined);
    },
    async close() {
      closed = true;
      const pending = waiters;
      waiters = [];
      for (const waiter of pending) {
        waiter.reject(brokerUnavailable('Connection closed'));
      }
      await recovering.close();
    },
  };
}

/**
 * The readiness check of a service's RabbitMQ: throws while the connection is down. It reads the
 * state the connection keeps; `current()` would wait for a reconnect instead of answering.
 */
export function rabbitmqReadiness(
  connection: Pick<MessagingConnection, 'isConnected'>,
): () => void {
  return () => {
    if (!connection.isConnected()) throw new Error('not connected');
  };
}
