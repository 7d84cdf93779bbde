// @fastify/otel with as few spans as still tell the story. In 'route' mode (the default) it keeps its
// cheap, useful part — it names the route on the HTTP server span (http.route, span name
// "GET /games/:id", the duration metric's route) — but its own 'request' span is not recorded:
// a borrowed span stands in for it, forwarding attributes, events, exceptions and status to the
// HTTP server span and ignoring end(). 'request' records its request span only; 'all' also records
// one span per hook and handler (the library default).
import {
  context,
  trace,
  INVALID_SPAN_CONTEXT,
  type Attributes,
  type Context,
  type Exception,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifySpans } from './otel-env.ts';

class BorrowedSpan implements Span {
  private readonly owner: Span;

  constructor(owner: Span) {
    this.owner = owner;
  }

  spanContext(): SpanContext {
    return this.owner.spanContext();
  }
  setAttribute(key: string, value: Parameters<Span['setAttribute']>[1]): this {
    this.owner.setAttribute(key, value);
    return this;
  }
  setAttributes(attributes: Attributes): this {
    this.owner.setAttributes(attributes);
    return this;
  }
  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    this.owner.addEvent(name, attributesOrTime, time);
    return this;
  }
  addLink(link: Link): this {
    this.owner.addLink(link);
    return this;
  }
  addLinks(links: Link[]): this {
    this.owner.addLinks(links);
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.owner.setStatus(status);
    return this;
  }
  updateName(_name: string): this {
    return this;
  }
  end(_endTime?: TimeInput): void {
    // the owner (HTTP server span) ends itself
  }
  isRecording(): boolean {
    return this.owner.isRecording();
  }
  recordException(exception: Exception, time?: TimeInput): void {
    this.owner.recordException(exception, time);
  }
}

const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** A tracer whose spans are stand-ins for the active span of the given context. */
class BorrowingTracer implements Tracer {
  startSpan(_name: string, _options?: SpanOptions, ctx: Context = context.active()): Span {
    const owner = trace.getSpan(ctx);
    return owner === undefined ? NO_SPAN : new BorrowedSpan(owner);
  }

  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: unknown[]
  ): ReturnType<F> {
    const fn = rest[rest.length - 1] as (span: Span) => ReturnType<F>;
    const options = rest.length >= 2 ? (rest[0] as SpanOptions) : undefined;
    const ctx = rest.length >= 3 ? (rest[1] as Context) : context.active();
    const span = this.startSpan(name, options, ctx);
    return context.with(trace.setSpan(ctx, span), fn, undefined, span);
  }
}

const borrowingProvider: TracerProvider = {
  getTracer: () => new BorrowingTracer(),
};

export function createFastifyInstrumentation(mode: FastifySpans): FastifyOtelInstrumentation {
  const detailed = mode === 'all';
  return new FastifyOtelInstrumentation({
    registerOnInitialization: true,
    instrumentHooks: detailed,
    instrumentHandler: detailed,
  });
}

/** Call after the SDK has started (starting assigns the global tracer provider to every instrumentation). */
export function applyFastifySpanMode(
  instrumentations: readonly unknown[],
  mode: FastifySpans,
): void {
  if (mode !== 'route') return;
  for (const instrumentation of instrumentations) {
    if (instrumentation instanceof FastifyOtelInstrumentation) {
      instrumentation.setTracerProvider(borrowingProvider);
    }
  }
}
