// One CLIENT span per HTTP request sent through undici (Node's fetch, discord.js's REST client) and
// the `http.client.request.duration` histogram, instead of @opentelemetry/instrumentation-undici,
// as pg-spans.ts does for PostgreSQL. Profiled on the bot (two Discord calls a click, each already
// the CLIENT span `discord.rest` with undici's suppressed beneath it), that instrumentation still
// parsed every request's URL, built nine attributes, split the request headers to find the user
// agent, and recorded the histogram through the SDK (hashing its attribute set): ~70 µs a click.
// Here a request whose span is not wanted costs a timestamp and, when it finishes, one cached
// histogram series (histograms.ts) found by a short key.
//
// Traced only inside a traced operation, like pg's and ioredis's spans: no span, and no trace
// context sent on, outside any span or where tracing is suppressed (`untraced()`, or
// `withSpan(…, { suppressNested: true })`). The duration is recorded for every request.
// Attributes: `http.request.method`, `url.full` (secret query parameters replaced),
// `server.address`, `server.port`, `http.response.status_code`, and on failure `error.type` (the
// status code of a 4xx/5xx answer, or the error's code) with an ERROR status.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  SpanKind,
  SpanStatusCode,
  context,
  diag,
  isSpanContextValid,
  propagation,
  trace,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { createFastHistogram, type FastHistogram } from './histograms.ts';
import { Attr, InstrumentationMetrics } from './names.ts';
import { SECRET_QUERY_PARAMS, REDACTED } from './redact.ts';
import { recordError } from './span-helpers.ts';

/** The instrumentation scope of the HTTP client spans. */
export const UNDICI_SCOPE_NAME = '@game-scheduler/telemetry/undici';

/** The parts of an undici request the diagnostics channels hand us that are read here. */
interface UndiciRequest {
  readonly origin: string | URL;
  readonly method: string;
  readonly path: string;
  headers?: string | unknown[];
  addHeader?(name: string, value: string): unknown;
}

interface Origin {
  readonly address: string;
  readonly port: number | undefined;
  readonly scheme: string;
}

interface InFlight {
  readonly started: number;
  readonly method: string;
  readonly origin: string;
  readonly span: Span | undefined;
  status: number | undefined;
  errorType: string | undefined;
}

const METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'QUERY',
  'TRACE',
]);
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };
const SECRET_PARAMS: ReadonlySet<string> = new Set(SECRET_QUERY_PARAMS);

/** Origins seen lately, parsed once ("https://discord.com" → discord.com, 443, https). */
const origins = new Map<string, Origin | null>();
const MAX_ORIGINS = 64;

function parseOrigin(origin: string): Origin | null {
  const known = origins.get(origin);
  if (known !== undefined) return known;
  let parsed: Origin | null;
  try {
    const url = new URL(origin);
    const scheme = url.protocol.slice(0, -1);
    const port = url.port === '' ? DEFAULT_PORTS[scheme] : Number(url.port);
    // URL keeps IPv6 literals in brackets; server.address is the address itself.
    parsed = { address: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, scheme };
  } catch {
    parsed = null;
  }
  if (origins.size >= MAX_ORIGINS) origins.clear();
  origins.set(origin, parsed);
  return parsed;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name; // malformed escapes: compared as written
  }
}

/** The path with the values of secret query parameters replaced. */
export function redactPathQuery(path: string): string {
  const question = path.indexOf('?');
  if (question === -1) return path;
  const query = path
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && SECRET_PARAMS.has(decodedName(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path.slice(0, question + 1)}${query}`;
}

function addHeader(request: UndiciRequest, name: string, value: string): void {
  if (typeof request.addHeader === 'function') request.addHeader(name, value);
  else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
  else if (Array.isArray(request.headers)) request.headers.push(name, value);
}

const inFlight = new WeakMap<UndiciRequest, InFlight>();
let duration: FastHistogram | undefined;

function finish(request: UndiciRequest, error?: unknown): void {
  const call = inFlight.get(request);
  if (call === undefined) return;
  inFlight.delete(request);
  const aborted =
    error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
  if (error !== undefined && !aborted) {
    const code = (error as { code?: unknown }).code;
    call.errorType =
      typeof code === 'string' ? code : error instanceof Error ? error.name : '_OTHER';
    if (call.span !== undefined) {
      recordError(call.span, error);
      call.span.setAttribute(Attr.errorType, call.errorType);
    }
  }
  call.span?.end();
  const seconds = (performance.now() - call.started) / 1000;
  const { method, origin, status, errorType } = call;
  (duration ??= createFastHistogram(InstrumentationMetrics.httpClientDuration))
    .seriesFor(`${method} ${origin} ${String(status)} ${errorType ?? ''}`, () => {
      const parsed = parseOrigin(origin);
      return {
        [Attr.httpRequestMethod]: method,
        [Attr.httpResponseStatusCode]: status,
        [Attr.serverAddress]: parsed?.address,
        [Attr.serverPort]: parsed?.port,
        [Attr.urlScheme]: parsed?.scheme,
        [Attr.errorType]: errorType,
      };
    })
    .record(seconds);
}

let reportedFailure = false;

function guarded(listener: (message: unknown) => void): (message: unknown) => void {
  return (message) => {
    try {
      listener(message);
    } catch (error) {
      if (!reportedFailure) {
        reportedFailure = true;
        diag.error('HTTP client spans: a request could not be traced', error);
      }
    }
  };
}

/** @opentelemetry/instrumentation-undici's place, on the same diagnostics channels. */
export class UndiciClientSpansInstrumentation implements Instrumentation {
  readonly instrumentationName = UNDICI_SCOPE_NAME;
  readonly instrumentationVersion = '1.0.0';
  private config: InstrumentationConfig;
  private tracer: Tracer;
  private subscribed = false;

  constructor(config: InstrumentationConfig = {}) {
    this.config = config;
    this.tracer = trace.getTracer(UNDICI_SCOPE_NAME, this.instrumentationVersion);
  }

  private readonly onCreate = (message: unknown): void => {
    const { request } = message as { request: UndiciRequest };
    const upper = request.method.toUpperCase();
    if (upper === 'CONNECT') return;
    const method = METHODS.has(upper) ? upper : '_OTHER';
    const origin = String(request.origin);
    const active = context.active();
    let span: Span | undefined;
    const parent = trace.getSpanContext(active);
    if (parent !== undefined && isSpanContextValid(parent) && !isTracingSuppressed(active)) {
      const parsed = parseOrigin(origin);
      span = this.tracer.startSpan(
        method === '_OTHER' ? 'HTTP' : method,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [Attr.httpRequestMethod]: method,
            [Attr.urlFull]: `${origin}${redactPathQuery(request.path)}`,
            ...(parsed === null
              ? {}
              : { [Attr.serverAddress]: parsed.address, [Attr.serverPort]: parsed.port }),
          },
        },
        active,
      );
      propagation.inject(trace.setSpan(active, span), request, {
        set: (carrier, name, value) => {
          addHeader(carrier, name, value);
        },
      });
    }
    inFlight.set(request, {
      started: performance.now(),
      method,
      origin,
      span,
      status: undefined,
      errorType: undefined,
    });
  };

  private readonly onHeaders = (message: unknown): void => {
    const { request, response } = message as {
      request: UndiciRequest;
      response: { statusCode: number };
    };
    const call = inFlight.get(request);
    if (call === undefined) return;
    call.status = response.statusCode;
    if (response.statusCode >= 400) call.errorType = String(response.statusCode);
    if (call.span !== undefined) {
      call.span.setAttribute(Attr.httpResponseStatusCode, response.statusCode);
      if (call.errorType !== undefined) {
        call.span.setAttribute(Attr.errorType, call.errorType);
        call.span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
  };

  private readonly onDone = (message: unknown): void => {
    finish((message as { request: UndiciRequest }).request);
  };

  private readonly onError = (message: unknown): void => {
    const { request, error } = message as { request: UndiciRequest; error: unknown };
    finish(request, error);
  };

  /** Subscribers, each guarded: a throw inside one would surface as an uncaught exception. */
  private readonly listeners: readonly [string, (message: unknown) => void][] = [
    ['undici:request:create', guarded(this.onCreate)],
    ['undici:request:headers', guarded(this.onHeaders)],
    ['undici:request:trailers', guarded(this.onDone)],
    ['undici:request:error', guarded(this.onError)],
  ];

  enable(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    for (const [name, listener] of this.listeners) subscribe(name, listener);
  }

  disable(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    for (const [name, listener] of this.listeners) unsubscribe(name, listener);
  }

  setTracerProvider(tracerProvider: TracerProvider): void {
    this.tracer = tracerProvider.getTracer(UNDICI_SCOPE_NAME, this.instrumentationVersion);
  }

  /** The duration histogram goes through histograms.ts, exported by the SDK's metric reader. */
  setMeterProvider(_meterProvider: MeterProvider): void {
    // nothing to do: see above
  }

  setConfig(config: InstrumentationConfig): void {
    this.config = config;
  }

  getConfig(): InstrumentationConfig {
    return this.config;
  }
}
