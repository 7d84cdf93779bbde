// The LISTEN connection against a PostgreSQL that goes away at the worst moment: a TCP proxy in front
// of the real server cuts connections, or cuts one just as its LISTEN goes through (what a restart of
// PostgreSQL does to a reconnect in flight). pg then emits 'error' on a client that has connected
// but does not listen yet; the listener must neither crash the process nor give up.
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { eventually, getServices, uniqueName } from '@game-scheduler/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotifyListener, type NotifyListener } from '../src/index.ts';

interface CuttingProxy {
  readonly databaseUrl: string;
  /** Cuts every open connection. */
  cutAll(): void;
  /** The next `count` connections are cut when their LISTEN passes through. */
  cutNextAtListen(count: number): void;
  close(): Promise<void>;
}

async function startCuttingProxy(databaseUrl: string): Promise<CuttingProxy> {
  const target = new URL(databaseUrl);
  const open = new Set<Socket>();
  let toCut = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || '5432'), target.hostname);
    const cutAtListen = toCut > 0;
    if (cutAtListen) toCut -= 1;
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
    };
    open.add(client);
    client.on('data', (chunk: Buffer) => {
      if (cutAtListen && chunk.includes('LISTEN')) close();
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on('close', close);
      socket.on('error', close);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(address.port);
  return {
    databaseUrl: proxied.href,
    cutAll: () => {
      for (const socket of open) socket.destroy();
    },
    cutNextAtListen: (count) => {
      toCut = count;
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

let proxy: CuttingProxy;

beforeAll(async () => {
  proxy = await startCuttingProxy(getServices().databaseUrl);
});

afterAll(async () => {
  await proxy.close();
});

describe('the LISTEN connection', () => {
  it('refuses to start, with a clear error, when its first connection is cut during LISTEN', async () => {
    proxy.cutNextAtListen(1);
    const starting = startNotifyListener({
      databaseUrl: proxy.databaseUrl,
      channel: uniqueName('cut_first'),
      onNotify: () => undefined,
      onReconnected: () => undefined,
      onError: () => undefined,
    });
    await expect(starting).rejects.toThrow(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:/);
    // a late 'error' from the dead client would end this process here
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it('comes back after a drop even when a reconnect is cut during its LISTEN, and hears notifications again', async () => {
    const channel = uniqueName('cut_reconnect');
    const payloads: string[] = [];
    const errors: unknown[] = [];
    let reconnected = 0;
    const listener: NotifyListener = await startNotifyListener({
      databaseUrl: proxy.databaseUrl,
      channel,
      reconnectBaseMs: 50,
      reconnectMaxMs: 100,
      onNotify: (payload) => payloads.push(payload),
      onReconnected: () => {
        reconnected += 1;
      },
      onError: (error) => errors.push(error),
    });
    const notifier = new pg.Client({ connectionString: getServices().databaseUrl });
    await notifier.connect();
    try {
      proxy.cutNextAtListen(1);
      proxy.cutAll();
      await eventually(() => (reconnected === 1 ? true : undefined), { timeoutMs: 10_000 });
      // the drop, then the reconnect cut during its LISTEN
      expect(errors.length).toBeGreaterThanOrEqual(2);
      await notifier.query(`NOTIFY "${channel}", 'after the cuts'`);
      await eventually(() => (payloads.includes('after the cuts') ? true : undefined));
    } finally {
      await notifier.end();
      await listener.close();
    }
  });
});
