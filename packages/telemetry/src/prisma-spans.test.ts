import { context, trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { PrismaChildSpansInstrumentation, childSpansOnlyProvider } from './prisma-spans.ts';
import { installTestTracing } from './testing/in-memory-tracing.ts';

const tracing = installTestTracing();
const instrumentation = new PrismaChildSpansInstrumentation();

afterAll(async () => {
  instrumentation.disable();
  await tracing.shutdown();
});

/** The tracing helper Prisma Client calls (its instrumentation contract: a global set by enable()). */
interface PrismaTracingHelper {
  runInChildSpan<R>(options: { name: string }, callback: () => R): R;
}
function prismaHelper(): PrismaTracingHelper {
  const global = globalThis as { PRISMA_INSTRUMENTATION?: { helper?: PrismaTracingHelper } };
  const helper = global.PRISMA_INSTRUMENTATION?.helper;
  if (helper === undefined) throw new Error('Prisma instrumentation installed no tracing helper');
  return helper;
}

describe('Prisma spans', () => {
  it('are recorded inside a traced operation, as children of its span', async () => {
    tracing.exporter.reset();
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('scheduled.reminder', async (job) => {
      const inner = await prismaHelper().runInChildSpan({ name: 'transaction' }, () =>
        Promise.resolve(trace.getSpan(context.active())?.spanContext().spanId),
      );
      job.end();
      const spans = tracing.exporter.getFinishedSpans();
      const transaction = spans.find((span) => span.name === 'prisma:client:transaction');
      expect(transaction?.parentSpanContext?.spanId).toBe(job.spanContext().spanId);
      // the transaction's statements run in its context (and become its children)
      expect(inner).toBe(transaction?.spanContext().spanId);
    });
  });

  it('are not recorded, nor is a trace started, for work outside any span', async () => {
    tracing.exporter.reset();
    const result = await prismaHelper().runInChildSpan({ name: 'transaction' }, () =>
      Promise.resolve(trace.getSpan(context.active())),
    );
    expect(result).toBeUndefined(); // the statements under it see no parent: pg records none
    expect(tracing.exporter.getFinishedSpans()).toEqual([]);
  });

  it('come from one tracer per name, made once, which records them as before', () => {
    const provider = childSpansOnlyProvider(trace.getTracerProvider());
    const tracer = provider.getTracer('prisma');
    expect(provider.getTracer('prisma')).toBe(tracer);
    expect(provider.getTracer('other')).not.toBe(tracer);
    tracing.exporter.reset();
    trace.getTracer('test').startActiveSpan('job', (job) => {
      tracer.startSpan('prisma:client:transaction').end();
      job.end();
    });
    expect(tracing.exporter.getFinishedSpans().map((span) => span.name)).toEqual([
      'prisma:client:transaction',
      'job',
    ]);
  });
});
