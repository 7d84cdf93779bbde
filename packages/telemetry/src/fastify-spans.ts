// The library instrumentations of the fastify HTTP server side, for OTEL_FASTIFY_SPANS=request|all:
// @opentelemetry/instrumentation-http's server span with @fastify/otel's request span under it
// ('request'), plus one span per hook and handler ('all', the library default). The default 'route'
// mode uses neither: fastify-server-spans.ts records the server span itself, at a fraction of the cost.
import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifySpans } from './otel-env.ts';

export function createFastifyInstrumentation(
  mode: Exclude<FastifySpans, 'route'>,
): FastifyOtelInstrumentation {
  const detailed = mode === 'all';
  return new FastifyOtelInstrumentation({
    registerOnInitialization: true,
    instrumentHooks: detailed,
    instrumentHandler: detailed,
  });
}
