// An OTLP/HTTP receiver for tests: accepts POST /v1/traces, /v1/metrics and /v1/logs as protobuf or
// OTLP/JSON (optionally gzip-compressed), keeps everything in memory for queries, and can be told to
// fail, answer slowly, or go down and come back on the same port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { Signal } from './captured-types.ts';
import {
  decodeExportRequest,
  encodeEmptyResponse,
  toJsonSafe,
  type OtlpEncoding,
} from './decode-export-request.ts';
import { normaliseLogs } from './normalise-logs.ts';
import { normaliseMetrics } from './normalise-metrics.ts';
import { normaliseSpans } from './normalise-spans.ts';
import type {
  DecodedLogsRequest,
  DecodedMetricsRequest,
  DecodedTraceRequest,
} from './otlp-decoded.ts';
import { createTelemetryStore, type TelemetryQueries } from './telemetry-store.ts';

export interface OtlpReceiverOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface ReceiverResponse {
  /** HTTP status to answer export requests with; 2xx accepts and stores the data. */
  status: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Sent as a Retry-After header (seconds), as a collector does with 429/503. */
  retryAfterSeconds?: number;
  /** Answer this way for the next `times` requests only, then accept normally again. */
  times?: number;
}

export interface OtlpReceiver extends TelemetryQueries {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://127.0.0.1:43127 */
  readonly url: string;
  readonly port: number;
  /** Signal-specific URLs for exporters configured with a full `url`. */
  readonly endpoints: Readonly<Record<Signal, string>>;
  /** Forget everything received, drop requests still being delayed, and answer 200 again. */
  reset(): void;
  /** How to answer the following export requests (a bare number is the status). */
  setResponse(response: number | ReceiverResponse): void;
  /** Stop listening and drop open connections, like a collector going down. Data is kept. */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  readonly listening: boolean;
  /** Stop for good. */
  close(): Promise<void>;
}

const signalPaths: Record<string, Signal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

const contentTypes: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

function encodingOf(contentType: string): OtlpEncoding | undefined {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') {
    return 'protobuf';
  }
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

function decompress(body: Buffer, contentEncoding: string | undefined): Buffer {
  switch (contentEncoding?.trim().toLowerCase() ?? 'identity') {
    case 'identity':
    case '':
      return body;
    case 'gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    default:
      throw new Error(`unsupported Content-Encoding ${String(contentEncoding)}`);
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const host = options.host ?? '127.0.0.1';
  const store = createTelemetryStore();
  let response: ReceiverResponse = { status: 200 };
  let server: Server | undefined;
  let closed = false;
  let downSignal = new AbortController();
  let resetSignal = new AbortController();

  const answer = (
    res: ServerResponse,
    status: number,
    body: Buffer | string,
    headers: Record<string, string>,
  ): void => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, headers);
    res.end(body);
  };

  const takeResponse = (): ReceiverResponse => {
    const current = response;
    if (current.times !== undefined) {
      const remaining = current.times - 1;
      response = remaining > 0 ? { ...current, times: remaining } : { status: 200 };
    }
    return current;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const signal = signalPaths[path];
    if (signal === undefined || req.method !== 'POST') {
      answer(res, signal === undefined ? 404 : 405, 'not an OTLP export endpoint', {
        'Content-Type': 'text/plain',
      });
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    const contentEncoding = req.headers['content-encoding'];
    const record = (status: number, error?: string): void => {
      store.addRequest({
        signal,
        method: req.method ?? 'POST',
        path,
        contentType,
        contentEncoding,
        headers: { ...req.headers },
        status,
        error,
      });
    };

    const rawBody = await readBody(req);
    const current = takeResponse();
    if (current.delayMs !== undefined && current.delayMs > 0) {
      try {
        await sleep(current.delayMs, undefined, {
          signal: AbortSignal.any([downSignal.signal, resetSignal.signal]),
        });
      } catch {
        // The receiver went down or was reset while this request waited: drop it unanswered.
        res.destroy();
        return;
      }
    }

    const encoding = encodingOf(contentType);
    if (encoding === undefined) {
      record(415, `unsupported Content-Type ${contentType}`);
      answer(res, 415, 'unsupported Content-Type', { 'Content-Type': 'text/plain' });
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': contentTypes[encoding] };
    if (current.status < 200 || current.status > 299) {
      if (current.retryAfterSeconds !== undefined) {
        headers['Retry-After'] = String(current.retryAfterSeconds);
      }
      record(current.status);
      answer(res, current.status, encoding === 'json' ? '{}' : Buffer.alloc(0), headers);
      return;
    }

    let body: Buffer;
    let decoded: Record<string, unknown>;
    try {
      body = decompress(rawBody, contentEncoding);
      decoded = decodeExportRequest(signal, encoding, body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      record(400, message);
      answer(res, 400, message, { 'Content-Type': 'text/plain' });
      return;
    }

    if (signal === 'traces')
      store.addSpans(normaliseSpans(decoded as unknown as DecodedTraceRequest));
    if (signal === 'logs') store.addLogs(normaliseLogs(decoded as unknown as DecodedLogsRequest));
    if (signal === 'metrics') {
      store.addMetrics(normaliseMetrics(decoded as unknown as DecodedMetricsRequest));
    }
    store.addPayload({ signal, encoding, body, decoded: toJsonSafe(decoded) });
    record(current.status);
    answer(res, current.status, encodeEmptyResponse(signal, encoding), headers);
  };

  const open = async (port: number): Promise<number> => {
    const created = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        answer(res, 500, error instanceof Error ? error.message : String(error), {
          'Content-Type': 'text/plain',
        });
      });
    });
    const bound = await listen(created, port, host);
    server = created;
    downSignal = new AbortController();
    return bound;
  };

  const shutDown = async (): Promise<void> => {
    const current = server;
    if (current === undefined) return;
    server = undefined;
    downSignal.abort();
    const done = new Promise<void>((resolve) =>
      current.close(() => {
        resolve();
      }),
    );
    current.closeAllConnections();
    await done;
  };

  const port = await open(options.port ?? 0);
  const url = `http://${host}:${port}`;

  return {
    ...store.queries,
    url,
    port,
    endpoints: {
      traces: `${url}/v1/traces`,
      metrics: `${url}/v1/metrics`,
      logs: `${url}/v1/logs`,
    },
    get listening() {
      return server !== undefined;
    },
    reset: () => {
      resetSignal.abort();
      resetSignal = new AbortController();
      store.clear();
      response = { status: 200 };
    },
    setResponse: (next) => {
      response = typeof next === 'number' ? { status: next } : next;
    },
    stop: shutDown,
    start: async () => {
      if (closed) throw new Error('the receiver was closed; start a new one');
      if (server === undefined) await open(port);
    },
    close: async () => {
      closed = true;
      await shutDown();
    },
  };
}
