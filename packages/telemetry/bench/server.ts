// The benchmarked service: fastify with /hello (trivial) and /work (~0.8 ms of CPU and one log line),
// started by run.ts with the real preload (`--import @game-scheduler/telemetry/register`), with
// telemetry on or OTEL_SDK_DISABLED=true. Reports its address over IPC; run.ts reads its CPU and RSS
// from /proc.
import Fastify from 'fastify';
import { createLogger } from '@game-scheduler/telemetry';

const WORK_NS = 800_000n;

const logger = createLogger({ name: 'bench-service', pretty: false });
const app = Fastify();

app.get('/hello', () => ({ hello: 'world' }));

app.get('/work', () => {
  const until = process.hrtime.bigint() + WORK_NS;
  let spins = 0;
  while (process.hrtime.bigint() < until) spins += 1;
  logger.info({ spins }, 'work done');
  return { ok: true };
});

const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ listening: address });
process.on('SIGTERM', () => {
  process.exit(0);
});
