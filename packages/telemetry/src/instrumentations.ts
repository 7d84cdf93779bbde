// The instrumentations every service gets — only these, not the auto-instrumentations bundle.
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { FastifySpans } from './otel-env.ts';
import { PgStatementSpansInstrumentation } from './pg-spans.ts';
import { PrismaChildSpansInstrumentation } from './prisma-spans.ts';
import { isReadinessRequest } from './readiness.ts';
import { SECRET_QUERY_PARAMS } from './redact.ts';
import { UndiciClientSpansInstrumentation } from './undici-spans.ts';

/** Modules the ESM loader hook must intercept so these instrumentations can patch them. */
export const HOOKED_MODULES = [
  'http',
  'https',
  'node:http',
  'node:https',
  'pg',
  'pg-pool',
  'ioredis',
  'pino',
] as const;

export async function createInstrumentations(
  fastifySpans: FastifySpans,
): Promise<Instrumentation[]> {
  const redactedQueryParams = [...SECRET_QUERY_PARAMS];
  // 'route' (the default): fastify-server-spans.ts records the server span and its metric.
  // 'request' adds @fastify/otel's request span under the http instrumentation's server span, 'all'
  // also one span per hook and handler (the library default). @fastify/otel, with its own copies
  // of the instrumentation base, is loaded only when asked for.
  const libraryServerSpans = fastifySpans !== 'route';
  const fastify = libraryServerSpans
    ? [
        new (await import('@fastify/otel')).FastifyOtelInstrumentation({
          registerOnInitialization: true,
          instrumentHooks: fastifySpans === 'all',
          instrumentHandler: fastifySpans === 'all',
        }),
      ]
    : [];
  return [
    new HttpInstrumentation({
      redactedQueryParams,
      redactedQueryParamsServer: redactedQueryParams,
      disableIncomingRequestInstrumentation: !libraryServerSpans,
      // The daemons' and the bot's /health and /ready (readiness.ts), probed every few seconds: no
      // span and no metric, whichever OTEL_FASTIFY_SPANS is set.
      ignoreIncomingRequestHook: isReadinessRequest,
    }),
    // Node's fetch and discord.js's REST client: ours rather than @opentelemetry/instrumentation-undici,
    // traced only inside a traced operation, the duration recorded for every request (undici-spans.ts).
    new UndiciClientSpansInstrumentation(),
    ...fastify,
    // Only inside a request/job span: no orphan traces from pool housekeeping, no connect spans;
    // ours rather than @opentelemetry/instrumentation-pg, for a fraction of its cost (pg-spans.ts).
    new PgStatementSpansInstrumentation(),
    // One client span per query: pg's (stable db.* attributes, the query text, the
    // db.client.operation.duration metric). Prisma's own spans for the same work are skipped at
    // creation — its operation span ("Game.findMany" around the pg span), serialize and compile
    // steps, db_query (a copy of the pg span) and start/commit (copies of pg's BEGIN and COMMIT) —
    // which took a list request from 8 to 6 spans and a transaction from 2n + 5 to n + 3 (n + 2
    // since pg-spans.ts leaves out BEGIN). Its transaction span stays: it groups the statements of
    // one `$transaction`. Like pg's and ioredis's, Prisma's spans are recorded only inside a traced
    // operation (prisma-spans.ts).
    new PrismaChildSpansInstrumentation({
      ignoreSpanTypes: [
        'prisma:client:operation',
        'prisma:client:serialize',
        'prisma:client:compile',
        'prisma:client:db_query',
        'prisma:client:start_transaction',
        'prisma:client:commit_transaction',
      ],
    }),
    new IORedisInstrumentation({
      requireParentSpan: true,
      // the command name only: arguments may hold keys with ids or secrets
      dbStatementSerializer: (command) => command,
    }),
    // No amqplib instrumentation: @game-scheduler/messaging creates the PRODUCER/CONSUMER spans and
    // carries the trace context itself (named from our registry), and refuses to run beside it, so
    // each message is traced exactly once.
    // Log correlation only: lines are shipped by our worker-thread transport (logger.ts), not
    // bridged record by record on the main thread.
    new PinoInstrumentation({
      disableLogSending: true,
      logKeys: { traceId: 'trace_id', spanId: 'span_id', traceFlags: 'trace_flags' },
    }),
  ];
}
