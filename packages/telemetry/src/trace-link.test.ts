import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { installTestTracing } from './testing/in-memory-tracing.ts';
import { withSpan } from './span-helpers.ts';
import { currentTraceparent, parseTraceparent, startLinkedRootSpan } from './trace-link.ts';

const tracing = installTestTracing();

describe('traceparent store and link', () => {
  beforeEach(() => {
    tracing.exporter.reset();
  });
  afterAll(async () => {
    await tracing.shutdown();
  });

  it('has no traceparent outside a span', () => {
    expect(currentTraceparent()).toBeUndefined();
  });

  it('serialises the active span as a W3C traceparent', () => {
    const stored = withSpan('unit.create', {}, () => currentTraceparent());
    const [span] = tracing.exporter.getFinishedSpans();
    expect(stored).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
  });

  it('starts a new root span linked to the stored trace', async () => {
    const stored = withSpan('unit.create', {}, () => currentTraceparent());
    const created = tracing.exporter.getFinishedSpans()[0]!;

    const result = await startLinkedRootSpan(
      'scheduled.reminder',
      stored,
      { 'scheduler.job_id': 'job-1' },
      async () => {
        await Promise.resolve();
        return 'sent';
      },
    );

    expect(result).toBe('sent');
    const reminder = tracing.exporter
      .getFinishedSpans()
      .find((span) => span.name === 'scheduled.reminder')!;
    expect(reminder.parentSpanContext).toBeUndefined();
    expect(reminder.spanContext().traceId).not.toBe(created.spanContext().traceId);
    expect(reminder.attributes['scheduler.job_id']).toBe('job-1');
    expect(reminder.links).toHaveLength(1);
    expect(reminder.links[0]?.context.traceId).toBe(created.spanContext().traceId);
    expect(reminder.links[0]?.context.spanId).toBe(created.spanContext().spanId);
  });

  it('is a new root even when called inside another span', () => {
    withSpan('unit.loop', {}, () => {
      startLinkedRootSpan('scheduled.status_transition', undefined, {}, () => undefined);
    });
    const job = tracing.exporter
      .getFinishedSpans()
      .find((span) => span.name === 'scheduled.status_transition')!;
    expect(job.parentSpanContext).toBeUndefined();
    expect(job.links).toHaveLength(0);
  });

  it('ignores a malformed or missing traceparent', () => {
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(null)).toBeUndefined();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`)).toBeUndefined();
    startLinkedRootSpan('unit.job', 'not-a-traceparent', {}, () => undefined);
    expect(tracing.exporter.getFinishedSpans()[0]?.links).toHaveLength(0);
  });
});
