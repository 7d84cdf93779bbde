// Micro-benchmark: what encoding one finished span costs on the event loop (SpanBatch.add, the work
// our span processor does when a span ends, batches taken every 64 spans as in production), for the
// three spans of the API's list request: the server span, a pg statement with a ~600-character
// query text, and a Redis command. In-process and warm, so it compares encoder changes, not
// services (BENCHMARKS.md).
//
//   npm run bench:encode -w @game-scheduler/telemetry
import { SpanKind, context, trace } from '@opentelemetry/api';
import { TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { fixed, median } from '@game-scheduler/bench';
import { SpanBatch } from '../src/otlp-spans-encoder.ts';

const ROUNDS = 7;
const SPANS_PER_ROUND = Number(process.env['BENCH_SPANS'] ?? 200_000);

function listRequestSpans(): Map<string, ReadableSpan> {
  const ended: ReadableSpan[] = [];
  const provider = new TracerProvider({
    spanProcessors: [
      {
        onStart: () => undefined,
        onEnd: (span) => ended.push(span),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  const tracer = provider.getTracer('@game-scheduler/telemetry', '0.1.0');
  const columns = ['id', 'guild_id', 'channel_id', 'host_id', 'title', 'description'];
  const sql = `SELECT ${columns.map((c) => `"public"."games"."${c}"`).join(', ')}, ${'"public"."games"."x", '.repeat(12)}1 FROM "public"."games" WHERE ("public"."games"."guild_id" = $1) ORDER BY "public"."games"."scheduled_at" ASC LIMIT $2 OFFSET $3`;
  const server = tracer.startSpan('GET /api/v1/games', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'GET',
      'http.route': '/api/v1/games',
      'url.scheme': 'http',
      'url.path': '/api/v1/games',
      'network.protocol.version': '1.1',
      'server.address': '127.0.0.1',
      'server.port': 3000,
      'user_agent.original': 'node',
      'client.address': '127.0.0.1',
      'http.response.status_code': 200,
    },
  });
  const parent = trace.setSpan(context.active(), server);
  const client = (name: string, attributes: Record<string, string | number>): void => {
    tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent).end();
  };
  client('pg.query:SELECT game_scheduler', {
    'db.system.name': 'postgresql',
    'db.namespace': 'game_scheduler',
    'server.address': '127.0.0.1',
    'server.port': 5432,
    'db.query.text': sql,
    'db.operation.name': 'SELECT',
  });
  client('mget', {
    'db.system.name': 'redis',
    'db.query.text': 'mget',
    'server.address': '127.0.0.1',
    'server.port': 6379,
  });
  server.end();
  const [pg, redis, request] = ended;
  if (pg === undefined || redis === undefined || request === undefined) throw new Error('no spans');
  return new Map([
    ['server span (10 attributes)', request],
    [`pg statement (${String(sql.length)}-character query)`, pg],
    ['redis command', redis],
  ]);
}

const batch = new SpanBatch({ 'service.name': 'bench', 'service.version': '0.1.0' });
function encode(span: ReadableSpan, count: number): void {
  for (let i = 0; i < count; i += 1) {
    batch.add(span);
    if (batch.size >= 64) batch.take();
  }
}

console.log(
  `node ${process.version}; µs per span, median of ${String(ROUNDS)} rounds of ${String(SPANS_PER_ROUND)}`,
);
for (const [name, span] of listRequestSpans()) {
  encode(span, 50_000); // warm-up
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = process.hrtime.bigint();
    encode(span, SPANS_PER_ROUND);
    rounds.push(Number(process.hrtime.bigint() - started) / SPANS_PER_ROUND / 1_000);
  }
  console.log(`${name}: ${fixed(median(rounds), 2)} µs`);
}
