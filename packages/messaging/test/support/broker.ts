// Test helpers for the real RabbitMQ: an admin channel, reading queues, closing one connection.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';

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
