// Deletes the queues and exchanges that test runs left behind on a RabbitMQ broker: names made by
// uniqueName() (`<prefix>_<base36 time>_<8 hex>.…`) only, never anything else. Every test deletes
// its topology when it ends; a run that was killed cannot, and hundreds of leftover quorum queues
// hold the broker's file descriptors until it stops accepting connections. .ci/run calls this
// before the tests.
//
//   node scripts/purge-test-topologies.ts [amqp-url]   (default: TEST_RABBITMQ_URL or localhost)
import { execFileSync } from 'node:child_process';
import amqp from 'amqplib';

const TEST_NAME = /^[a-z0-9_]{1,24}_[a-z0-9]{6,10}_[0-9a-f]{8}\./;

function listed(kind: 'queues' | 'exchanges'): string[] {
  const output = execFileSync('rabbitmqctl', [`list_${kind}`, '-q', '--no-table-headers', 'name'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => TEST_NAME.test(name));
}

const url =
  process.argv[2] ?? process.env['TEST_RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const queues = listed('queues');
const exchanges = listed('exchanges');
const connection = await amqp.connect(url);
const channel = await connection.createChannel();
for (const queue of queues) await channel.deleteQueue(queue);
for (const exchange of exchanges) await channel.deleteExchange(exchange);
await connection.close();
process.stdout.write(
  `purged ${String(queues.length)} queues and ${String(exchanges.length)} exchanges left by earlier test runs\n`,
);
