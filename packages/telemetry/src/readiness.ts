// Readiness of a service's dependencies, written once: the API's `/ready` route builds its answer
// with checkReadiness, and the processes that serve no HTTP of their own (the daemons, the bot) run
// startReadinessServer, a plain node:http server answering
//
//   GET /health  200 {"status":"ok"}                                     (the process answers)
//   GET /ready   200 {"status":"ready","dependencies":{…:"up"}}          (every check passed)
//                503 {"status":"unavailable","dependencies":{…},"error":{"code":"DEPENDENCY_UNAVAILABLE",
//                     "message":"Unreachable: rabbitmq","details":{"unavailable":["rabbitmq"]}}}
//
// Each check resolves when its dependency is usable and throws, rejects or outlasts its timeout when
// not. The server records no telemetry: its requests are marked so the http instrumentation ignores
// them (instrumentations.ts), and the checks run with tracing suppressed, so a probe every few
// seconds adds no trace. It never keeps the process alive (unref) and closes with the service.
import { IncomingMessage, createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { untraced } from './span-helpers.ts';

/** How long one dependency check may take before it counts as down. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

export type DependencyState = 'up' | 'down';

/** Resolves (or returns) when the dependency is usable; throws, rejects or times out otherwise. */
export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessBody<N extends string = string> {
  readonly status: 'ready' | 'unavailable';
  readonly dependencies: Readonly<Record<N, DependencyState>>;
  readonly error?: {
    readonly code: 'DEPENDENCY_UNAVAILABLE';
    /** `Unreachable: postgres, rabbitmq` */
    readonly message: string;
    readonly details: { readonly unavailable: readonly N[] };
  };
}

export interface ReadinessReport<N extends string = string> {
  readonly statusCode: 200 | 503;
  readonly body: ReadinessBody<N>;
}

async function passes(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error('timed out'));
    }, timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once, each within `timeoutMs`; 200 when all pass, else 503 naming the others. */
export async function checkReadiness<N extends string>(
  checks: Readonly<Record<N, ReadinessCheck>>,
  timeoutMs: number = READINESS_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport<N>> {
  const names = Object.keys(checks) as N[];
  const results = await Promise.all(names.map((name) => passes(checks[name], timeoutMs)));
  const dependencies = Object.fromEntries(
    names.map((name, i) => [name, results[i] === true ? 'up' : 'down']),
  ) as Record<N, DependencyState>;
  const unavailable = names.filter((name) => dependencies[name] === 'down');
  if (unavailable.length === 0) {
    return { statusCode: 200, body: { status: 'ready', dependencies } };
  }
  return {
    statusCode: 503,
    body: {
      status: 'unavailable',
      dependencies,
      error: {
        code: 'DEPENDENCY_UNAVAILABLE',
        message: `Unreachable: ${unavailable.join(', ')}`,
        details: { unavailable },
      },
    },
  };
}

// A global symbol, not a class identity: the preload and the service may each load this module.
const READINESS_REQUEST = Symbol.for('game-scheduler.readiness-request');

/** The readiness server's requests, told apart by the http instrumentation (which ignores them). */
class ReadinessRequest extends IncomingMessage {
  readonly [READINESS_REQUEST] = true;
}

/** True for a request of a readiness server (instrumentations.ts: no span, no metric for it). */
export function isReadinessRequest(request: unknown): boolean {
  return (
    typeof request === 'object' &&
    request !== null &&
    (request as Record<symbol, unknown>)[READINESS_REQUEST] === true
  );
}

export interface ReadinessServerOptions<N extends string> {
  /** 0 picks a free port (see `port` of the result). */
  readonly port: number;
  /** Default 0.0.0.0: reachable by the container's healthcheck and by an orchestrator. */
  readonly host?: string;
  readonly checks: Readonly<Record<N, ReadinessCheck>>;
  /** Per check; default READINESS_CHECK_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

export interface ReadinessServer {
  /** The port it listens on (the one chosen when 0 was asked for). */
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

function send(response: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}

/** Starts the `/health` and `/ready` server; rejects (with the listen error's code) when it cannot listen. */
export async function startReadinessServer<N extends string>(
  options: ReadinessServerOptions<N>,
): Promise<ReadinessServer> {
  const host = options.host ?? '0.0.0.0';
  const timeoutMs = options.timeoutMs ?? READINESS_CHECK_TIMEOUT_MS;
  const server = createServer(
    { IncomingMessage: ReadinessRequest, requestTimeout: 10_000, keepAliveTimeout: 1_000 },
    (request, response) => {
      untraced(() => {
        const path = (request.url ?? '/').split('?', 1)[0];
        const method = request.method ?? 'GET';
        if ((method !== 'GET' && method !== 'HEAD') || (path !== '/health' && path !== '/ready')) {
          send(response, 404, { error: { code: 'NOT_FOUND', message: 'Not found' } });
          return;
        }
        if (path === '/health') {
          send(response, 200, { status: 'ok' });
          return;
        }
        void checkReadiness(options.checks, timeoutMs).then((report) => {
          send(response, report.statusCode, report.body);
        });
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      reject(
        Object.assign(
          new Error(
            `Readiness server cannot listen on ${host}:${String(options.port)}: ${error.message}`,
          ),
          { code: error.code ?? 'READINESS_LISTEN_FAILED' },
        ),
      );
    };
    server.once('error', failed);
    server.listen(options.port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  // Whatever else the process holds keeps it alive; this server never does.
  server.unref();
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${String(port)}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
