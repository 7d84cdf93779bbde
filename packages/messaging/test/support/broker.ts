// Test helpers for the real RabbitMQ: an admin channel, a test file's topology, reading queues,
// closing one connection.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import {
  createConnection,
  createPublisher,
  deleteTopology,
  ensureTopology,
  type MessagingConnection,
  type Publisher,
  type Topology,
  type TopologyOptions,
} from '../../src/index.ts';

export { eventually } from '@game-scheduler/testing';

const run = promisify(execFile);

export interface Admin {
  connection: ChannelModel;
  channel: Channel;
  close: () => Promise<void>;
}

export async function openAdmin(url: string): Promise<Admin> {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  return {
    connection,
    channel,
    close: async () => {
      await connection.close();
    },
  };
}

/** Takes (and acks) every message currently in the queue. */
export async function drain(channel: Channel, queue: string): Promise<GetMessage[]> {
  const messages: GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return messages;
    messages.push(message);
  }
}

/**
 * Force-closes, from the broker's side, the one connection with this client-provided name (other
 * helpers share the broker, so never all of them).
 */
export async function closeConnectionServerSide(connectionName: string): Promise<void> {
  const { stdout } = await run('rabbitmqctl', [
    '-q',
    'list_connections',
    '--no-table-headers',
    'pid',
    'client_properties',
  ]);
  const marker = `{"connection_name","${connectionName}"}`;
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => line.split('\t')[0]?.trim())
    .filter((pid): pid is string => pid !== undefined && pid !== '');
  if (pids.length !== 1) {
    throw new Error(`Expected one connection named ${connectionName}, found ${pids.length}`);
  }
  await run('rabbitmqctl', ['-q', 'close_connection', pids[0]!, 'closed by the reconnect test']);
}

export interface TestTopology {
  readonly admin: Admin;
  readonly connection: MessagingConnection;
  readonly topology: Topology;
  readonly publisher: Publisher;
  /** Closes the publisher and connection, deletes the topology, closes the admin connection. */
  readonly close: () => Promise<void>;
}

/** A test file's own topology on the real broker, a connection to it and a publisher. */
export async function openTestTopology(
  url: string,
  options: TopologyOptions,
  connectionName: string,
): Promise<TestTopology> {
  const admin = await openAdmin(url);
  const connection = await createConnection({ url, connectionName });
  const topology = await ensureTopology(connection, options);
  const publisher = createPublisher({ connection, exchange: topology.eventsExchange });
  return {
    admin,
    connection,
    topology,
    publisher,
    close: async () => {
      await publisher.close();
      await connection.close();
      await deleteTopology(admin.channel, options);
      await admin.close();
    },
  };
}
