import { getServices, uniqueName } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consume,
  createConnection,
  createEvent,
  createInMemoryIdempotencyStore,
  createPublisher,
  deleteTopology,
  ensureTopology,
  rabbitmqReadiness,
  type Consumer,
  type ConnectionEvent,
  type MessagingConnection,
  type Publisher,
  type Topology,
  type TopologyOptions,
} from '../src/index.ts';
import { closeConnectionServerSide, eventually, openAdmin, type Admin } from './support/broker.ts';
import { gameCreatedPayload } from './support/events.ts';

const options: TopologyOptions = {
  namespace: uniqueName('msg_reconnect'),
  consumers: [{ service: 'status-transition-daemon', routingKeys: ['game.created'] }],
  retryDelaysMs: [100],
};
const connectionName = uniqueName('msg_reconnect_consumer');
const publisherConnectionName = uniqueName('msg_reconnect_publisher');

let admin: Admin;
let consumerConnection: MessagingConnection;
let publisherConnection: MessagingConnection;
let topology: Topology;
let publisher: Publisher;
let consumer: Consumer;
const events: ConnectionEvent['type'][] = [];
const publisherEvents: ConnectionEvent['type'][] = [];
const handled: string[] = [];

beforeAll(async () => {
  const { rabbitmqUrl } = getServices();
  admin = await openAdmin(rabbitmqUrl);
  consumerConnection = await createConnection({
    url: rabbitmqUrl,
    connectionName,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    onEvent: (event) => events.push(event.type),
  });
  publisherConnection = await createConnection({
    url: rabbitmqUrl,
    connectionName: publisherConnectionName,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    onEvent: (event) => publisherEvents.push(event.type),
  });
  topology = await ensureTopology(consumerConnection, options);
  publisher = createPublisher({
    connection: publisherConnection,
    exchange: topology.eventsExchange,
  });
  consumer = await consume({
    connection: consumerConnection,
    topology,
    service: 'status-transition-daemon',
    idempotency: createInMemoryIdempotencyStore(),
    handler: (event) => {
      handled.push(event.payload.gameId);
      return Promise.resolve();
    },
  });
});

afterAll(async () => {
  await consumer.close();
  await publisher.close();
  await consumerConnection.close();
  await publisherConnection.close();
  await deleteTopology(admin.channel, options);
  await admin.close();
});

async function publishAndAwait(gameId: string): Promise<void> {
  await publisher.publish(createEvent('game.created', gameCreatedPayload({ gameId })));
  await eventually(() => (handled.includes(gameId) ? true : undefined));
}

function count(type: ConnectionEvent['type']): number {
  return events.filter((event) => event === type).length;
}

describe('consumer recovery', () => {
  it('keeps consuming after its connection is closed from the server side', async () => {
    await publishAndAwait('before-close');
    await closeConnectionServerSide(connectionName);
    await eventually(() =>
      count('disconnected') === 1 && count('connected') === 1 ? true : undefined,
    );
    await publishAndAwait('after-close');
    expect(handled).toEqual(['before-close', 'after-close']);
  });

  it('re-declares its queue and resumes when the broker cancels it (queue deleted)', async () => {
    const queue = topology.queues['status-transition-daemon']!.main;
    await admin.channel.deleteQueue(queue);
    await eventually(() => (count('connected') === 2 ? true : undefined));
    await admin.channel.checkQueue(queue);
    await publishAndAwait('after-delete');
    expect(handled).toEqual(['before-close', 'after-close', 'after-delete']);
  });

  it('publishes again once its own connection was closed from the server side', async () => {
    await closeConnectionServerSide(publisherConnectionName);
    await eventually(() => (publisherEvents.includes('connected') ? true : undefined));
    await publishAndAwait('after-publisher-close');
    expect(handled).toContain('after-publisher-close');
  });
});

describe('connection state', () => {
  it('is connected while up, not between a drop and its reconnect, and not once closed', async () => {
    const name = uniqueName('msg_reconnect_state');
    const seen: string[] = [];
    let connection: MessagingConnection | undefined = undefined;
    connection = await createConnection({
      url: getServices().rabbitmqUrl,
      connectionName: name,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
      onEvent: (event) => {
        if (event.type === 'connected' || event.type === 'disconnected') {
          seen.push(`${event.type}: ${String(connection?.isConnected())}`);
        }
      },
    });
    expect(connection.isConnected()).toBe(true);
    await closeConnectionServerSide(name);
    await eventually(() => (seen.includes('connected: true') ? true : undefined));
    expect(seen).toEqual(['disconnected: false', 'connected: true']);
    expect(connection.isConnected()).toBe(true);
    const ready = rabbitmqReadiness(connection);
    expect(ready).not.toThrow();
    await connection.close();
    expect(connection.isConnected()).toBe(false);
    expect(ready).toThrow('not connected');
  });
});

describe('publisher without a broker', () => {
  it('gives up after its timeout instead of waiting for a connection forever', async () => {
    const neverConnects: MessagingConnection = {
      name: 'never-connects',
      current: () => new Promise(() => undefined),
      register: () => new Promise(() => undefined),
      isConnected: () => false,
      reset: () => undefined,
      close: () => Promise.resolve(),
    };
    const stranded = createPublisher({
      connection: neverConnects,
      exchange: topology.eventsExchange,
      timeoutMs: 200,
    });
    await expect(
      stranded.publish(createEvent('game.created', gameCreatedPayload({ gameId: 'stranded' }))),
    ).rejects.toThrow(/timed out/);
  });
});
