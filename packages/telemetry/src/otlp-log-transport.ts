// A pino transport, run by pino in a worker thread: encodes each JSON log line as an OTLP log record
// (keeping its trace context) and exports them in batches over OTLP/HTTP protobuf — all off the
// service's main thread, and without the logs SDK's per-record overhead. Bounded: at most
// `maxQueueSize` records wait; beyond that, lines are dropped (and counted) while the collector is
// unreachable. Exporter trouble is reported once per outage, on stderr.
import build from 'pino-abstract-transport';
import { ExportHealth } from './export-health.ts';
import { postOtlp } from './otlp-http.ts';
import { createLogsRequestEncoder, encodeLogRecord } from './otlp-logs-encoder.ts';
import type { LogExportSettings } from './state.ts';

const SUCCESS = 0;
const FAILED = 1;

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

export default function otlpLogTransport(settings: LogExportSettings) {
  const url = new URL(`${settings.endpoint}/v1/logs`);
  const encodeRequest = createLogsRequestEncoder(settings.resource, 'pino');
  const health = new ExportHealth('logs', settings.endpoint, reportToStderr);
  let queue: Uint8Array[] = [];
  let dropped = 0;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function send(records: Uint8Array[]): Promise<void> {
    const error = await postOtlp(url, encodeRequest(records), settings.exportTimeoutMillis);
    health.observe(
      error === undefined ? { code: SUCCESS } : { code: FAILED, error: new Error(error) },
    );
  }

  function flush(): Promise<void> {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (inFlight !== undefined || queue.length === 0) return inFlight ?? Promise.resolve();
    const batch = queue.slice(0, settings.maxExportBatchSize);
    queue = queue.slice(batch.length);
    inFlight = send(batch).finally(() => {
      inFlight = undefined;
      if (queue.length >= settings.maxExportBatchSize) void flush();
      else schedule();
    });
    return inFlight;
  }

  function schedule(): void {
    if (timer !== undefined || queue.length === 0) return;
    timer = setTimeout(() => void flush(), settings.scheduleDelayMillis);
    timer.unref();
  }

  return build(
    async (source: AsyncIterable<Record<string, unknown>>) => {
      for await (const line of source) {
        if (queue.length >= settings.maxQueueSize) {
          dropped += 1;
          continue;
        }
        queue.push(encodeLogRecord(line, Date.now()));
        if (queue.length >= settings.maxExportBatchSize && inFlight === undefined) void flush();
        else schedule();
      }
    },
    {
      async close() {
        const deadline = Date.now() + settings.exportTimeoutMillis;
        while ((queue.length > 0 || inFlight !== undefined) && Date.now() < deadline) {
          await (inFlight ?? flush());
        }
        if (dropped > 0) {
          reportToStderr('warn', 'OpenTelemetry logs dropped while the export queue was full', {
            dropped,
          });
        }
      },
    },
  );
}
