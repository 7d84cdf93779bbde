// W3C trace context carried in AMQP message headers (the header table is the carrier).
import { ROOT_CONTEXT, context, propagation, type Context } from '@opentelemetry/api';
import type { MessageHeaders } from './headers.ts';

const headerGetter = {
  keys: (carrier: MessageHeaders): string[] => Object.keys(carrier),
  get: (carrier: MessageHeaders, key: string): string | undefined => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return value.toString('utf8');
    return undefined;
  },
};

/** Writes the given (default: active) context's `traceparent`/`tracestate` into the headers. */
export function injectTraceContext(
  headers: MessageHeaders,
  from: Context = context.active(),
): void {
  propagation.inject(from, headers);
}

/** The context a message's headers carry, rooted (no active span) when they carry none. */
export function extractTraceContext(headers: MessageHeaders | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, headerGetter);
}

/**
 * The context of a stored `traceparent` (and optional `tracestate`), e.g. from an outbox row, so a
 * publish made later continues the trace of the request that wrote it.
 */
export function contextFromTraceparent(
  traceparent: string | null,
  tracestate?: string | null,
): Context {
  if (traceparent === null) return ROOT_CONTEXT;
  const carrier: MessageHeaders = { traceparent };
  if (tracestate) carrier.tracestate = tracestate;
  return extractTraceContext(carrier);
}
