import { ROOT_CONTEXT, SeverityNumber, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from './index.ts';

describe('the OTLP receiver, for log records sent by the real protobuf exporter', () => {
  let receiver: OtlpReceiver;
  let loggerProvider: LoggerProvider;
  let tracerProvider: TracerProvider;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const resource = resourceFromAttributes({ 'service.name': 'bot' });
    loggerProvider = new LoggerProvider({
      resource,
      processors: [
        new SimpleLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: receiver.endpoints.logs }),
        }),
      ],
    });
    tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [
        new SimpleSpanProcessor({
          exporter: new OTLPTraceExporter({ url: receiver.endpoints.traces }),
        }),
      ],
    });
  });

  afterAll(async () => {
    await Promise.all([loggerProvider.shutdown(), tracerProvider.shutdown()]);
    await receiver.close();
  });

  beforeEach(() => {
    receiver.reset();
  });

  it('decodes a log record written inside a span with its trace and span ids', async () => {
    const span = tracerProvider.getTracer('test').startSpan('interaction join');
    loggerProvider.getLogger('pino', '10.0.0').emit({
      body: 'player joined',
      severityNumber: SeverityNumber.INFO,
      severityText: 'info',
      attributes: { 'discord.user_id': '42', attempt: 2 },
      context: trace.setSpan(ROOT_CONTEXT, span),
    });
    span.end();
    await Promise.all([loggerProvider.forceFlush(), tracerProvider.forceFlush()]);

    const [log] = await receiver.waitForLogs({ body: 'player joined' });
    expect(log).toMatchObject({
      body: 'player joined',
      severityNumber: 9,
      severityText: 'info',
      attributes: { 'discord.user_id': '42', attempt: 2 },
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      serviceName: 'bot',
      resource: { 'service.name': 'bot' },
      scope: { name: 'pino', version: '10.0.0' },
    });
    expect(typeof log!.timeUnixNano).toBe('bigint');
    expect(receiver.logs({ traceId: span.spanContext().traceId })).toEqual([log]);
    const [captured] = await receiver.waitForSpans({ name: 'interaction join' });
    expect(receiver.logsOf(captured!)).toEqual([log]);
  });

  it('keeps a structured body as a plain object and a log outside any span without ids', async () => {
    loggerProvider.getLogger('pino').emit({
      body: { msg: 'reminder sent', game: { id: 7, tags: ['raid'] } },
      severityNumber: SeverityNumber.WARN,
    });
    await loggerProvider.forceFlush();

    const [log] = await receiver.waitForLogs({ body: /reminder sent/ });
    expect(log!.body).toEqual({ msg: 'reminder sent', game: { id: 7, tags: ['raid'] } });
    expect(log!.traceId).toBeUndefined();
    expect(log!.spanId).toBeUndefined();
    expect(receiver.logs({ serviceName: 'api' })).toEqual([]);
  });
});
