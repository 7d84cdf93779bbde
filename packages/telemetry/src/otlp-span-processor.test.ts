import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlwaysOffSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { HealthReport } from './export-health.ts';
import { OtlpSpanProcessor, type SpanProcessorSettings } from './otlp-span-processor.ts';
import { decodeExportRequest } from './testing/decode-export-request.ts';
import { normaliseSpans } from './testing/normalise-spans.ts';
import type { DecodedTraceRequest } from './testing/otlp-decoded.ts';

/** A collector that records the span names of each export request and can hold its answers. */
let server: Server;
let endpoint: string;
let requests: string[][] = [];
let held: ServerResponse[] = [];
let holding = false;

function release(): void {
  holding = false;
  for (const response of held.splice(0)) response.writeHead(200).end();
}

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const decoded = decodeExportRequest(
        'traces',
        'protobuf',
        Buffer.concat(chunks),
      ) as unknown as DecodedTraceRequest;
      requests.push(normaliseSpans(decoded).map((span) => span.name));
      if (holding) held.push(response);
      else response.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${String(address.port)}`;
});

afterAll(() => {
  release();
  server.close();
});

beforeEach(() => {
  release();
  requests = [];
  held = [];
});

const reports: Parameters<HealthReport>[] = [];

function tracerWith(
  settings: Partial<SpanProcessorSettings>,
  sampled = true,
): { processor: OtlpSpanProcessor; end: (...names: string[]) => void } {
  const processor = new OtlpSpanProcessor({
    endpoint,
    resource: { 'service.name': 'processor-test' },
    exportTimeoutMillis: 5_000,
    scheduledDelayMillis: 60_000,
    maxQueueSize: 100,
    maxExportBatchSize: 3,
    report: (...args) => reports.push(args),
    ...settings,
  });
  const provider = new TracerProvider({
    spanProcessors: [processor],
    ...(sampled ? {} : { sampler: new AlwaysOffSampler() }),
  });
  const tracer = provider.getTracer('processor-test');
  return {
    processor,
    end: (...names) => {
      for (const name of names) tracer.startSpan(name).end();
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the OTLP span processor', () => {
  it('sends a batch as soon as it is full, and the rest after the schedule delay', async () => {
    const { end } = tracerWith({ maxExportBatchSize: 3, scheduledDelayMillis: 200 });
    end('a', 'b', 'c', 'd');
    await until(() => requests.length === 1);
    expect(requests).toEqual([['a', 'b', 'c']]);
    await until(() => requests.length === 2);
    expect(requests[1]).toEqual(['d']);
  });

  it('skips spans that were not sampled', async () => {
    const { processor, end } = tracerWith({}, false);
    end('unsampled');
    await processor.forceFlush();
    expect(requests).toEqual([]);
  });

  it('flushes what waits on forceFlush and shutdown, and takes nothing after shutdown', async () => {
    const { processor, end } = tracerWith({});
    end('one');
    await processor.forceFlush();
    expect(requests).toEqual([['one']]);
    end('two');
    await processor.shutdown();
    expect(requests).toEqual([['one'], ['two']]);
    end('three');
    await processor.forceFlush();
    expect(requests).toHaveLength(2);
  });

  it('sends one export at a time, keeps at most maxQueueSize spans meanwhile and says so once', async () => {
    reports.length = 0;
    holding = true;
    const { processor, end } = tracerWith({ maxExportBatchSize: 2, maxQueueSize: 4 });
    end('first', 'second');
    await until(() => held.length === 1);
    end('w1', 'w2', 'w3', 'w4', 'x1', 'x2', 'x3');
    expect(requests).toHaveLength(1);
    expect(reports.filter(([level]) => level === 'warn')).toHaveLength(1);
    expect(reports[0]?.[1]).toBe('OpenTelemetry span queue full; dropping spans');

    release();
    await processor.forceFlush();
    expect(requests).toEqual([
      ['first', 'second'],
      ['w1', 'w2', 'w3', 'w4'],
    ]);
    expect(reports.at(-1)).toEqual([
      'info',
      'OpenTelemetry span queue no longer full',
      { signal: 'traces', droppedSpans: 3 },
    ]);
  });

  it('reports a collector that is down once, not once per export', async () => {
    reports.length = 0;
    const { processor, end } = tracerWith({ endpoint: 'http://127.0.0.1:9' });
    end('lost-1');
    await processor.forceFlush();
    end('lost-2');
    await processor.forceFlush();
    expect(reports.map(([level, message]) => [level, message])).toEqual([
      ['warn', 'OpenTelemetry traces export failing; dropping traces until the collector answers'],
    ]);
  });
});
