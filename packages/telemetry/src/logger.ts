// The pino logger factory: JSON lines on stdout (pretty only on a TTY), trace_id/span_id inside
// spans, secrets redacted, and, while telemetry runs, a copy shipped as OTLP logs by a transport in a
// worker thread so that exporting never runs on the request path.
import { once } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { REDACTED, SECRET_KEYS, redactText } from './redact.ts';
import { state, type LogExportSettings } from './state.ts';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** Logger name (`name` field of every line), e.g. the service or module name. */
  readonly name: string;
  /** Minimum level; default `info`. */
  readonly level?: LevelWithSilent;
  /** Pretty-print (needs pino-pretty, a dev dependency). Default: only when stdout is a TTY. */
  readonly pretty?: boolean;
  /** Where JSON lines go; default stdout. */
  readonly destination?: DestinationStream;
  /** Ship logs over OTLP; default: whenever telemetry is running. */
  readonly otlp?: boolean;
  /** Extra fields on every line. */
  readonly base?: Readonly<Record<string, unknown>>;
}

/** Adds trace_id / span_id / trace_flags of the active span to a log line (pino mixin). */
export function traceFields(): Record<string, string> {
  // pino merges the line's fields into the returned object: always a fresh one
  const span = trace.getSpan(context.active());
  if (span === undefined) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}

/**
 * Field paths pino censors before serialising (fixed paths are cheap; wildcards are not). Secret
 * keys anywhere else are caught by redacting the finished line (redactText).
 */
const REDACT_PATHS = [
  ...SECRET_KEYS.filter((key) => /^[A-Za-z_$][\w$]*$/.test(key)),
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'request.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
];

function transportTarget(): string {
  // Same extension as this file: .ts when running sources, .js from dist.
  const own = fileURLToPath(import.meta.url);
  return new URL(`./otlp-log-transport${extname(own)}`, import.meta.url).href;
}

/** How long lines for the OTLP transport are gathered before one hand-over to its worker. */
const HANDOVER_INTERVAL_MS = 200;
/** Hand over earlier once this many characters are waiting. */
const HANDOVER_MAX_CHARS = 256 * 1024;

/**
 * The OTLP log transport (a pino transport in a worker thread), fed in batches: waking the worker
 * for every line cost more CPU than encoding the line, and each hand-over wakes the worker with a
 * futex wake that showed as ~0.5 ms of main-thread wall time in profiles: one every 200 ms.
 */
class BatchedTransport {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Set once the transport is closing or its worker is gone: lines then only reach stdout. */
  private closed = false;
  private readonly stream: ReturnType<typeof pino.transport>;

  constructor(stream: ReturnType<typeof pino.transport>) {
    this.stream = stream;
    // A worker that died must not take the service with it (an unhandled 'error' event would).
    stream.on('error', () => {
      this.closed = true;
    });
  }

  write(line: string): void {
    if (this.closed) return;
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= HANDOVER_MAX_CHARS) {
      this.handOver();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.handOver();
      }, HANDOVER_INTERVAL_MS);
      this.timer.unref();
    }
  }

  handOver(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0 || this.closed) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.stream.write(chunk);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.handOver();
    // Lines logged from here on (a service still logging while telemetry flushes) stay on stdout.
    this.closed = true;
    const closed = once(this.stream, 'close');
    this.stream.end();
    await closed;
  }
}

let sharedOtlpTransport: BatchedTransport | undefined;

function otlpTransport(settings: LogExportSettings): BatchedTransport {
  if (sharedOtlpTransport !== undefined) return sharedOtlpTransport;
  const transport = new BatchedTransport(
    pino.transport({ target: transportTarget(), options: settings }),
  );
  sharedOtlpTransport = transport;
  state.flushers.push({
    name: 'logs',
    run: async () => {
      sharedOtlpTransport = undefined;
      await transport.close();
    },
  });
  return transport;
}

/**
 * Writes each serialised line, with secrets redacted, to stdout (or the given destination) and to
 * the OTLP transport. Redacting the finished line catches secrets wherever they sit: messages,
 * error messages and stacks, serializer output (a request URL's query string), nested objects.
 */
function redactingFanOut(
  primary: DestinationStream,
  otlp: BatchedTransport | undefined,
): DestinationStream {
  return {
    write(line: string) {
      const clean = redactText(line);
      primary.write(clean);
      otlp?.write(clean);
    },
  };
}

function canPretty(): boolean {
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

function primaryStream(options: CreateLoggerOptions): DestinationStream {
  if (options.destination !== undefined) return options.destination;
  const pretty = options.pretty ?? process.stdout.isTTY;
  if (pretty && canPretty()) {
    return pino.transport({ target: 'pino-pretty', options: { colorize: true } });
  }
  return pino.destination({ dest: 1, sync: true });
}

/** Creates a pino logger with the project's conventions (see CreateLoggerOptions). */
export function createLogger(options: CreateLoggerOptions): Logger {
  const level = options.level ?? 'info';
  const primary = primaryStream(options);
  const exportSettings = options.otlp === false ? undefined : state.logExport;
  const destination = redactingFanOut(
    primary,
    exportSettings === undefined ? undefined : otlpTransport(exportSettings),
  );

  const logger = pino(
    {
      name: options.name,
      level,
      base: { ...options.base },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    destination,
  );
  // When @opentelemetry/instrumentation-pino patched pino it already injected a trace mixin.
  const mixinSymbol = pino.symbols.mixinSym;
  const patched = (logger as unknown as Record<symbol, unknown>)[mixinSymbol] !== undefined;
  if (!patched) (logger as unknown as Record<symbol, unknown>)[mixinSymbol] = traceFields;
  return logger;
}
