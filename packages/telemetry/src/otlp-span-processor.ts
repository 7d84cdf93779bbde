// The span processor and exporter in one: each sampled span is scrubbed of secrets and encoded as
// OTLP protobuf (otlp-spans-encoder.ts) when it ends, on the main thread, and the encoded spans are
// sent with postOtlp in batches, OTEL_BSP_* as for the SDK's BatchSpanProcessor: as soon as
// OTEL_BSP_MAX_EXPORT_BATCH_SIZE spans are waiting, else OTEL_BSP_SCHEDULE_DELAY after the first,
// one export at a time, at most OTEL_BSP_MAX_QUEUE_SIZE spans waiting (the rest are dropped and
// said so once). Against the BatchSpanProcessor and an exporter, a span's objects no longer live
// until their batch is sent: they die young, and what waits is bytes outside the JS heap.
import { ROOT_CONTEXT, TraceFlags, context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ExportHealth, type HealthReport } from './export-health.ts';
import { postOtlp } from './otlp-http.ts';
import { SpanBatch } from './otlp-spans-encoder.ts';
import { redactRepeatedText, redactText } from './redact.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Redacts secrets in string attributes, event attributes and status messages of spans. */
function scrubSpan(span: ReadableSpan): void {
  scrubAttributes(span.attributes);
  for (const event of span.events) {
    if (event.attributes !== undefined) scrubAttributes(event.attributes);
  }
  const status = span.status as Mutable<ReadableSpan['status']>;
  if (status.message !== undefined) status.message = redactText(status.message);
}

function scrubAttributes(attributes: Record<string, unknown>): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === 'string') {
      const clean = redactRepeatedText(value);
      if (clean !== value) attributes[key] = clean;
    }
  }
}

export interface SpanProcessorSettings {
  readonly endpoint: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly exportTimeoutMillis: number;
  readonly scheduledDelayMillis: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  /** Where an export failing, recovering or the queue overflowing is said (once each time). */
  readonly report: HealthReport;
}

export class OtlpSpanProcessor implements SpanProcessor {
  private readonly settings: SpanProcessorSettings;
  private readonly url: URL;
  private readonly batch: SpanBatch;
  private readonly health: ExportHealth;
  private timer: NodeJS.Timeout | undefined;
  /** The export in flight, if any (one at a time). */
  private sending: Promise<void> | undefined;
  /** Spans dropped since the queue overflowed (said once), until an export gets through again. */
  private dropped = 0;
  private stopped = false;

  constructor(settings: SpanProcessorSettings) {
    this.settings = settings;
    this.url = new URL(`${settings.endpoint}/v1/traces`);
    this.batch = new SpanBatch(settings.resource);
    this.health = new ExportHealth('traces', settings.endpoint, settings.report);
  }

  onStart(): void {
    // nothing to do until the span ends
  }

  onEnd(span: ReadableSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.batch.size >= this.settings.maxQueueSize) {
      if (this.dropped === 0) {
        this.settings.report('warn', 'OpenTelemetry span queue full; dropping spans', {
          signal: 'traces',
          maxQueueSize: this.settings.maxQueueSize,
        });
      }
      this.dropped += 1;
      return;
    }
    scrubSpan(span);
    this.batch.add(span);
    if (this.batch.size >= this.settings.maxExportBatchSize) this.send();
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.sending !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, this.settings.scheduledDelayMillis);
    this.timer.unref();
  }

  /** Sends what is waiting, unless an export is in flight (its end sends the rest). */
  private send(): void {
    if (this.sending !== undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const body = this.batch.take();
    if (body === undefined) return;
    // The export's own HTTP request is not traced (it would make a span per export).
    this.sending = context
      .with(suppressTracing(ROOT_CONTEXT), () =>
        postOtlp(this.url, body, this.settings.exportTimeoutMillis),
      )
      .then((error) => {
        this.health.observe(
          error === undefined
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: new Error(error) },
        );
        if (error === undefined && this.dropped > 0) {
          this.settings.report('info', 'OpenTelemetry span queue no longer full', {
            signal: 'traces',
            droppedSpans: this.dropped,
          });
          this.dropped = 0;
        }
      })
      .finally(() => {
        this.sending = undefined;
        if (this.batch.size >= this.settings.maxExportBatchSize) this.send();
        else if (this.batch.size > 0) this.schedule();
      });
  }

  /** Sends everything waiting and waits for it (and for an export already in flight). */
  async forceFlush(): Promise<void> {
    while (this.sending !== undefined || this.batch.size > 0) {
      if (this.sending === undefined) this.send();
      await this.sending;
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.forceFlush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
