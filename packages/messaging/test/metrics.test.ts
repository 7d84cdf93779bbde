// The metrics the messaging package reports, read through the project's views: queue depth per queue
// (main, retry, dead-letter), retries and dead letters by queue and event type, and the outbox gauges.
import { installTestMetrics, type TestMetrics } from '@game-scheduler/telemetry/testing';
import { getServices, uniqueName } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consume,
  createEvent,
  createInMemoryIdempotencyStore,
  createInMemoryOutboxStore,
  startOutboxRelay,
  type MessagingConnection,
  type Publisher,
  type Topology,
  type TopologyOptions,
} from '../src/index.ts';
import { eventually, openTestTopology, type Admin } from './support/broker.ts';
import { gameCreatedPayload } from './support/events.ts';

const options: TopologyOptions = {
  namespace: uniqueName('msg_metrics'),
  consumers: [
    { service: 'slow', routingKeys: ['game.created'] },
    { service: 'failing', routingKeys: ['game.updated'] },
  ],
  // One short retry: a failing message is retried once, then dead-lettered.
  retryDelaysMs: [100],
};

let metrics: TestMetrics;
let admin: Admin;
let connection: MessagingConnection;
let topology: Topology;
let publisher: Publisher;
let closeTopology: () => Promise<void>;

beforeAll(async () => {
  metrics = installTestMetrics();
  const { rabbitmqUrl } = getServices();
  ({
    admin,
    connection,
    topology,
    publisher,
    close: closeTopology,
  } = await openTestTopology(rabbitmqUrl, options, uniqueName('msg_metrics')));
});

afterAll(async () => {
  await closeTopology();
  await metrics.shutdown();
});

function depthByQueue(points: { attributes: Record<string, unknown>; value: unknown }[]) {
  return Object.fromEntries(
    points.map((point) => [
      String(point.attributes['messaging.destination.name']),
      { kind: point.attributes['messaging.queue.kind'], depth: point.value },
    ]),
  );
}

describe('queue depth', () => {
  it('reports the messages waiting in the service’s main, retry and dead-letter queues', async () => {
    const queues = topology.queues.slow!;
    const retryQueue = queues.retries[0]!.queue;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const consumer = await consume({
      connection,
      topology,
      service: 'slow',
      idempotency: createInMemoryIdempotencyStore(),
      // One message in flight, held by the gate: the others wait, ready, in the main queue.
      prefetch: 1,
      handler: async () => {
        started += 1;
        await gate;
      },
    });
    try {
      for (const gameId of ['a', 'b', 'c']) {
        await publisher.publish(createEvent('game.created', gameCreatedPayload({ gameId })));
      }
      // Messages parked by the broker side: they stay until someone drains them.
      const parked = Buffer.from('{}');
      for (let i = 0; i < 3; i += 1) admin.channel.sendToQueue(queues.deadLetter, parked);
      await eventually(() => (started === 1 ? true : undefined));

      const depths = await eventually(async () => {
        const found = depthByQueue(await metrics.read('messaging.queue.depth'));
        return found[queues.main]?.depth === 2 && found[queues.deadLetter]?.depth === 3
          ? found
          : undefined;
      });
      expect(depths).toEqual({
        [queues.main]: { kind: 'main', depth: 2 },
        [retryQueue]: { kind: 'retry', depth: 0 },
        [queues.deadLetter]: { kind: 'dead_letter', depth: 3 },
      });
      expect(await metrics.unit('messaging.queue.depth')).toBe('{message}');
    } finally {
      release();
      await consumer.close();
    }
  });
});

describe('retries and dead letters', () => {
  it('counts each retry and each dead letter by queue and event type', async () => {
    const queue = topology.queues.failing!.main;
    const outcomes: string[] = [];
    const consumer = await consume({
      connection,
      topology,
      service: 'failing',
      idempotency: createInMemoryIdempotencyStore(),
      handler: () => Promise.reject(new Error('always fails')),
      onOutcome: (outcome) => {
        outcomes.push(outcome);
      },
    });
    try {
      await publisher.publish(
        createEvent('game.updated', {
          ...gameCreatedPayload({ gameId: 'poison' }),
          changes: { fields: ['title'], joinedUserIds: [], leftUserIds: [], promotedUserIds: [] },
        }),
      );
      await eventually(() => (outcomes.includes('dead_lettered') ? true : undefined));
    } finally {
      await consumer.close();
    }
    expect(outcomes).toEqual(['retried', 'dead_lettered']);
    const labels = { 'messaging.destination.name': queue, 'messaging.event.type': 'game.updated' };
    expect(await metrics.read('messaging.retries')).toEqual([{ attributes: labels, value: 1 }]);
    expect(await metrics.read('messaging.dead_letters')).toEqual([
      { attributes: labels, value: 1 },
    ]);
  });
});

describe('outbox gauges', () => {
  it('report the rows waiting to be published and how long the oldest has waited', async () => {
    const store = createInMemoryOutboxStore();
    const brokerDown = { publish: () => Promise.reject(new Error('broker down')) };
    const relay = await startOutboxRelay({ store, publisher: brokerDown, sweepIntervalMs: 60_000 });
    try {
      for (const [gameId, ageMs] of [
        ['oldest', 90_000],
        ['newer', 1_000],
      ] as const) {
        const event = createEvent('game.created', gameCreatedPayload({ gameId }));
        store.insert({
          id: event.id,
          event,
          traceparent: null,
          tracestate: null,
          writtenAt: new Date(Date.now() - ageMs),
        });
      }
      const [pending] = await metrics.read('outbox.pending');
      expect(pending).toEqual({ attributes: {}, value: 2 });
      const [age] = await metrics.read('outbox.pending.age');
      expect(age?.value).toBeGreaterThanOrEqual(90);
      expect(await metrics.unit('outbox.pending.age')).toBe('s');
    } finally {
      await relay.stop();
    }
  });
});
