// A pino transport, run by pino in a worker thread: turns each JSON log line into an OTLP log record
// (keeping its trace context) and exports them in batches, off the service's main thread.
import { ROOT_CONTEXT, SeverityNumber, trace, type Context } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import build from 'pino-abstract-transport';
import { guardLogExporter } from './export-health.ts';
import type { LogExportSettings } from './state.ts';

const SEVERITY: Readonly<Record<number, readonly [SeverityNumber, string]>> = {
  10: [SeverityNumber.TRACE, 'TRACE'],
  20: [SeverityNumber.DEBUG, 'DEBUG'],
  30: [SeverityNumber.INFO, 'INFO'],
  40: [SeverityNumber.WARN, 'WARN'],
  50: [SeverityNumber.ERROR, 'ERROR'],
  60: [SeverityNumber.FATAL, 'FATAL'],
};

const OMITTED = new Set([
  'time',
  'level',
  'msg',
  'trace_id',
  'span_id',
  'trace_flags',
  'pid',
  'hostname',
]);

type LogValue =
  string | number | boolean | null | undefined | LogValue[] | { [key: string]: LogValue };

function reportToStderr(
  level: 'warn' | 'info',
  message: string,
  fields: Record<string, unknown>,
): void {
  const line = {
    level: level === 'warn' ? 40 : 30,
    time: Date.now(),
    name: 'telemetry',
    ...fields,
    msg: message,
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

function traceContext(line: Record<string, unknown>): Context | undefined {
  const traceId = line['trace_id'];
  const spanId = line['span_id'];
  if (typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
  const flags =
    typeof line['trace_flags'] === 'string' ? Number.parseInt(line['trace_flags'], 16) : 1;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: flags, isRemote: true });
}

export default function otlpLogTransport(settings: LogExportSettings) {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(settings.resource),
    processors: [
      new BatchLogRecordProcessor({
        exporter: guardLogExporter(
          new OTLPLogExporter({
            url: `${settings.endpoint}/v1/logs`,
            timeoutMillis: settings.exportTimeoutMillis,
          }),
          settings.endpoint,
          reportToStderr,
        ),
        scheduledDelayMillis: settings.scheduleDelayMillis,
        maxQueueSize: settings.maxQueueSize,
        maxExportBatchSize: settings.maxExportBatchSize,
        exportTimeoutMillis: settings.exportTimeoutMillis + 1_000,
      }),
    ],
  });
  const logger = provider.getLogger('pino');

  return build(
    async (source: AsyncIterable<Record<string, unknown>>) => {
      for await (const line of source) {
        const level = typeof line['level'] === 'number' ? line['level'] : 30;
        const [severityNumber, severityText] = SEVERITY[level] ?? [SeverityNumber.INFO, 'INFO'];
        const attributes: Record<string, LogValue> = {};
        for (const [key, value] of Object.entries(line)) {
          if (!OMITTED.has(key)) attributes[key] = value as LogValue;
        }
        const ctx = traceContext(line);
        logger.emit({
          timestamp: typeof line['time'] === 'number' ? line['time'] : Date.now(),
          severityNumber,
          severityText,
          body: typeof line['msg'] === 'string' ? line['msg'] : '',
          attributes,
          ...(ctx === undefined ? {} : { context: ctx }),
        });
      }
    },
    {
      async close() {
        await provider.shutdown();
      },
    },
  );
}
