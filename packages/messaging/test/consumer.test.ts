import { createPrismaClient } from '@game-scheduler/db';
import { freePort, getServices, uniqueName } from '@game-scheduler/testing';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEADERS,
  consume,
  createConnection,
  createEvent,
  createInMemoryIdempotencyStore,
  createPublisher,
  deleteTopology,
  ensureTopology,
  type Consumer,
  type EventOf,
  type EventHandler,
  type MessagingConnection,
  type Publisher,
  type Topology,
  type TopologyOptions,
} from '../src/index.ts';
import { drain, eventually, openAdmin, type Admin } from './support/broker.ts';
import { gameCreatedPayload } from './support/events.ts';
import { installTestTracing, type TestTracing } from '@game-scheduler/telemetry/testing';

const SERVICE = 'bot';
const declared: TopologyOptions[] = [];
let admin: Admin;
let connection: MessagingConnection;
let tracing: TestTracing;

beforeAll(async () => {
  tracing = installTestTracing();
  const { rabbitmqUrl } = getServices();
  admin = await openAdmin(rabbitmqUrl);
  connection = await createConnection({
    url: rabbitmqUrl,
    connectionName: uniqueName('msg_consumer_test'),
  });
});

afterAll(async () => {
  await connection.close();
  for (const options of declared) await deleteTopology(admin.channel, options);
  await admin.close();
  await tracing.shutdown();
});

/** A topology of its own for one test, so no message of one test reaches another. */
async function freshTopology(): Promise<{ topology: Topology; publisher: Publisher }> {
  const options: TopologyOptions = {
    namespace: uniqueName('msg_consumer'),
    consumers: [{ service: SERVICE, routingKeys: ['game.*'] }],
    retryDelaysMs: [100, 200],
  };
  declared.push(options);
  const topology = await ensureTopology(connection, options);
  return {
    topology,
    publisher: createPublisher({ connection, exchange: topology.eventsExchange }),
  };
}

function startConsumer(topology: Topology, handler: EventHandler<undefined>): Promise<Consumer> {
  return consume({
    connection,
    topology,
    service: SERVICE,
    handler,
    idempotency: createInMemoryIdempotencyStore(),
    prefetch: 1,
  });
}

function gameEvent(gameId: string): EventOf<'game.created'> {
  return createEvent('game.created', gameCreatedPayload({ gameId }));
}

describe('publish and consume', () => {
  it('runs the handler inside a consumer span of the publisher’s trace', async () => {
    const { topology, publisher } = await freshTopology();
    const seen: { traceId: string | undefined; gameId: string }[] = [];
    const consumer = await startConsumer(topology, (event) => {
      seen.push({
        traceId: trace.getActiveSpan()?.spanContext().traceId,
        gameId: event.payload.gameId,
      });
      return Promise.resolve();
    });

    const requestSpan = trace.getTracer('test').startSpan('POST /api/v1/games');
    const traceId = requestSpan.spanContext().traceId;
    await publisher.publish(gameEvent('traced'), {
      parentContext: trace.setSpan(context.active(), requestSpan),
    });
    requestSpan.end();

    await eventually(() => (seen.length === 1 ? true : undefined));
    expect(seen[0]).toEqual({ traceId, gameId: 'traced' });

    const spans = await eventually(() => {
      const inTrace = tracing.exporter
        .getFinishedSpans()
        .filter((span) => span.spanContext().traceId === traceId);
      return inTrace.some((span) => span.kind === SpanKind.CONSUMER) ? inTrace : undefined;
    });
    const producers = spans.filter((span) => span.kind === SpanKind.PRODUCER);
    const consumers = spans.filter((span) => span.kind === SpanKind.CONSUMER);
    expect(producers.map((span) => span.name)).toEqual(['event.publish']);
    expect(consumers.map((span) => span.name)).toEqual(['event.process']);
    expect(consumers[0]!.attributes['messaging.event.type']).toBe('game.created');
    expect(consumers[0]!.attributes.outcome).toBe('success');
    expect(consumers[0]!.parentSpanContext?.spanId).toBe(producers[0]!.spanContext().spanId);
    expect(producers[0]!.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);

    await consumer.close();
    await publisher.close();
  });

  it('parks a poison message after the bounded retries while the messages behind it are handled', async () => {
    const { topology, publisher } = await freshTopology();
    const handled: string[] = [];
    let poisonAttempts = 0;
    let releaseGood: () => void = () => undefined;
    const goodDone = new Promise<void>((resolve) => (releaseGood = resolve));
    const consumer = await startConsumer(topology, async (event, { attempt }) => {
      if (event.payload.gameId === 'poison') {
        poisonAttempts += 1;
        expect(attempt).toBe(poisonAttempts);
        // The second attempt only fails once every message published after the poison was handled:
        // had the poison blocked the queue, this would never resolve and the test would time out.
        if (attempt === 2) await goodDone;
        throw new Error(`cannot handle ${event.payload.gameId}`);
      }
      handled.push(event.payload.gameId);
      if (handled.length === 3) releaseGood();
    });

    await publisher.publish(gameEvent('poison'));
    for (const gameId of ['good-1', 'good-2', 'good-3']) await publisher.publish(gameEvent(gameId));

    const parked = await eventually(async () => {
      const messages = await drain(admin.channel, topology.queues[SERVICE]!.deadLetter);
      return messages.length > 0 ? messages : undefined;
    });
    expect(handled).toEqual(['good-1', 'good-2', 'good-3']);
    expect(poisonAttempts).toBe(3);
    expect(parked).toHaveLength(1);
    const headers = parked[0]!.properties.headers as Record<string, unknown>;
    expect(headers[HEADERS.deadLetterCode]).toBe('HANDLER_FAILED');
    expect(headers[HEADERS.deadLetterReason]).toContain('cannot handle poison');
    expect(headers[HEADERS.attempt]).toBe(3);
    expect(headers[HEADERS.routingKey]).toBe('game.created');
    expect(JSON.parse(parked[0]!.content.toString()).payload.gameId).toBe('poison');

    await consumer.close();
    await publisher.close();
  });

  it('keeps a message whose handler cannot reach the database retrying past the bounded attempts, and never parks it', async () => {
    const { topology, publisher } = await freshTopology();
    // A database that is down (nothing listens on the port): the real error Prisma throws then.
    const down = createPrismaClient(
      `postgresql://postgres@127.0.0.1:${String(await freePort())}/down`,
    );
    const attempts: number[] = [];
    let handled = false;
    const consumer = await startConsumer(topology, async (_event, { attempt }) => {
      attempts.push(attempt);
      // Twice as many failures as the two retries allow before the database "comes back".
      if (attempts.length <= 6) await down.$queryRaw`SELECT 1`;
      handled = true;
    });

    await publisher.publish(gameEvent('outage'));
    await eventually(() => (handled ? true : undefined), { timeoutMs: 15_000 });
    // The first failure moves on to the first retry queue as usual; from the last retry queue on it
    // waits there without using up its attempts (bounded ones would have parked it at the third).
    expect(attempts).toEqual([1, 2, 2, 2, 2, 2, 2]);
    expect(await drain(admin.channel, topology.queues[SERVICE]!.deadLetter)).toEqual([]);

    await consumer.close();
    await publisher.close();
    await down.$disconnect();
  });

  it('parks an invalid or unknown-version event at once, with the reason, and keeps consuming', async () => {
    const { topology, publisher } = await freshTopology();
    const handled: string[] = [];
    const consumer = await startConsumer(topology, (event) => {
      handled.push(event.payload.gameId);
      return Promise.resolve();
    });

    const valid = gameEvent('valid');
    const invalid = { ...valid, id: crypto.randomUUID(), payload: { ...valid.payload, title: '' } };
    const future = { ...valid, id: crypto.randomUUID(), version: 2 };
    for (const body of [invalid, future]) {
      admin.channel.publish(
        topology.eventsExchange,
        'game.created',
        Buffer.from(JSON.stringify(body)),
        {
          messageId: body.id,
          persistent: true,
        },
      );
    }
    admin.channel.publish(topology.eventsExchange, 'game.created', Buffer.from('not json'));
    await publisher.publish(valid);

    await eventually(() => (handled.length === 1 ? true : undefined));
    const parked: Record<string, unknown>[] = [];
    await eventually(async () => {
      const messages = await drain(admin.channel, topology.queues[SERVICE]!.deadLetter);
      parked.push(
        ...messages.map((message) => message.properties.headers as Record<string, unknown>),
      );
      return parked.length === 3 ? true : undefined;
    });

    expect(handled).toEqual(['valid']);
    const byCode = new Map(parked.map((headers) => [headers[HEADERS.deadLetterCode], headers]));
    expect(byCode.get('CONTRACT_INVALID')?.[HEADERS.deadLetterReason]).toMatch(
      /payload\.title|JSON/,
    );
    expect(byCode.get('CONTRACT_UNKNOWN_VERSION')?.[HEADERS.deadLetterReason]).toContain(
      'version 2',
    );
    expect(parked.map((headers) => headers[HEADERS.attempt])).toEqual([1, 1, 1]);
    expect(parked.map((headers) => headers[HEADERS.deadLetterCode]).sort()).toEqual([
      'CONTRACT_INVALID',
      'CONTRACT_INVALID',
      'CONTRACT_UNKNOWN_VERSION',
    ]);

    await consumer.close();
    await publisher.close();
  });

  it('runs the handler once when the same message id is delivered again', async () => {
    const { topology, publisher } = await freshTopology();
    const handled: string[] = [];
    const outcomes: string[] = [];
    const consumer = await consume({
      connection,
      topology,
      service: SERVICE,
      idempotency: createInMemoryIdempotencyStore(),
      handler: (event) => {
        handled.push(event.id);
        return Promise.resolve();
      },
      onOutcome: (outcome) => outcomes.push(outcome),
    });

    const event = gameEvent('twice');
    await publisher.publish(event);
    await publisher.publish(event);
    await publisher.publish(gameEvent('once'));

    await eventually(() => (outcomes.length === 3 ? true : undefined));
    expect(handled).toEqual([event.id, expect.any(String)]);
    expect(outcomes.sort()).toEqual(['acked', 'acked', 'duplicate']);
    const { messageCount } = await admin.channel.checkQueue(topology.queues[SERVICE]!.main);
    expect(messageCount).toBe(0);

    await consumer.close();
    await publisher.close();
  });

  it('handles an event it is told is repeatable each time it arrives, without recording it, and the others once', async () => {
    const { topology, publisher } = await freshTopology();
    const idempotency = createInMemoryIdempotencyStore();
    const handled: string[] = [];
    const outcomes: string[] = [];
    const consumer = await consume({
      connection,
      topology,
      service: SERVICE,
      idempotency,
      repeatable: (event) => event.type === 'game.created' && event.payload.gameId === 'again',
      handler: (event) => {
        handled.push(event.payload.gameId);
        return Promise.resolve();
      },
      onOutcome: (outcome) => outcomes.push(outcome),
    });

    const repeatable = gameEvent('again');
    const once = gameEvent('once');
    for (const event of [repeatable, once, repeatable, once]) await publisher.publish(event);

    await eventually(() => (outcomes.length === 4 ? true : undefined));
    expect(handled.sort()).toEqual(['again', 'again', 'once']);
    expect(outcomes.sort()).toEqual(['acked', 'acked', 'acked', 'duplicate']);
    expect(idempotency.seen(SERVICE, repeatable.id)).toBe(false);
    expect(idempotency.seen(SERVICE, once.id)).toBe(true);

    await consumer.close();
    await publisher.close();
  });

  it('refuses to publish an event that breaks its contract', async () => {
    const { publisher } = await freshTopology();
    const event = gameEvent('bad');
    await expect(
      publisher.publish({ ...event, payload: { ...event.payload, durationMinutes: 0 } }),
    ).rejects.toThrow(/payload\.durationMinutes/);
    await publisher.close();
  });
});
