import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { installTestTracing } from './testing/in-memory-tracing.ts';
import { withSpan } from './span-helpers.ts';
import { getTracer } from './tracer.ts';

const tracing = installTestTracing();

describe('withSpan', () => {
  beforeEach(() => {
    tracing.exporter.reset();
  });
  afterAll(async () => {
    await tracing.shutdown();
  });

  it('returns the value of a synchronous function and ends its span', () => {
    const result = withSpan('unit.sync', { 'game.id': 'g1' }, () => 42);
    expect(result).toBe(42);
    const [span] = tracing.exporter.getFinishedSpans();
    expect(span?.name).toBe('unit.sync');
    expect(span?.attributes).toEqual({ 'game.id': 'g1' });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records no span beneath one that suppresses nested spans, while it stays the active span', async () => {
    let activeInside: string | undefined;
    await withSpan(
      'unit.client',
      {},
      async () => {
        await Promise.resolve();
        activeInside = trace.getActiveSpan()?.spanContext().spanId;
        // What an instrumentation (undici, http) does for the request made inside.
        getTracer().startSpan('GET').end();
      },
      { suppressNested: true },
    );
    const spans = tracing.exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['unit.client']);
    expect(activeInside).toBe(spans[0]?.spanContext().spanId);
  });

  it('makes the span active inside the function, so nested spans become its children', async () => {
    await withSpan('unit.parent', {}, async () => {
      await Promise.resolve();
      withSpan('unit.child', {}, () => undefined);
    });
    const parent = tracing.exporter.getFinishedSpans().find((span) => span.name === 'unit.parent');
    const child = tracing.exporter.getFinishedSpans().find((span) => span.name === 'unit.child');
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
  });

  it('ends an async span only when its promise settles', async () => {
    let release: () => void = () => undefined;
    const pending = withSpan(
      'unit.async',
      {},
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    expect(tracing.exporter.getFinishedSpans()).toHaveLength(0);
    release();
    await pending;
    expect(tracing.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['unit.async']);
  });

  it('records a thrown error, sets ERROR status, ends the span and rethrows', () => {
    expect(() =>
      withSpan('unit.throws', {}, () => {
        throw new TypeError('bad input');
      }),
    ).toThrow('bad input');
    const [span] = tracing.exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad input' });
    expect(span?.attributes['error.type']).toBe('TypeError');
    expect(span?.events[0]?.name).toBe('exception');
    expect(span?.events[0]?.attributes?.['exception.message']).toBe('bad input');
  });

  it('records a rejection the same way and passes it on', async () => {
    await expect(
      withSpan('unit.rejects', {}, () =>
        Promise.reject(new Error('no db at postgresql://u:pw@db/x')),
      ),
    ).rejects.toThrow('no db');
    const [span] = tracing.exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.status.message).toBe('no db at postgresql://u:***@db/x');
  });

  it('starts a new trace when asked for a root span', () => {
    withSpan('unit.outer', {}, () => {
      withSpan('unit.root', {}, () => undefined, { root: true });
    });
    const outer = tracing.exporter.getFinishedSpans().find((span) => span.name === 'unit.outer');
    const root = tracing.exporter.getFinishedSpans().find((span) => span.name === 'unit.root');
    expect(root?.parentSpanContext).toBeUndefined();
    expect(root?.spanContext().traceId).not.toBe(outer?.spanContext().traceId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
