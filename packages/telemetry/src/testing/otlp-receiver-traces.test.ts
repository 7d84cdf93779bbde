import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from './index.ts';

const propagator = new W3CTraceContextPropagator();

function providerFor(receiver: OtlpReceiver, serviceName: string): TracerProvider {
  return new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': serviceName,
      'deployment.environment': 'test',
    }),
    spanProcessors: [
      new SimpleSpanProcessor({
        exporter: new OTLPTraceExporter({ url: receiver.endpoints.traces }),
      }),
    ],
  });
}

describe('the OTLP receiver, for traces sent by the real protobuf exporter', () => {
  let receiver: OtlpReceiver;
  let api: TracerProvider;
  let daemon: TracerProvider;
  let apiTracer: Tracer;
  let daemonTracer: Tracer;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    api = providerFor(receiver, 'api');
    daemon = providerFor(receiver, 'notification-daemon');
    apiTracer = api.getTracer('game-scheduler-test', '1.2.3');
    daemonTracer = daemon.getTracer('game-scheduler-test');
  });

  afterAll(async () => {
    await Promise.all([api.shutdown(), daemon.shutdown()]);
    await receiver.close();
  });

  beforeEach(() => {
    receiver.reset();
  });

  it('decodes a parent and child span with their ids, kind, timing, resource and scope', async () => {
    const parent = apiTracer.startSpan('POST /api/v1/games', { kind: SpanKind.SERVER });
    const child = apiTracer.startSpan(
      'INSERT games',
      { kind: SpanKind.CLIENT },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    child.end();
    parent.end();
    await api.forceFlush();

    const [server] = await receiver.waitForSpans({ name: 'POST /api/v1/games' });
    const [insert] = receiver.spansByName('INSERT games');
    expect(server).toMatchObject({
      traceId: parent.spanContext().traceId,
      spanId: parent.spanContext().spanId,
      parentSpanId: undefined,
      kind: 'SERVER',
      serviceName: 'api',
      resource: { 'service.name': 'api', 'deployment.environment': 'test' },
      scope: { name: 'game-scheduler-test', version: '1.2.3' },
      status: { code: 'UNSET', message: '' },
    });
    expect(insert).toMatchObject({
      traceId: server!.traceId,
      parentSpanId: server!.spanId,
      kind: 'CLIENT',
    });
    expect(typeof server!.startTimeUnixNano).toBe('bigint');
    expect(server!.endTimeUnixNano >= server!.startTimeUnixNano).toBe(true);
    expect(server!.durationMs).toBe(
      Number(server!.endTimeUnixNano - server!.startTimeUnixNano) / 1e6,
    );
    expect(receiver.parent(insert!)).toBe(server);
    expect(receiver.children(server!)).toEqual([insert]);
    expect(receiver.traceOf(insert!).map((span) => span.name)).toEqual([
      'POST /api/v1/games',
      'INSERT games',
    ]);
    expect(receiver.rootSpans()).toEqual([server]);
  });

  it('flattens attributes of every type, events and an error status', async () => {
    const span = apiTracer.startSpan('game.create', {
      attributes: {
        'game.title': 'Friday raid',
        'game.max_players': 10,
        'game.duration_hours': 2.5,
        'game.is_public': true,
        'game.reminder_minutes': [60, 15],
        'game.tags': ['raid', 'weekly'],
        'game.flags': [true, false],
      },
    });
    span.addEvent('roster.full', { 'roster.size': 10 });
    span.recordException(new Error('cap reached'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'cap reached' });
    span.end();
    await api.forceFlush();

    const [captured] = await receiver.waitForSpans({ name: 'game.create' });
    expect(captured!.attributes).toEqual({
      'game.title': 'Friday raid',
      'game.max_players': 10,
      'game.duration_hours': 2.5,
      'game.is_public': true,
      'game.reminder_minutes': [60, 15],
      'game.tags': ['raid', 'weekly'],
      'game.flags': [true, false],
    });
    expect(captured!.status).toEqual({ code: 'ERROR', message: 'cap reached' });
    expect(captured!.events.map((event) => event.name)).toEqual(['roster.full', 'exception']);
    expect(captured!.events[0]!.attributes).toEqual({ 'roster.size': 10 });
    expect(captured!.events[1]!.attributes).toMatchObject({
      'exception.type': 'Error',
      'exception.message': 'cap reached',
    });
    expect(receiver.spans({ status: 'ERROR' })).toEqual([captured]);
    expect(receiver.spans({ attributes: { 'game.max_players': 10 } })).toEqual([captured]);
    expect(receiver.spans({ attributes: { 'game.max_players': 11 } })).toEqual([]);
  });

  it('follows a span link to the trace that scheduled the job', async () => {
    const creator = apiTracer.startSpan('game.create');
    creator.end();
    const job = daemonTracer.startSpan(
      'scheduled.reminder',
      {
        root: true,
        links: [{ context: creator.spanContext(), attributes: { 'link.reason': 'schedule' } }],
      },
      ROOT_CONTEXT,
    );
    job.end();
    await Promise.all([api.forceFlush(), daemon.forceFlush()]);

    const [reminder] = await receiver.waitForSpans({ name: 'scheduled.reminder' });
    const [created] = await receiver.waitForSpans({ name: 'game.create' });
    expect(reminder!.links).toEqual([
      {
        traceId: created!.traceId,
        spanId: created!.spanId,
        traceState: '',
        attributes: { 'link.reason': 'schedule' },
      },
    ]);
    expect(reminder!.traceId).not.toBe(created!.traceId);
    expect(receiver.linkedSpans(reminder!)).toEqual([created]);
    expect(receiver.linkingSpans(created!)).toEqual([reminder]);
  });

  it('relates a consumer in another service to the publisher through propagated context', async () => {
    const publish = apiTracer.startSpan('game.created publish', { kind: SpanKind.PRODUCER });
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, publish), headers, defaultTextMapSetter);
    publish.end();
    const extracted = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const consume = daemonTracer.startSpan(
      'game.created process',
      { kind: SpanKind.CONSUMER },
      extracted,
    );
    consume.end();
    await Promise.all([api.forceFlush(), daemon.forceFlush()]);

    const [consumer] = await receiver.waitForSpans({ serviceName: 'notification-daemon' });
    const [publisher] = await receiver.waitForSpans({ kind: 'PRODUCER' });
    expect(consumer).toMatchObject({
      kind: 'CONSUMER',
      traceId: publisher!.traceId,
      parentSpanId: publisher!.spanId,
      parentIsRemote: true,
    });
    expect(publisher!.parentIsRemote).toBeUndefined();
    expect(receiver.remoteChildren(publisher!)).toEqual([consumer]);
    expect(receiver.crossServiceEdges(publisher!.traceId)).toEqual([
      { parent: publisher, child: consumer },
    ]);
  });

  it('waits for several spans and explains a timeout with what it did receive', async () => {
    const waiting = receiver.waitForSpans({ name: /^job\./ }, { count: 2, timeoutMs: 5_000 });
    apiTracer.startSpan('job.one').end();
    apiTracer.startSpan('job.two').end();
    await api.forceFlush();
    expect((await waiting).map((span) => span.name).sort()).toEqual(['job.one', 'job.two']);

    await expect(receiver.waitForSpans({ name: 'never.sent' }, { timeoutMs: 100 })).rejects.toThrow(
      /received 2 span\(s\): api:job\.one, api:job\.two/,
    );
  });
});
