import { describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { decodeExportRequest } from './testing/decode-export-request.ts';
import { normaliseLogs } from './testing/normalise-logs.ts';
import { normaliseSpans } from './testing/normalise-spans.ts';
import type { DecodedLogsRequest, DecodedTraceRequest } from './testing/otlp-decoded.ts';
import { createLogsRequestEncoder, encodeLogRecord } from './otlp-logs-encoder.ts';
import { createTraceRequestEncoder } from './otlp-spans-encoder.ts';
import type { SpanRecord } from './span-records.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const RESOURCE = { 'service.name': 'unit', 'service.version': '1.0.0' };

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

  it('encode span records with parent, events, links and status, grouped by scope', () => {
    const span: SpanRecord = {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: '00f067aa0ba902b7',
      parentIsRemote: true,
      traceState: undefined,
      traceFlags: 1,
      name: 'GET /games/:id',
      kind: SpanKind.SERVER,
      start: [1_700_000_000, 5],
      end: [1_700_000_001, 0],
      attributes: { 'http.route': '/games/:id', 'http.response.status_code': 500 },
      droppedAttributes: 0,
      events: [
        { name: 'exception', time: [1_700_000_000, 500], attributes: { 'exception.message': 'x' } },
      ],
      droppedEvents: 0,
      links: [
        {
          traceId: '11111111111111111111111111111111',
          spanId: '2222222222222222',
          traceState: undefined,
          traceFlags: 1,
          isRemote: true,
          attributes: undefined,
        },
      ],
      droppedLinks: 0,
      statusCode: SpanStatusCode.ERROR,
      statusMessage: 'failed',
      scopeName: '@opentelemetry/instrumentation-http',
      scopeVersion: '0.301.0',
    };
    const body = createTraceRequestEncoder(RESOURCE)([
      span,
      { ...span, spanId: 'c7ad6b7169203331', scopeName: 'other', scopeVersion: undefined },
    ]);
    const spans = normaliseSpans(
      decodeExportRequest('traces', 'protobuf', body) as unknown as DecodedTraceRequest,
    );
    expect(spans).toHaveLength(2);
    expect(spans[0]).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: '00f067aa0ba902b7',
      parentIsRemote: true,
      name: 'GET /games/:id',
      kind: 'SERVER',
      startTimeUnixNano: 1_700_000_000_000_000_005n,
      attributes: { 'http.route': '/games/:id', 'http.response.status_code': 500 },
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
    expect(spans[1]?.scope.name).toBe('other');
  });
});
