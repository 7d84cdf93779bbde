// Worker thread that encodes span records as OTLP protobuf and sends them, so the service's event
// loop never pauses to serialise a batch. Started by WorkerSpanExporter (worker-span-exporter.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { createTraceRequestEncoder } from './otlp-spans-encoder.ts';
import type { SpanRecord } from './span-records.ts';
import type { SpanWorkerSettings } from './worker-span-exporter.ts';

const settings = workerData as SpanWorkerSettings;
const encode = createTraceRequestEncoder(settings.resource);
const url = `${settings.endpoint}/v1/traces`;

async function send(spans: readonly SpanRecord[]): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: encode(spans),
      signal: AbortSignal.timeout(settings.exportTimeoutMillis),
    });
    await response.arrayBuffer();
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

parentPort?.on('message', (message: { id: number; spans: SpanRecord[] }) => {
  void send(message.spans).then((error) => {
    parentPort?.postMessage({ id: message.id, error });
  });
});
