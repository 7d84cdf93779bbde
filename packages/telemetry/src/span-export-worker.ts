// Worker thread that encodes span records as OTLP protobuf and sends them, so the service's event
// loop never pauses to serialise a batch. Started by WorkerSpanExporter (worker-span-exporter.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { postOtlp } from './otlp-http.ts';
import { createTraceRequestEncoder } from './otlp-spans-encoder.ts';
import type { SpanExportSettings } from './otlp-span-exporter.ts';
import type { SpanRecord } from './span-records.ts';

const settings = workerData as SpanExportSettings;
const encode = createTraceRequestEncoder(settings.resource);
const url = new URL(`${settings.endpoint}/v1/traces`);

parentPort?.on('message', (message: { id: number; spans: SpanRecord[] }) => {
  void postOtlp(url, encode(message.spans), settings.exportTimeoutMillis).then((error) => {
    parentPort?.postMessage({ id: message.id, error });
  });
});
