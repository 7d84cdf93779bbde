import { gzipSync } from 'node:zlib';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from './index.ts';

/** Finished spans made by a real SDK, to hand to whichever exporter a test wants. */
async function finishedSpans(...names: string[]): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'status-transition-daemon' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('transport-test');
  for (const name of names) {
    tracer
      .startSpan(name, { attributes: { 'game.status_transition': 'SCHEDULED->IN_PROGRESS' } })
      .end();
  }
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => {
    exporter.export(spans, resolve);
  });
}

describe('the OTLP receiver, over HTTP', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await receiver.close();
  });

  beforeEach(() => {
    receiver.reset();
  });

  it('listens on a random local port and offers the base URL for OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(receiver.port).toBeGreaterThan(0);
    expect(receiver.url).toBe(`http://127.0.0.1:${receiver.port}`);
    expect(receiver.endpoints.traces).toBe(`${receiver.url}/v1/traces`);
    expect(receiver.listening).toBe(true);
  });

  it('accepts OTLP/JSON from the real JSON exporter and answers in JSON', async () => {
    const exporter = new OtlpJsonTraceExporter({ url: receiver.endpoints.traces });
    const result = await exportWith(exporter, await finishedSpans('scheduled.status_transition'));
    await exporter.shutdown();

    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const [span] = receiver.spans({ name: 'scheduled.status_transition' });
    expect(span).toMatchObject({
      serviceName: 'status-transition-daemon',
      kind: 'INTERNAL',
      attributes: { 'game.status_transition': 'SCHEDULED->IN_PROGRESS' },
    });
    expect(span!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(receiver.payloads()[0]?.encoding).toBe('json');
    expect(receiver.requests()[0]).toMatchObject({ status: 200, contentType: 'application/json' });
  });

  it('decodes hand-written OTLP/JSON with hex ids, string int64 and numeric enums', async () => {
    const response = await fetch(receiver.endpoints.traces, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bot' } }] },
            scopeSpans: [
              {
                scope: { name: 'hand' },
                spans: [
                  {
                    traceId: '5b8efff798038103d269b633813fc60c',
                    spanId: 'eee19b7ec3c1b174',
                    parentSpanId: 'eee19b7ec3c1b173',
                    name: 'interaction join',
                    kind: 2,
                    startTimeUnixNano: '1544712660000000000',
                    endTimeUnixNano: '1544712661500000000',
                    attributes: [{ key: 'retries', value: { intValue: '3' } }],
                    status: { code: 2, message: 'boom' },
                  },
                ],
              },
            ],
          },
        ],
      }),
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({});
    expect(receiver.spans()).toMatchObject([
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: 'eee19b7ec3c1b173',
        kind: 'SERVER',
        startTimeUnixNano: 1544712660000000000n,
        durationMs: 1500,
        attributes: { retries: 3 },
        status: { code: 'ERROR', message: 'boom' },
        serviceName: 'bot',
      },
    ]);
  });

  it('accepts gzip-compressed protobuf from the exporter', async () => {
    const exporter = new OTLPTraceExporter({
      url: receiver.endpoints.traces,
      compression: CompressionAlgorithm.GZIP,
    });
    const result = await exportWith(exporter, await finishedSpans('compressed'));
    await exporter.shutdown();

    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.requests()[0]).toMatchObject({
      contentType: 'application/x-protobuf',
      contentEncoding: 'gzip',
      status: 200,
    });
    expect(receiver.spansByName('compressed')).toHaveLength(1);
  });

  it('accepts gzip-compressed OTLP/JSON too', async () => {
    const body = gzipSync(JSON.stringify({ resourceSpans: [] }));
    const response = await fetch(receiver.endpoints.traces, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body,
    });
    expect(response.status).toBe(200);
    expect(receiver.payloads()).toHaveLength(1);
  });

  it('answers 401 when told to, and the exporter reports the failure without storing data', async () => {
    receiver.setResponse(401);
    const exporter = new OTLPTraceExporter({ url: receiver.endpoints.traces });
    const result = await exportWith(exporter, await finishedSpans('unauthorised'));
    await exporter.shutdown();

    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toMatchObject({ code: 401 });
    expect(receiver.requests().map((request) => request.status)).toEqual([401]);
    expect(receiver.spans()).toEqual([]);
  });

  it('answers 503 for a number of requests, after which the exporter retry gets through', async () => {
    receiver.setResponse({ status: 503, times: 1 });
    const exporter = new OTLPTraceExporter({ url: receiver.endpoints.traces });
    const result = await exportWith(exporter, await finishedSpans('retried'));
    await exporter.shutdown();

    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.requests().map((request) => request.status)).toEqual([503, 200]);
    expect(receiver.spansByName('retried')).toHaveLength(1);
  });

  it('sends Retry-After with a refusal when told to', async () => {
    receiver.setResponse({ status: 429, retryAfterSeconds: 7 });
    const response = await fetch(receiver.endpoints.metrics, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(receiver.counts().metrics).toBe(0);
  });

  it('answers slowly when told to, so an exporter with a short timeout gives up', async () => {
    receiver.setResponse({ status: 200, delayMs: 2_000 });
    const exporter = new OTLPTraceExporter({ url: receiver.endpoints.traces, timeoutMillis: 100 });
    const result = await exportWith(exporter, await finishedSpans('slow'));
    await exporter.shutdown();

    expect(result.code).toBe(ExportResultCode.FAILED);
  });

  it('goes down and comes back on the same port', async () => {
    const exporter = new OTLPTraceExporter({ url: receiver.endpoints.traces, timeoutMillis: 500 });
    await receiver.stop();
    expect(receiver.listening).toBe(false);
    const whileDown = await exportWith(exporter, await finishedSpans('lost'));
    expect(whileDown.code).toBe(ExportResultCode.FAILED);

    await receiver.start();
    expect(receiver.listening).toBe(true);
    expect(receiver.url).toBe(`http://127.0.0.1:${receiver.port}`);
    const afterwards = await exportWith(exporter, await finishedSpans('delivered'));
    await exporter.shutdown();
    expect(afterwards.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.spans().map((span) => span.name)).toEqual(['delivered']);
  });

  it('keeps every decoded payload as text, so a test can scan all exported data for secrets', async () => {
    const exporter = new OTLPTraceExporter({
      url: receiver.endpoints.traces,
      headers: { Authorization: 'Basic c2VjcmV0' },
    });
    await exportWith(exporter, await finishedSpans('scan.me'));
    await exporter.shutdown();

    const text = receiver.allExportedText();
    expect(text).toContain('scan.me');
    expect(text).toContain('SCHEDULED->IN_PROGRESS');
    expect(text).not.toContain('c2VjcmV0');
    expect(receiver.requests()[0]?.headers.authorization).toBe('Basic c2VjcmV0');
    expect(receiver.payloads()[0]?.body.length).toBeGreaterThan(0);
  });

  it('rejects unknown paths, unsupported content types and undecodable bodies', async () => {
    const post = (path: string, contentType: string, body: string): Promise<Response> =>
      fetch(`${receiver.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });

    expect((await post('/v1/profiles', 'application/x-protobuf', '')).status).toBe(404);
    expect((await post('/v1/traces', 'text/plain', 'hello')).status).toBe(415);
    expect((await post('/v1/traces', 'application/json', '{not json')).status).toBe(400);
    expect((await post('/v1/logs', 'application/x-protobuf', '\u00ff\u00ff\u00ff')).status).toBe(
      400,
    );
    expect(receiver.requests().map((request) => [request.signal, request.status])).toEqual([
      ['traces', 415],
      ['traces', 400],
      ['logs', 400],
    ]);
    expect(receiver.requests()[1]?.error).toBeDefined();
  });
});
