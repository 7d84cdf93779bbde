import { describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { decodeExportRequest } from './testing/decode-export-request.ts';
import { normaliseLogs } from './testing/normalise-logs.ts';
import { normaliseSpans } from './testing/normalise-spans.ts';
import type { DecodedLogsRequest, DecodedTraceRequest } from './testing/otlp-decoded.ts';
import { createLogsRequestEncoder, encodeLogRecord } from './otlp-logs-encoder.ts';
import type { InstrumentationScope } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { SpanBatch } from './otlp-spans-encoder.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const RESOURCE = { 'service.name': 'unit', 'service.version': '1.0.0' };
/** Every kind of attribute value, on both sides of the short-ASCII fast path of the writer. */
const ATTRIBUTES = {
  'http.route': '/games/:id',
  'http.response.status_code': 500,
  'server.port': 0,
  'big.int': 2 ** 40,
  'negative.int': -3,
  ratio: 0.25,
  'flag.on': true,
  'flag.off': false,
  'just.short.enough': 'x'.repeat(125),
  'one.too.long': 'y'.repeat(126),
  'db.query.text': `SELECT ${'"public"."games"."id", '.repeat(30)}1`,
  'not.ascii': 'café ゲーム',
  'clé.non.ascii': 'value',
  tags: ['a', 'b'],
};

describe('OTLP protobuf encoders', () => {
  it('encode a pino line as a log record the OTLP schema decodes', () => {
    const line = {
      level: 50,
      time: 1_700_000_000_123,
      msg: 'boom',
      trace_id: TRACE_ID,
      span_id: SPAN_ID,
      trace_flags: '01',
      count: -3,
      ratio: 0.25,
      ok: true,
      tags: ['a', 'b'],
      err: { type: 'Error', message: 'bad' },
    };
    const body = createLogsRequestEncoder(
      RESOURCE,
      'pino',
    )([encodeLogRecord(line, 1_700_000_000_200)]);
    const [log] = normaliseLogs(
      decodeExportRequest('logs', 'protobuf', body) as unknown as DecodedLogsRequest,
    );
    expect(log).toMatchObject({
      serviceName: 'unit',
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'boom',
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      timeUnixNano: 1_700_000_000_123_000_000n,
      attributes: {
        count: -3,
        ratio: 0.25,
        ok: true,
        tags: ['a', 'b'],
        err: { type: 'Error', message: 'bad' },
      },
    });
    expect(log?.attributes).not.toHaveProperty('trace_id');
  });

  it('leave the trace context off a log line whose ids are not lowercase hex of the right length', () => {
    const encode = createLogsRequestEncoder(RESOURCE, 'pino');
    const contexts = [
      { trace_id: TRACE_ID.toUpperCase(), span_id: SPAN_ID },
      { trace_id: TRACE_ID, span_id: `${SPAN_ID.slice(0, -1)}g` },
      { trace_id: TRACE_ID.slice(2), span_id: SPAN_ID },
      { trace_id: 42, span_id: SPAN_ID },
    ];
    for (const ids of contexts) {
      const body = encode([encodeLogRecord({ level: 30, time: 1, msg: 'm', ...ids }, 2)]);
      const [log] = normaliseLogs(
        decodeExportRequest('logs', 'protobuf', body) as unknown as DecodedLogsRequest,
      );
      expect(log?.body).toBe('m');
      expect(log?.traceId).toBeUndefined();
      expect(log?.spanId).toBeUndefined();
    }
  });

  it('encode spans with parent, events, links and status, grouped by scope, as they are added', () => {
    const scope = { name: '@opentelemetry/instrumentation-http', version: '0.301.0' };
    const span = (spanId: string, instrumentationScope: InstrumentationScope): ReadableSpan => ({
      spanContext: () => ({ traceId: TRACE_ID, spanId, traceFlags: 1 }),
      parentSpanContext: {
        traceId: TRACE_ID,
        spanId: '00f067aa0ba902b7',
        traceFlags: 1,
        isRemote: true,
      },
      name: 'GET /games/:id',
      kind: SpanKind.SERVER,
      startTime: [1_700_000_000, 5],
      endTime: [1_700_000_001, 0],
      duration: [1, 0],
      attributes: ATTRIBUTES,
      droppedAttributesCount: 0,
      events: [
        { name: 'exception', time: [1_700_000_000, 500], attributes: { 'exception.message': 'x' } },
      ],
      droppedEventsCount: 0,
      links: [
        {
          context: {
            traceId: '11111111111111111111111111111111',
            spanId: '2222222222222222',
            traceFlags: 1,
            isRemote: true,
          },
        },
      ],
      droppedLinksCount: 0,
      status: { code: SpanStatusCode.ERROR, message: 'failed' },
      ended: true,
      resource: emptyResource(),
      instrumentationScope,
    });
    const batch = new SpanBatch(RESOURCE);
    expect(batch.take()).toBeUndefined();
    batch.add(span(SPAN_ID, scope));
    batch.add(span('c7ad6b7169203331', { name: 'other' }));
    batch.add(span('d7ad6b7169203331', scope));
    expect(batch.size).toBe(3);
    const body = batch.take();
    if (body === undefined) throw new Error('no request');
    expect(batch.size).toBe(0);
    const spans = normaliseSpans(
      decodeExportRequest('traces', 'protobuf', body) as unknown as DecodedTraceRequest,
    );
    expect(spans.map((s) => [s.scope.name, s.spanId])).toEqual([
      ['@opentelemetry/instrumentation-http', SPAN_ID],
      ['@opentelemetry/instrumentation-http', 'd7ad6b7169203331'],
      ['other', 'c7ad6b7169203331'],
    ]);
    expect(spans[0]).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: '00f067aa0ba902b7',
      parentIsRemote: true,
      name: 'GET /games/:id',
      kind: 'SERVER',
      startTimeUnixNano: 1_700_000_000_000_000_005n,
      attributes: ATTRIBUTES,
      status: { code: 'ERROR', message: 'failed' },
      scope: { name: '@opentelemetry/instrumentation-http', version: '0.301.0' },
      serviceName: 'unit',
    });
    expect(spans[0]?.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.message': 'x' },
    });
    expect(spans[0]?.links[0]).toMatchObject({
      traceId: '11111111111111111111111111111111',
      spanId: '2222222222222222',
    });

    // the next request holds only what was added after the take, and no empty scope
    batch.add(span('e7ad6b7169203331', { name: 'other' }));
    const next = batch.take();
    if (next === undefined) throw new Error('no request');
    const decoded = decodeExportRequest(
      'traces',
      'protobuf',
      next,
    ) as unknown as DecodedTraceRequest;
    expect(decoded.resourceSpans[0]?.scopeSpans).toHaveLength(1);
    expect(normaliseSpans(decoded).map((s) => [s.scope.name, s.spanId, s.serviceName])).toEqual([
      ['other', 'e7ad6b7169203331', 'unit'],
    ]);
  });
});
