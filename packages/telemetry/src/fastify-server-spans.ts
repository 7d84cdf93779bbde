// The HTTP server side of every fastify service at a fraction of the usual cost: one SERVER span per
// request and the `http.server.request.duration` histogram, recorded by five fastify hooks that every
// fastify instance gets when it is created (fastify publishes each new instance on the
// `fastify.initialization` diagnostics channel, so the services' code does nothing).
//
// This replaces, in the default `OTEL_FASTIFY_SPANS=route` mode, the server side of
// @opentelemetry/instrumentation-http plus @fastify/otel. Profiled on a fastify `/hello`, that pair
// was about half of the OpenTelemetry CPU per request: per-request attribute objects for both the old
// and the stable conventions, re-binding the request and response emitters to the context, a wrapper
// around every emit, and a second (borrowed) span just to learn the route. Here the route is known when
// the span starts (fastify routes before onRequest), so the span is named and attributed once, and the
// context is entered once, at onRequest: fastify carries it through the rest of the lifecycle itself
// (a body read from later packets resumes in an AsyncResource made in the request's context; the
// telemetry tests send one in two packets and check the query under it).
// `OTEL_FASTIFY_SPANS=request|all` brings back the library instrumentations (BENCHMARKS.md).
//
// A route declared with `config: { traced: false }` (health and readiness probes, asked every few
// seconds by the container runtime) starts no span: a probe would otherwise make a trace of its
// own every time, telling nothing. Its requests are still counted in the duration histogram, which
// is recorded through a cached series per attribute set (histograms.ts) instead of the SDK's
// per-record attribute hashing.
import { subscribe } from 'node:diagnostics_channel';
import {
  context,
  propagation,
  trace,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { createFastHistogram } from './histograms.ts';
import { Attr, InstrumentationMetrics } from './names.ts';
import { getTracer } from './tracer.ts';

const kSpan = Symbol('game-scheduler.server-span');
const kStart = Symbol('game-scheduler.server-start');
const kError = Symbol('game-scheduler.server-error');
const kRoute = Symbol('game-scheduler.server-route');

/** The parts of a fastify request the hooks read (structural, so this package needs no fastify types). */
interface Request {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly protocol: string;
  readonly routeOptions: {
    readonly url?: string | undefined;
    readonly config?: { readonly traced?: boolean } | undefined;
  };
  readonly raw: { readonly httpVersion: string };
  [kSpan]: Span | null;
  [kStart]: number;
  [kError]: Error | null;
  [kRoute]: string | undefined;
}

interface Reply {
  readonly statusCode: number;
}

type Done = (error?: Error) => void;

/** The parts of a fastify instance the plugin uses. */
interface FastifyLike {
  decorateRequest(name: symbol, value: unknown): unknown;
  addHook(name: string, hook: (...args: never[]) => unknown): unknown;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function hostOf(host: string | string[] | undefined): string | undefined {
  if (typeof host !== 'string' || host === '') return undefined;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function hasPropagationHeaders(headers: Request['headers']): boolean {
  return headers['traceparent'] !== undefined || headers['baggage'] !== undefined;
}

/** Adds the server span hooks to one fastify instance (the root: hooks there apply to every route). */
function instrumentFastify(app: FastifyLike): void {
  const tracer = getTracer();
  const duration = createFastHistogram(InstrumentationMetrics.httpServerDuration);
  app.decorateRequest(kSpan, null);
  app.decorateRequest(kStart, 0);
  app.decorateRequest(kError, null);
  app.decorateRequest(kRoute, undefined);

  function record(request: Request, statusCode: number | undefined, failed: string | undefined) {
    const route = request[kRoute];
    const method = request.method;
    const scheme = request.protocol;
    const version = request.raw.httpVersion;
    const key = `${method} ${route ?? ''} ${String(statusCode)} ${failed ?? ''} ${scheme} ${version}`;
    duration
      .seriesFor(key, () => ({
        [Attr.httpRequestMethod]: method,
        [Attr.urlScheme]: scheme,
        [Attr.networkProtocolVersion]: version,
        [Attr.httpRoute]: route,
        [Attr.httpResponseStatusCode]: statusCode,
        [Attr.errorType]: failed,
      }))
      .record((performance.now() - request[kStart]) / 1000);
  }

  function finish(request: Request, statusCode: number | undefined, errorType?: string): void {
    if (request[kStart] === 0) return; // already finished (an abort after the response)
    const failed =
      errorType ?? (statusCode !== undefined && statusCode >= 500 ? String(statusCode) : undefined);
    record(request, statusCode, failed);
    request[kStart] = 0;
    const span = request[kSpan];
    if (span === null) return;
    request[kSpan] = null;
    if (statusCode !== undefined) span.setAttribute(Attr.httpResponseStatusCode, statusCode);
    if (failed !== undefined) {
      span.setAttribute(Attr.errorType, failed);
      const error = request[kError];
      if (error !== null) span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? failed });
    }
    request[kError] = null;
    span.end();
  }

  app.addHook('onRequest', (request: Request, _reply: Reply, done: Done): void => {
    request[kStart] = performance.now();
    // fastify builds a new routeOptions object on every read: read it once a request.
    const options = request.routeOptions;
    const route = options.url;
    request[kRoute] = route;
    if (options.config?.traced === false) {
      done();
      return;
    }
    const headers = request.headers;
    const active = context.active();
    const parent = hasPropagationHeaders(headers) ? propagation.extract(active, headers) : active;
    const method = request.method;
    const attributes: Attributes = {
      [Attr.httpRequestMethod]: method,
      [Attr.urlPath]: pathOf(request.url),
      [Attr.urlScheme]: request.protocol,
      [Attr.networkProtocolVersion]: request.raw.httpVersion,
    };
    if (route !== undefined) attributes[Attr.httpRoute] = route;
    const host = hostOf(headers['host']);
    if (host !== undefined) attributes[Attr.serverAddress] = host;
    const userAgent = headers['user-agent'];
    if (typeof userAgent === 'string') attributes[Attr.userAgentOriginal] = userAgent;
    const span = tracer.startSpan(
      route === undefined ? method : `${method} ${route}`,
      { kind: SpanKind.SERVER, attributes },
      parent,
    );
    request[kSpan] = span;
    context.with(trace.setSpan(parent, span), done);
  });

  app.addHook('onError', (request: Request, _reply: Reply, error: Error, done: Done): void => {
    request[kError] = error;
    done();
  });

  app.addHook('onResponse', (request: Request, reply: Reply, done: Done): void => {
    finish(request, reply.statusCode);
    done();
  });

  app.addHook('onRequestAbort', (request: Request, done: Done): void => {
    finish(request, undefined, 'aborted');
    done();
  });
}

let subscribed = false;

/** Instruments every fastify instance created from now on. */
export function instrumentNewFastifyInstances(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('fastify.initialization', (message) => {
    instrumentFastify((message as { fastify: FastifyLike }).fastify);
  });
}
