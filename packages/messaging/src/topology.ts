// The RabbitMQ topology: one topic exchange for domain events and, per consuming service, a quorum
// queue with a dead-letter exchange, delayed retry queues and a parking (dead-letter) queue.
import type { Channel } from 'amqplib';

export interface ConsumerBinding {
  /** The consuming service, e.g. `bot`; becomes part of its queue names. */
  service: string;
  /** Topic patterns the service's queue binds to on the events exchange, e.g. `game.*`. */
  routingKeys: readonly string[];
}

export interface TopologyOptions {
  /** Prefix of every exchange and queue name: `game-scheduler` in production, unique per test file. */
  namespace: string;
  consumers: readonly ConsumerBinding[];
  /** Delay before each retry; its length bounds the retries. Default 1 s, 5 s, 30 s. */
  retryDelaysMs?: readonly number[];
  /**
   * Broker-side cap on deliveries of one message (quorum `x-delivery-limit`), for messages that crash
   * the consumer before it can retry or dead-letter them itself. Default 10.
   */
  deliveryLimit?: number;
}

export interface ServiceQueues {
  service: string;
  /** The queue the service consumes. */
  main: string;
  /** One queue per retry delay, in order; each dead-letters back into `main` when its TTL expires. */
  retries: readonly { queue: string; delayMs: number }[];
  /** The parking queue: messages that failed every attempt or broke the contract. */
  deadLetter: string;
}

export interface Topology {
  namespace: string;
  /** Topic exchange every domain event is published to, routed by event type. */
  eventsExchange: string;
  /** Direct exchange routing dead letters to each service's parking queue by service name. */
  deadLetterExchange: string;
  queues: Readonly<Record<string, ServiceQueues>>;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];
export const DEFAULT_DELIVERY_LIMIT = 10;

/** The names the options produce, without touching the broker. */
export function topologyNames(options: TopologyOptions): Topology {
  const { namespace } = options;
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const queues: Record<string, ServiceQueues> = {};
  for (const { service } of options.consumers) {
    const main = `${namespace}.${service}`;
    queues[service] = {
      service,
      main,
      // The delay is part of the name, so changing the delays declares new queues instead of failing
      // on a queue that already exists with another TTL.
      retries: delays.map((delayMs) => ({ queue: `${main}.retry.${delayMs}ms`, delayMs })),
      deadLetter: `${main}.dead-letter`,
    };
  }
  return {
    namespace,
    eventsExchange: `${namespace}.events`,
    deadLetterExchange: `${namespace}.dead-letter`,
    queues,
  };
}

/** Quorum queues: replicated, durable, with a delivery limit and at-least-once dead-lettering. */
const QUORUM = { 'x-queue-type': 'quorum' } as const;
const AT_LEAST_ONCE_DEAD_LETTERING = {
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
} as const;

/**
 * Declares (idempotently) every exchange, queue and binding. Safe to call on every (re)connect;
 * declaring an existing queue with other arguments fails with PRECONDITION_FAILED, as RabbitMQ does.
 */
export async function declareTopology(
  channel: Channel,
  options: TopologyOptions,
): Promise<Topology> {
  const topology = topologyNames(options);
  const deliveryLimit = options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT;
  await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
  await channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
  for (const binding of options.consumers) {
    const names = topology.queues[binding.service];
    if (names === undefined) continue;
    await channel.assertQueue(names.deadLetter, { durable: true, arguments: { ...QUORUM } });
    await channel.bindQueue(names.deadLetter, topology.deadLetterExchange, binding.service);
    await channel.assertQueue(names.main, {
      durable: true,
      arguments: {
        ...QUORUM,
        ...AT_LEAST_ONCE_DEAD_LETTERING,
        'x-delivery-limit': deliveryLimit,
        'x-dead-letter-exchange': topology.deadLetterExchange,
        'x-dead-letter-routing-key': binding.service,
      },
    });
    for (const routingKey of binding.routingKeys) {
      await channel.bindQueue(names.main, topology.eventsExchange, routingKey);
    }
    for (const retry of names.retries) {
      // Expired messages go through the default exchange straight back to this service's queue only
      // (re-publishing to the topic exchange would reach every other service again).
      await channel.assertQueue(retry.queue, {
        durable: true,
        arguments: {
          ...QUORUM,
          ...AT_LEAST_ONCE_DEAD_LETTERING,
          'x-message-ttl': retry.delayMs,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': names.main,
        },
      });
    }
  }
  return topology;
}

/** Deletes everything `declareTopology` declared (tests clean up with it). */
export async function deleteTopology(channel: Channel, options: TopologyOptions): Promise<void> {
  const topology = topologyNames(options);
  for (const names of Object.values(topology.queues)) {
    for (const queue of [names.main, ...names.retries.map((r) => r.queue), names.deadLetter]) {
      await channel.deleteQueue(queue);
    }
  }
  await channel.deleteExchange(topology.eventsExchange);
  await channel.deleteExchange(topology.deadLetterExchange);
}
