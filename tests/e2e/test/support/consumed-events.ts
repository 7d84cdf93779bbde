// Proof that every event of a run reached each consumer: nothing waits in its queue or its retry
// queues or was parked, it recorded in `processed_messages` (handled exactly once) every event of
// the types that always have an effect for it, and it recorded nothing but this run's events.
// Events that change nothing for a consumer (a Join's `game.updated` for the daemons, an
// announcement rendered again for the bot) are acked without that record by design: the empty
// queues are their proof.
import { topologyNames } from '@game-scheduler/messaging';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type Channel } from 'amqplib';
import { expect } from 'vitest';
import type { Stack } from './stack.ts';

export interface ConsumerExpectation {
  readonly service: string;
  /** The event types its queue is bound to (its app's ROUTING_KEYS). */
  readonly routingKeys: readonly string[];
  /** The types it always records (the others only when they change something). */
  readonly recorded: readonly string[];
}

/** The daemons: they record only the events that move a schedule (game.updated only with timing fields). */
export const DAEMON_CONSUMERS: readonly ConsumerExpectation[] = [
  {
    service: 'notification-daemon',
    routingKeys: ['game.created', 'game.updated', 'game.cancelled', 'game.player_removed'],
    recorded: ['game.created', 'game.cancelled'],
  },
  {
    service: 'status-transition-daemon',
    routingKeys: ['game.created', 'game.updated', 'game.cancelled'],
    recorded: ['game.created', 'game.cancelled'],
  },
];

/** What is not (yet) as it should be; empty when every event was consumed. */
async function problems(
  stack: Stack,
  channel: Channel,
  consumers: readonly ConsumerExpectation[],
): Promise<string[]> {
  const found: string[] = [];
  const events = await stack.prisma.outboxEvent.findMany({
    select: { id: true, eventType: true, publishedAt: true },
  });
  const unpublished = events.filter((event) => event.publishedAt === null).length;
  if (unpublished > 0) found.push(`${String(unpublished)} events not published`);
  const names = topologyNames({
    namespace: stack.namespace,
    consumers: consumers.map(({ service, routingKeys }) => ({ service, routingKeys })),
  });
  for (const consumer of consumers) {
    const routed = events.filter((event) => consumer.routingKeys.includes(event.eventType));
    const routedIds = new Set(routed.map((event) => event.id));
    const recorded = new Set(
      (
        await stack.prisma.processedMessage.findMany({
          where: { consumer: consumer.service },
          select: { messageId: true },
        })
      ).map((row) => row.messageId),
    );
    for (const id of recorded) {
      if (!routedIds.has(id))
        found.push(`${consumer.service} recorded ${id}, not an event of this run`);
    }
    for (const event of routed) {
      if (consumer.recorded.includes(event.eventType) && !recorded.has(event.id)) {
        found.push(`${consumer.service} has not handled ${event.eventType} ${event.id}`);
      }
    }
    const queues = names.queues[consumer.service];
    if (queues === undefined) throw new Error(`no queues for ${consumer.service}`);
    for (const queue of [queues.main, ...queues.retries.map((retry) => retry.queue)]) {
      const { messageCount } = await channel.checkQueue(queue);
      if (messageCount > 0) found.push(`${String(messageCount)} events wait in ${queue}`);
    }
    const { messageCount: parked } = await channel.checkQueue(queues.deadLetter);
    if (parked > 0) found.push(`${String(parked)} events parked in ${queues.deadLetter}`);
  }
  return found;
}

/** Waits up to `timeoutMs` for every event to be consumed, then fails naming what is not. */
export async function expectEveryEventConsumed(
  stack: Stack,
  rabbitmqUrl: string,
  consumers: readonly ConsumerExpectation[],
  timeoutMs = 30_000,
): Promise<void> {
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    const deadline = Date.now() + timeoutMs;
    let found = await problems(stack, channel, consumers);
    while (found.length > 0 && Date.now() < deadline) {
      await sleep(500);
      found = await problems(stack, channel, consumers);
    }
    expect(found).toEqual([]);
  } finally {
    await connection.close();
  }
}
