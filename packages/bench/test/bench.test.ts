import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  comparePairs,
  describeSinkCounts,
  describeThreadCpu,
  measureHttp,
  median,
  percentile,
  processCpuMicros,
  processRssBytes,
  processThreadCpuMicros,
  signed,
  startOtlpSink,
  table,
  threadKind,
  verdict,
  writeReportSection,
  type Measurement,
} from '../src/index.ts';

describe('order statistics', () => {
  it('takes the nearest-rank percentile of sorted samples', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([], 50)).toBeNaN();
  });

  it('takes the median of an odd and an even number of values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('a process measured from /proc', () => {
  it('accounts the CPU time this process spends spinning', async () => {
    const before = await processCpuMicros(process.pid);
    const until = Date.now() + 120;
    while (Date.now() < until) Math.sqrt(Math.random());
    const after = await processCpuMicros(process.pid);
    expect(after - before).toBeGreaterThanOrEqual(50_000);
  });

  it('accounts a worker thread by its name and the event loop as main', async () => {
    const { Worker } = await import('node:worker_threads');
    // spins 150 ms when asked, then says so
    const source = `const { parentPort } = require('node:worker_threads');
      parentPort.on('message', () => {
        const until = Date.now() + 150;
        while (Date.now() < until) Math.sqrt(Math.random());
        parentPort.postMessage('done');
      });`;
    const worker = new Worker(source, { eval: true, name: 'bench-spin' });
    try {
      await once(worker, 'online');
      const before = await processThreadCpuMicros(process.pid);
      worker.postMessage('spin');
      await once(worker, 'message');
      const mainUntil = Date.now() + 120;
      while (Date.now() < mainUntil) Math.sqrt(Math.random());
      const after = await processThreadCpuMicros(process.pid);
      const spent = (kind: string): number => (after[kind] ?? 0) - (before[kind] ?? 0);
      expect(spent('bench-spin')).toBeGreaterThanOrEqual(100_000);
      expect(spent('main')).toBeGreaterThanOrEqual(80_000);
    } finally {
      await worker.terminate();
    }
  });

  it('names the kinds of thread of a Node process', () => {
    expect(threadKind('node', true)).toBe('main');
    expect(threadKind('V8Worker', false)).toBe('v8');
    expect(threadKind('libuv-worker', false)).toBe('libuv');
    // an unnamed worker is named after its script's URL, cut to 15 characters
    expect(threadKind('file:///work/ma', false)).toBe('worker');
    expect(threadKind('otlp-logs', false)).toBe('otlp-logs');
  });

  it('reads a resident set size in bytes', async () => {
    const rss = await processRssBytes(process.pid);
    expect(rss).toBeGreaterThan(10 * 2 ** 20);
  });
});

describe('measuring an HTTP service', () => {
  let server: Server;
  let baseUrl: string;
  const cookies: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      cookies.push(request.headers.cookie);
      response.writeHead(request.url === '/missing' ? 404 : 200).end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    baseUrl = `http://127.0.0.1:${String(address.port)}`;
  });

  afterAll(() => {
    server.close();
  });

  it('sends the requested rate with the given headers and counts errors', async () => {
    const target = { baseUrl, pid: process.pid, options: { headers: { cookie: 'sid=1' } } };
    const ok = await measureHttp(target, '/ok', { kind: 'rate', perSecond: 200 }, 0.5);
    expect(ok.errors).toBe(0);
    expect(ok.rps).toBe(200);
    expect(ok.p50Ms).toBeGreaterThan(0);
    expect(ok.p99Ms).toBeGreaterThanOrEqual(ok.p50Ms);
    expect(ok.cpuMicrosByThread?.['main']).toBeGreaterThanOrEqual(0);
    expect(Object.keys(ok.cpuMicrosByThread ?? {})).toContain('v8');
    expect(cookies.at(-1)).toBe('sid=1');
    const missing = await measureHttp(
      target,
      '/missing',
      { kind: 'saturate', connections: 4 },
      0.3,
    );
    expect(missing.rps).toBe(0);
    expect(missing.errors).toBeGreaterThan(0);
  });
});

describe('interleaved comparison', () => {
  const m = (p50Ms: number, rps: number, cpu: number): Measurement => ({
    p50Ms,
    p99Ms: p50Ms * 2,
    rps,
    errors: 0,
    cpuMicrosPerRequest: cpu,
    cpuMicrosByThread: { main: cpu * 0.8, v8: cpu * 0.2 },
  });

  it('alternates which side goes first and reports medians of per-pair ratios', async () => {
    const order: string[] = [];
    const baselines = [m(1, 100, 10), m(1, 100, 10), m(2, 100, 10)];
    const candidates = [m(1.1, 90, 15), m(1.5, 95, 30), m(2.2, 100, 14)];
    const result = await comparePairs(
      () => {
        order.push('A');
        return Promise.resolve(baselines[order.filter((o) => o === 'A').length - 1] ?? m(1, 1, 1));
      },
      () => {
        order.push('B');
        return Promise.resolve(candidates[order.filter((o) => o === 'B').length - 1] ?? m(1, 1, 1));
      },
      3,
    );
    expect(order).toEqual(['A', 'B', 'B', 'A', 'A', 'B']);
    expect(result.p50Ratio).toBeCloseTo(1.1);
    expect(result.throughputRatio).toBeCloseTo(0.95);
    expect(result.extraCpuMicros).toBe(5);
    expect(result.extraCpuByThread['main']).toBeCloseTo(4);
    expect(result.extraCpuByThread['v8']).toBeCloseTo(1);
    expect(describeThreadCpu({ v8: 1, main: 4, worker: -2, libuv: 0.2 })).toBe(
      'main +4 µs, worker −2 µs, v8 +1 µs',
    );
    expect(verdict(1.03, 0.05)).toBe('1.030× ✓');
    expect(verdict(0.9, 0.05, true)).toBe('0.900× ✗');
  });
});

describe('the OTLP sink', () => {
  it('accepts exports and counts requests and bytes per signal', async () => {
    const sink = await startOtlpSink();
    try {
      const response = await fetch(`${sink.url}/v1/traces`, { method: 'POST', body: 'abcd' });
      expect(response.status).toBe(200);
      expect((await sink.counts())['/v1/traces']).toEqual({ requests: 1, bytes: 4 });
      expect(describeSinkCounts(await sink.counts())).toBe('/v1/traces 1 requests, 0.0 MB');
    } finally {
      await sink.stop();
    }
  });
});

describe('the report', () => {
  it('replaces its own section and keeps the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
    const path = join(dir, 'benchmarks.md');
    try {
      await writeReportSection('a', '## A\n\nfirst', path);
      await writeReportSection('b', `## B\n\n${table(['x', 'y'], [['1', '2']])}`, path);
      await writeReportSection('a', '## A\n\nsecond', path);
      const text = await readFile(path, 'utf8');
      expect(text).toContain('second');
      expect(text).not.toContain('first');
      expect(text).toContain('| 1   | 2   |');
      expect(text.indexOf('## A')).toBeLessThan(text.indexOf('## B'));
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('writes a difference with its sign, and a rounded zero as +0', () => {
    expect(signed(41.4)).toBe('+41');
    expect(signed(-10.2)).toBe('−10');
    expect(signed(-0.3)).toBe('+0');
    expect(signed(-1.25, 1)).toBe('−1.3');
  });
});
