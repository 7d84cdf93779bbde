import { afterAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { installTestTracing } from './testing/in-memory-tracing.ts';
import { createLogger } from './logger.ts';
import { withSpan } from './span-helpers.ts';

const tracing = installTestTracing();

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  afterAll(async () => {
    await tracing.shutdown();
  });

  it('writes JSON lines with the logger name and no trace ids outside a span', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'unit', destination, otlp: false }).info({ gameId: 'g1' }, 'hello');
    expect(lines[0]).toMatchObject({ name: 'unit', msg: 'hello', gameId: 'g1', level: 30 });
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('adds trace_id and span_id inside a span', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'unit', destination, otlp: false });
    withSpan('unit.logged', {}, () => {
      logger.info('inside');
    });
    const span = tracing.exporter.getFinishedSpans().find((s) => s.name === 'unit.logged')!;
    expect(lines[0]).toMatchObject({
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
      trace_flags: '01',
    });
  });

  it('redacts secrets in fields, nested headers, messages and error messages', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'unit', destination, otlp: false });
    logger.info(
      {
        password: 'p1',
        botToken: 'bt',
        req: { headers: { authorization: 'Bearer abcdefghijklmnopqrstu', cookie: 'sid=1' } },
        url: '/x?token=querysecret',
      },
      'connecting to postgresql://app:dbsecret@db:5432/app',
    );
    logger.error({ err: new Error('auth failed for redis://:redispass@cache:6379') }, 'boom');
    const text = JSON.stringify(lines);
    for (const secret of [
      'p1"',
      'bt"',
      'abcdefghijklmnopqrstu',
      'sid=1',
      'querysecret',
      'dbsecret',
      'redispass',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]?.['msg']).toBe('connecting to postgresql://app:***@db:5432/app');
    expect((lines[1]?.['err'] as { message: string }).message).toBe(
      'auth failed for redis://:***@cache:6379',
    );
  });

  it('honours the level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'unit', destination, otlp: false, level: 'warn' });
    logger.info('dropped');
    logger.warn('kept');
    expect(lines.map((line) => line['msg'])).toEqual(['kept']);
  });
});

describe('createLogger redaction of nested secrets', () => {
  it('masks secret keys at any depth', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'unit', destination, otlp: false }).info(
      {
        config: { discord: { botToken: 'nested-bot-token', clientSecret: 'nested-client-secret' } },
      },
      'config loaded',
    );
    const text = JSON.stringify(lines);
    expect(text).not.toContain('nested-bot-token');
    expect(text).not.toContain('nested-client-secret');
    expect(lines[0]).toMatchObject({ config: { discord: { botToken: '***' } } });
  });
});
