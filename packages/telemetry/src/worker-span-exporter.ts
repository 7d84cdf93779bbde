// A SpanExporter that hands compact span records to a worker thread, which encodes and sends them:
// the main thread pays for a structured clone of each batch instead of OTLP serialisation.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { SpanExportSettings } from './otlp-span-exporter.ts';
import { toSpanRecord } from './span-records.ts';

function workerUrl(): URL {
  const own = fileURLToPath(import.meta.url);
  return new URL(`./span-export-worker${extname(own)}`, import.meta.url);
}

export class WorkerSpanExporter implements SpanExporter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (result: ExportResult) => void>();
  private readonly timeoutMillis: number;
  private nextId = 0;
  private stopped = false;

  constructor(settings: SpanExportSettings) {
    this.timeoutMillis = settings.exportTimeoutMillis + 1_000;
    this.worker = new Worker(workerUrl(), { workerData: settings });
    this.worker.unref();
    this.worker.on('message', (message: { id: number; error: string | undefined }) => {
      const finish = this.pending.get(message.id);
      this.pending.delete(message.id);
      finish?.(
        message.error === undefined
          ? { code: ExportResultCode.SUCCESS }
          : { code: ExportResultCode.FAILED, error: new Error(message.error) },
      );
    });
    this.worker.on('error', (error: unknown) => {
      this.failAll(error instanceof Error ? error : new Error(String(error)));
    });
  }

  private failAll(error: Error): void {
    for (const finish of this.pending.values()) finish({ code: ExportResultCode.FAILED, error });
    this.pending.clear();
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new Error('exporter shut down') });
      return;
    }
    const id = (this.nextId += 1);
    const timer = setTimeout(() => {
      if (this.pending.delete(id)) {
        done({ code: ExportResultCode.FAILED, error: new Error('span export timed out') });
      }
    }, this.timeoutMillis);
    timer.unref();
    this.pending.set(id, (result) => {
      clearTimeout(timer);
      done(result);
    });
    this.worker.postMessage({ id, spans: spans.map(toSpanRecord) });
  }

  async forceFlush(): Promise<void> {
    const deadline = Date.now() + this.timeoutMillis;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.stopped = true;
    await this.worker.terminate();
  }
}
