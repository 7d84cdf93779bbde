import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { fastMetrics } from './histograms.ts';
import { installTestTracing } from './testing/in-memory-tracing.ts';
import { withSpan } from './span-helpers.ts';
import {
  UNDICI_SCOPE_NAME,
  UndiciClientSpansInstrumentation,
  redactPathQuery,
} from './undici-spans.ts';

const tracing = installTestTracing();
const instrumentation = new UndiciClientSpansInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.enable();

let server: Server;
let base: string;
let port: number;
/** A port nothing listens on (a server's, closed again). */
let closedPort: number;
const received: IncomingHttpHeaders[] = [];

/** The http.client.request.duration data points recorded so far, by their attributes. */
async function durationPoints(): Promise<DataPoint<Histogram>[]> {
  const { resourceMetrics } = await fastMetrics.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((data) => data.descriptor.name === 'http.client.request.duration');
  return (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
}

async function countFor(status: number | undefined, errorType?: string): Promise<number> {
  const points = await durationPoints();
  const point = points.find(
    (candidate) =>
      candidate.attributes['http.response.status_code'] === status &&
      candidate.attributes['error.type'] === errorType &&
      candidate.attributes['server.port'] === (errorType === 'ECONNREFUSED' ? closedPort : port),
  );
  return point?.value.count ?? 0;
}

describe('undici client spans', () => {
  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(request.headers);
      response.statusCode = request.url?.startsWith('/missing') === true ? 404 : 200;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${String(port)}`;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
  });
  afterAll(async () => {
    instrumentation.disable();
    await new Promise((resolve) => server.close(resolve));
    await tracing.shutdown();
  });
  beforeEach(() => {
    tracing.exporter.reset();
    received.length = 0;
  });

  it('records a fetch inside a span as its CLIENT child, sends the trace on and hides secret query values', async () => {
    const before = await countFor(200);
    await withSpan('unit.parent', {}, async () => {
      const response = await fetch(`${base}/hello?code=abc123&page=2&key`);
      await response.text();
    });
    const spans = tracing.exporter.getFinishedSpans();
    const parent = spans.find((span) => span.name === 'unit.parent');
    const client = spans.find((span) => span.instrumentationScope.name === UNDICI_SCOPE_NAME);
    expect(client?.name).toBe('GET');
    expect(client?.kind).toBe(SpanKind.CLIENT);
    expect(client?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(client?.attributes).toEqual({
      'http.request.method': 'GET',
      'url.full': `${base}/hello?code=***&page=2&key`,
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.response.status_code': 200,
    });
    expect(client?.status.code).toBe(SpanStatusCode.UNSET);
    expect(received[0]?.traceparent).toBe(
      `00-${client?.spanContext().traceId ?? ''}-${client?.spanContext().spanId ?? ''}-01`,
    );
    expect(await countFor(200)).toBe(before + 1);
  });

  it('starts no span and sends no trace context outside a span or where tracing is suppressed, and still records the duration', async () => {
    const before = await countFor(200);
    await (await fetch(`${base}/alone`)).text();
    await withSpan('unit.parent', {}, () =>
      context.with(suppressTracing(context.active()), async () => {
        await (await fetch(`${base}/suppressed`)).text();
      }),
    );
    expect(
      tracing.exporter
        .getFinishedSpans()
        .filter((span) => span.instrumentationScope.name === UNDICI_SCOPE_NAME),
    ).toEqual([]);
    expect(received.map((headers) => headers.traceparent)).toEqual([undefined, undefined]);
    expect(await countFor(200)).toBe(before + 2);
  });

  it('marks a 4xx answer and a failed connection as errors, with error.type', async () => {
    const before404 = await countFor(404, '404');
    const beforeRefused = await countFor(undefined, 'ECONNREFUSED');
    await withSpan('unit.parent', {}, async () => {
      await (await fetch(`${base}/missing`)).text();
      await expect(fetch(`http://127.0.0.1:${String(closedPort)}/nothing`)).rejects.toThrow();
    });
    const clients = tracing.exporter
      .getFinishedSpans()
      .filter((span) => span.instrumentationScope.name === UNDICI_SCOPE_NAME);
    expect(clients.map((span) => [span.attributes['error.type'], span.status.code])).toEqual([
      ['404', SpanStatusCode.ERROR],
      ['ECONNREFUSED', SpanStatusCode.ERROR],
    ]);
    expect(clients[0]?.attributes['http.response.status_code']).toBe(404);
    expect(clients[1]?.events.map((event) => event.name)).toEqual(['exception']);
    expect(await countFor(404, '404')).toBe(before404 + 1);
    expect(await countFor(undefined, 'ECONNREFUSED')).toBe(beforeRefused + 1);
  });
});

describe('redactPathQuery', () => {
  it('replaces the values of secret parameters only', () => {
    expect(redactPathQuery('/a')).toBe('/a');
    expect(redactPathQuery('/a?token=x&b=1&client_secret=y&code')).toBe(
      '/a?token=***&b=1&client_secret=***&code',
    );
    expect(redactPathQuery('/a?%74oken=x')).toBe('/a?%74oken=***');
    expect(redactPathQuery('/a?%zz=1&password=p')).toBe('/a?%zz=1&password=***');
  });
});
