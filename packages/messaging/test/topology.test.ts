import { getServices, uniqueName } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareTopology, deleteTopology, type TopologyOptions } from '../src/index.ts';
import { openAdmin, type Admin } from './support/broker.ts';

const options: TopologyOptions = {
  namespace: uniqueName('msg_topology'),
  consumers: [
    { service: 'bot', routingKeys: ['game.*'] },
    { service: 'notification-daemon', routingKeys: ['game.created', 'game.updated'] },
  ],
  retryDelaysMs: [100, 500],
};

let admin: Admin;

beforeAll(async () => {
  admin = await openAdmin(getServices().rabbitmqUrl);
});

afterAll(async () => {
  await deleteTopology(admin.channel, options);
  await admin.close();
});

/** Redeclares a queue with exactly these arguments: succeeds only if the queue has them. */
async function hasArguments(queue: string, args: Record<string, unknown>): Promise<boolean> {
  const probe = await admin.connection.createChannel();
  probe.on('error', () => undefined);
  try {
    await probe.assertQueue(queue, { durable: true, arguments: args });
    await probe.close();
    return true;
  } catch {
    return false;
  }
}

describe('declareTopology', () => {
  it('declares the events exchange and, per service, a main, retry and dead-letter queue', async () => {
    const topology = await declareTopology(admin.channel, options);
    await admin.channel.checkExchange(topology.eventsExchange);
    await admin.channel.checkExchange(topology.deadLetterExchange);
    for (const service of ['bot', 'notification-daemon']) {
      const queues = topology.queues[service]!;
      expect(queues.main).toBe(`${options.namespace}.${service}`);
      await admin.channel.checkQueue(queues.main);
      await admin.channel.checkQueue(queues.deadLetter);
      expect(queues.retries.map((retry) => retry.delayMs)).toEqual([100, 500]);
      for (const retry of queues.retries) await admin.channel.checkQueue(retry.queue);
    }
  });

  it('gives the main queue a dead-letter exchange routed to its own parking queue', async () => {
    const topology = await declareTopology(admin.channel, options);
    const bot = topology.queues.bot!;
    expect(
      await hasArguments(bot.main, {
        'x-queue-type': 'quorum',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-delivery-limit': 10,
        'x-dead-letter-exchange': topology.deadLetterExchange,
        'x-dead-letter-routing-key': 'bot',
      }),
    ).toBe(true);
    expect(
      await hasArguments(bot.main, {
        'x-queue-type': 'quorum',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-delivery-limit': 10,
        'x-dead-letter-exchange': 'somewhere-else',
        'x-dead-letter-routing-key': 'bot',
      }),
    ).toBe(false);
  });

  it('gives each retry queue its delay as TTL and dead-letters it back to the main queue', async () => {
    const topology = await declareTopology(admin.channel, options);
    const bot = topology.queues.bot!;
    const first = bot.retries[0]!;
    expect(
      await hasArguments(first.queue, {
        'x-queue-type': 'quorum',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-message-ttl': 100,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': bot.main,
      }),
    ).toBe(true);
  });

  it('routes an event only to the services bound to its type', async () => {
    const topology = await declareTopology(admin.channel, options);
    admin.channel.publish(topology.eventsExchange, 'game.cancelled', Buffer.from('{}'));
    const bot = topology.queues.bot!.main;
    const notifications = topology.queues['notification-daemon']!.main;
    for (;;) {
      const { messageCount } = await admin.channel.checkQueue(bot);
      if (messageCount === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await admin.channel.checkQueue(notifications)).messageCount).toBe(0);
    await admin.channel.purgeQueue(bot);
  });

  it('can be declared again on every reconnect', async () => {
    await declareTopology(admin.channel, options);
    await expect(declareTopology(admin.channel, options)).resolves.toBeDefined();
  });
});
