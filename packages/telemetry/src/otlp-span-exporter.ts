// The default span exporter: encodes a batch with our protobuf encoder (otlp-spans-encoder.ts) and
// sends it with postOtlp, on the main thread. Against the SDK's OTLPTraceExporter this took the
// export's cost per list-games request of the API from ~80 µs to ~20 µs (BENCHMARKS.md): the
// official serialiser writes long strings such as db.query.text character by character.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { postOtlp } from './otlp-http.ts';
import { createTraceRequestEncoder } from './otlp-spans-encoder.ts';
import { toSpanRecord } from './span-records.ts';

export interface SpanExportSettings {
  readonly endpoint: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly exportTimeoutMillis: number;
}

export class OtlpSpanExporter implements SpanExporter {
  private readonly url: URL;
  private readonly encode: ReturnType<typeof createTraceRequestEncoder>;
  private readonly timeoutMillis: number;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(settings: SpanExportSettings) {
    this.url = new URL(`${settings.endpoint}/v1/traces`);
    this.encode = createTraceRequestEncoder(settings.resource);
    this.timeoutMillis = settings.exportTimeoutMillis;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new Error('exporter shut down') });
      return;
    }
    const sending = postOtlp(this.url, this.encode(spans.map(toSpanRecord)), this.timeoutMillis)
      .then((error) => {
        done(
          error === undefined
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: new Error(error) },
        );
      })
      .finally(() => {
        this.inFlight.delete(sending);
      });
    this.inFlight.add(sending);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.forceFlush();
  }
}
