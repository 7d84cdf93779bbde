import { getServices, uniqueName } from '@game-scheduler/testing';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEvent,
  createInMemoryOutboxStore,
  injectTraceContext,
  startOutboxRelay,
  type OutboxStore,
  type Publisher,
  type Topology,
  type TopologyOptions,
} from '../src/index.ts';
import { drain, eventually, openTestTopology, type Admin } from './support/broker.ts';
import { gameCreatedPayload } from './support/events.ts';
import { installTestTracing, type TestTracing } from '@game-scheduler/telemetry/testing';

const options: TopologyOptions = {
  namespace: uniqueName('msg_outbox'),
  consumers: [{ service: 'bot', routingKeys: ['game.*'] }],
};

let admin: Admin;
let topology: Topology;
let publisher: Publisher;
let closeTopology: () => Promise<void>;
let tracing: TestTracing;

beforeAll(async () => {
  tracing = installTestTracing();
  const { rabbitmqUrl } = getServices();
  ({
    admin,
    topology,
    publisher,
    close: closeTopology,
  } = await openTestTopology(rabbitmqUrl, options, uniqueName('msg_outbox')));
});

afterAll(async () => {
  await closeTopology();
  await tracing.shutdown();
});

/** An outbox row written inside a request span, with that span's trace context stored. */
function rowWrittenBy(requestSpanContext: ReturnType<typeof context.active>, gameId: string) {
  const event = createEvent('game.created', gameCreatedPayload({ gameId }));
  const headers: Record<string, unknown> = {};
  injectTraceContext(headers, requestSpanContext);
  return {
    id: event.id,
    event,
    traceparent: typeof headers.traceparent === 'string' ? headers.traceparent : null,
    tracestate: null,
  };
}

async function takeGameIds(count: number): Promise<{ gameIds: string[]; traceparents: unknown[] }> {
  const messages = await eventually(async () => {
    const { messageCount } = await admin.channel.checkQueue(topology.queues.bot!.main);
    return messageCount >= count ? drain(admin.channel, topology.queues.bot!.main) : undefined;
  });
  return {
    gameIds: messages.map(
      (message) =>
        (JSON.parse(message.content.toString()) as { payload: { gameId: string } }).payload.gameId,
    ),
    traceparents: messages.map(
      (message) => (message.properties.headers as Record<string, unknown>).traceparent,
    ),
  };
}

describe('outbox relay', () => {
  it('publishes rows in order when notified, marks them published and continues their trace', async () => {
    const store = createInMemoryOutboxStore();
    const relay = await startOutboxRelay({ store, publisher, sweepIntervalMs: 60_000 });
    const request = trace.getTracer('test').startSpan('POST /api/v1/games');
    const requestContext = trace.setSpan(context.active(), request);
    request.end();

    for (const gameId of ['first', 'second', 'third'])
      store.insert(rowWrittenBy(requestContext, gameId));

    const { gameIds, traceparents } = await takeGameIds(3);
    expect(gameIds).toEqual(['first', 'second', 'third']);
    const traceId = request.spanContext().traceId;
    for (const traceparent of traceparents) expect(String(traceparent)).toContain(traceId);
    await relay.drain();
    expect(store.records.every((record) => record.publishedAt !== null)).toBe(true);

    const producers = tracing.exporter
      .getFinishedSpans()
      .filter((span) => span.kind === SpanKind.PRODUCER && span.spanContext().traceId === traceId);
    expect(producers).toHaveLength(3);
    for (const span of producers) {
      expect(span.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    }
    const passes = tracing.exporter
      .getFinishedSpans()
      .filter((span) => span.name === 'outbox.relay');
    expect(passes.length).toBeGreaterThan(0);
    expect(passes.some((span) => span.links.some((link) => link.context.traceId === traceId))).toBe(
      true,
    );
    expect(passes.every((span) => span.spanContext().traceId !== traceId)).toBe(true);
    await relay.stop();
  });

  it('finds rows whose notification was missed on its periodic sweep', async () => {
    const inner = createInMemoryOutboxStore();
    const deaf: OutboxStore = {
      claimBatch: (limit) => inner.claimBatch(limit),
      onInserted: () => Promise.resolve(() => Promise.resolve()),
      pending: () => inner.pending(),
    };
    const relay = await startOutboxRelay({ store: deaf, publisher, sweepIntervalMs: 50 });
    inner.insert(rowWrittenBy(context.active(), 'swept'));
    const { gameIds } = await takeGameIds(1);
    expect(gameIds).toEqual(['swept']);
    await relay.stop();
  });
});
