import {
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Link,
  type Span,
  type SpanKind,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { redactText } from './redact.ts';
import { getTracer } from './tracer.ts';

export interface WithSpanOptions {
  readonly kind?: SpanKind;
  readonly links?: readonly Link[];
  /** Start a new trace instead of a child of the active span. */
  readonly root?: boolean;
  /**
   * The span stands for the whole call, so instrumentations beneath it (undici, http) start no spans
   * of their own (their metrics are still recorded): one CLIENT span per call, not two. Spans made
   * by `fn` through withSpan are suppressed too, and no trace context is propagated onwards.
   */
  readonly suppressNested?: boolean;
}

/** Records an error on a span: exception event, ERROR status, error.type. Secrets are redacted. */
export function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException({
      name: error.name,
      message: redactText(error.message),
      ...(error.stack === undefined ? {} : { stack: redactText(error.stack) }),
    });
    span.setAttribute('error.type', error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: redactText(error.message) });
  } else {
    const message = redactText(String(error));
    span.recordException(message);
    span.setAttribute('error.type', '_OTHER');
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `fn` inside a new active span. The span ends when `fn` returns or, for a promise, settles;
 * a thrown error or rejection is recorded (exception event + ERROR status) and rethrown.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T,
  options: WithSpanOptions = {},
): T {
  const span = getTracer().startSpan(name, {
    attributes,
    ...(options.kind === undefined ? {} : { kind: options.kind }),
    ...(options.links === undefined ? {} : { links: [...options.links] }),
    ...(options.root === true ? { root: true } : {}),
  });
  const active = trace.setSpan(context.active(), span);
  const ctx = options.suppressNested === true ? suppressTracing(active) : active;
  let result: T;
  try {
    result = context.with(ctx, fn, undefined, span);
  } catch (error) {
    recordError(span, error);
    span.end();
    throw error;
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        recordError(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/**
 * Runs `fn` with tracing suppressed: instrumented calls inside it start no spans. For bookkeeping
 * on every request that would otherwise add spans without telling anything (the rate limiter's
 * Redis scripts); its time still shows in the enclosing span.
 */
export function untraced<T>(fn: () => T): T {
  return context.with(suppressTracing(context.active()), fn);
}
