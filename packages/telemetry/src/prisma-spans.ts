// Prisma's spans only inside a traced operation, as pg's and ioredis's (requireParentSpan): a
// transaction a daemon runs outside any job (a scheduler's claim of due rows, a poll) otherwise
// starts a trace of its own — a root `prisma:client:transaction` with its BEGIN, statements and
// COMMIT, telling nothing about which work it belonged to. Without a parent, Prisma's callback runs
// with a non-recording span and the context left as it was, so the pg statements under it are not
// traced either.
import {
  INVALID_SPAN_CONTEXT,
  context,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { PrismaInstrumentation } from '@prisma/instrumentation';

const detached = (): Span => trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

function childSpansOnly(tracer: Tracer): Tracer {
  return {
    startSpan(name: string, options?: SpanOptions, parent: Context = context.active()): Span {
      return trace.getSpan(parent) === undefined
        ? detached()
        : tracer.startSpan(name, options, parent);
    },
    // Tracer.startActiveSpan's overloads: (name, fn), (name, options, fn), (name, options, context, fn)
    startActiveSpan(name: string, ...rest: unknown[]): unknown {
      const fn = rest.at(-1) as (span: Span) => unknown;
      const options = (rest.length >= 2 ? rest[0] : {}) as SpanOptions;
      const parent = (rest.length >= 3 ? rest[1] : context.active()) as Context;
      if (trace.getSpan(parent) === undefined) return fn(detached());
      return tracer.startActiveSpan(name, options, parent, fn);
    },
  };
}

/**
 * A tracer provider whose tracers record a span only under an active (or given) parent span. Prisma
 * asks for its tracer on every step of every query (operation, serialize, compile, …), before it
 * looks at whether the step's span is wanted at all: a tracer asked for by name alone is made once.
 */
export function childSpansOnlyProvider(provider: TracerProvider): TracerProvider {
  const byName = new Map<string, Tracer>();
  return {
    getTracer: (name, version, options) => {
      if (version !== undefined || options !== undefined) {
        return childSpansOnly(provider.getTracer(name, version, options));
      }
      let tracer = byName.get(name);
      if (tracer === undefined) {
        tracer = childSpansOnly(provider.getTracer(name));
        byName.set(name, tracer);
      }
      return tracer;
    },
  };
}

/** @prisma/instrumentation, recording spans only inside a traced operation. */
export class PrismaChildSpansInstrumentation extends PrismaInstrumentation {
  override enable(): void {
    // Prisma hands this provider to the global tracing helper it installs in enable(); the
    // global provider delegates to the SDK's once it is registered.
    this.setTracerProvider(childSpansOnlyProvider(trace.getTracerProvider()));
    super.enable();
  }
}
