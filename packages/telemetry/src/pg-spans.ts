// One CLIENT span per SQL statement sent by node-postgres (`pg`), and the
// `db.client.operation.duration` histogram, at a fraction of @opentelemetry/instrumentation-pg's
// cost — as fastify-server-spans.ts does for the HTTP server side. Profiled on the API's list of
// games (one statement a request), that instrumentation did per statement: six UpDownCounter adds for
// its pool-usage metrics (on the pool's acquire and release events, each hashing its attribute set),
// a histogram record hashing another, three attribute objects, two hrTime arrays and a promise
// wrapped in a second promise. Here a statement costs its span, one cached histogram series
// (histograms.ts) and one `then`; the pool's connections are read only when metrics are collected.
//
// Like the library with `requireParentSpan` and `ignoreConnectSpans`: a statement is traced only
// inside a traced operation (no orphan traces from pool housekeeping or a daemon's claim), nothing
// when tracing is suppressed (`untraced()`), no connect spans, and none for a transaction's BEGIN.
// Span names and attributes are the library's (`pg.query:<operation> <database>`, stable `db.*`,
// `server.*`, the query text) plus `db.operation.name`, and on failure `error.type` /
// `db.response.status_code` (the SQLSTATE).
import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  isWrapped,
  type InstrumentationConfig,
} from '@opentelemetry/instrumentation';
import { createFastHistogram, type FastHistogram, type HistogramSeries } from './histograms.ts';
import { createObservableGauge } from './metrics.ts';
import { Attr, InstrumentationMetrics } from './names.ts';

/** The instrumentation scope of the statement spans. */
export const PG_SCOPE_NAME = '@game-scheduler/telemetry/pg';
const SUPPORTED_PG = ['>=8.0.3 <9'];
const SUPPORTED_PG_POOL = ['>=2.0.0 <4'];
const DB_SYSTEM = 'postgresql';

/** The parts of a pg Client the wrapper reads. */
interface PgClient {
  readonly connectionParameters: {
    readonly database?: string;
    readonly host?: string;
    readonly port?: number;
  };
  [kConnection]?: ConnectionAttributes;
}

/** The parts of a pg-pool Pool the metrics read. */
interface PgPool {
  readonly options: {
    readonly host?: string;
    readonly port?: number;
    readonly database?: string;
    readonly connectionString?: string;
  };
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ending?: boolean;
}

type QueryFunction = (this: PgClient, ...args: unknown[]) => unknown;
type PoolConnect = (this: PgPool, ...args: unknown[]) => unknown;

interface ConnectionAttributes {
  readonly database: string | undefined;
  readonly spanAttributes: Readonly<Attributes>;
  /** Prefix of this connection's histogram series keys. */
  readonly seriesKey: string;
  /** The duration series of this connection's successful statements, by operation. */
  readonly succeeded: Map<string | undefined, HistogramSeries>;
}

/** Operations a connection remembers its series for (the first words of SQL statements: a few). */
const MAX_REMEMBERED_OPERATIONS = 32;

const kConnection = Symbol('game-scheduler.pg-connection');

function connectionOf(client: PgClient): ConnectionAttributes {
  const known = client[kConnection];
  if (known !== undefined) return known;
  const { database, host, port } = client.connectionParameters;
  const spanAttributes: Attributes = { [Attr.dbSystemName]: DB_SYSTEM };
  if (database !== undefined) spanAttributes[Attr.dbNamespace] = database;
  if (host !== undefined) spanAttributes[Attr.serverAddress] = host;
  if (Number.isInteger(port)) spanAttributes[Attr.serverPort] = port;
  const connection = {
    database,
    spanAttributes,
    seriesKey: `${database ?? ''}\u0000${host ?? ''}\u0000${String(port)}`,
    succeeded: new Map(),
  };
  client[kConnection] = connection;
  return connection;
}

/** `SELECT`, `INSERT`, … : the statement's first word, as the library names its spans. */
export function operationName(text: string): string | undefined {
  return /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase();
}

// Module state rather than fields: the instrumentation base calls _updateMetricInstruments from
// its constructor, before a subclass's fields exist.
let duration: FastHistogram | undefined;
/** Pools that served a traced statement, read at each metric collection. */
const pools = new Set<WeakRef<PgPool>>();
const seenPools = new WeakSet<PgPool>();

function livePools(): PgPool[] {
  const live: PgPool[] = [];
  for (const reference of pools) {
    const pool = reference.deref();
    if (pool === undefined || pool.ending === true) pools.delete(reference);
    else live.push(pool);
  }
  return live;
}

function queryText(config: unknown): string | undefined {
  if (typeof config === 'string') return config;
  if (typeof config === 'object' && config !== null) {
    const text = (config as { text?: unknown }).text;
    if (typeof text === 'string') return text;
  }
  return undefined;
}

function statementName(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const name = (config as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** PostgreSQL's SQLSTATE of a failed statement (pg's DatabaseError.code). */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function errorTypeOf(error: unknown): string {
  return sqlState(error) ?? (error instanceof Error ? error.name : 'Error');
}

const poolNames = new WeakMap<PgPool, string>();

/** `host:port/database` of a pool, from its options or its connection string (never credentials). */
function poolName(pool: PgPool): string {
  const known = poolNames.get(pool);
  if (known !== undefined) return known;
  let { host, port, database } = pool.options;
  const connectionString = pool.options.connectionString;
  if (connectionString !== undefined) {
    try {
      const url = new URL(connectionString);
      host = url.hostname === '' ? host : url.hostname;
      port = url.port === '' ? (port ?? 5432) : Number(url.port);
      database = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : database;
    } catch {
      // not a URL (a libpq key=value string): keep what the options say
    }
  }
  const name = `${host ?? 'unknown_host'}:${port === undefined ? 'unknown_port' : String(port)}/${database ?? 'unknown_database'}`;
  poolNames.set(pool, name);
  return name;
}

export class PgStatementSpansInstrumentation extends InstrumentationBase {
  constructor(config: InstrumentationConfig = {}) {
    super(PG_SCOPE_NAME, '1.0.0', config);
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    const patchClientFile = (exports: unknown): unknown => {
      this.patchClient(exports as ClientClass);
      return exports;
    };
    const unpatchClientFile = (exports: unknown): void => {
      this.unpatchClient(exports as ClientClass);
    };
    return [
      new InstrumentationNodeModuleDefinition(
        'pg',
        SUPPORTED_PG,
        (module: unknown) => {
          this.patchClient((moduleExports(module) as { Client?: ClientClass }).Client);
          return module;
        },
        (module: unknown) => {
          this.unpatchClient((moduleExports(module) as { Client?: ClientClass }).Client);
        },
        [
          new InstrumentationNodeModuleFile(
            'pg/lib/client.js',
            SUPPORTED_PG,
            patchClientFile,
            unpatchClientFile,
          ),
        ],
      ),
      new InstrumentationNodeModuleDefinition(
        'pg-pool',
        SUPPORTED_PG_POOL,
        (module: unknown) => {
          const Pool = moduleExports(module) as PoolClass;
          if (isWrapped(Pool.prototype.connect)) this._unwrap(Pool.prototype, 'connect');
          this._wrap(Pool.prototype, 'connect', (original) => this.poolConnect(original));
          return module;
        },
        (module: unknown) => {
          const Pool = moduleExports(module) as PoolClass;
          if (isWrapped(Pool.prototype.connect)) this._unwrap(Pool.prototype, 'connect');
        },
      ),
    ];
  }

  /** Called by the base class whenever the meter provider is set: (re)creates the instruments. */
  protected override _updateMetricInstruments(): void {
    const connections = createObservableGauge(
      InstrumentationMetrics.dbClientConnectionCount,
      this.meter,
    );
    const pending = createObservableGauge(
      InstrumentationMetrics.dbClientConnectionPendingRequests,
      this.meter,
    );
    connections.addCallback((result) => {
      for (const pool of livePools()) {
        const name = poolName(pool);
        const idle = pool.idleCount;
        result.observe(pool.totalCount - idle, {
          [Attr.dbClientConnectionState]: 'used',
          [Attr.dbClientConnectionPoolName]: name,
        });
        result.observe(idle, {
          [Attr.dbClientConnectionState]: 'idle',
          [Attr.dbClientConnectionPoolName]: name,
        });
      }
    });
    pending.addCallback((result) => {
      for (const pool of livePools()) {
        result.observe(pool.waitingCount, { [Attr.dbClientConnectionPoolName]: poolName(pool) });
      }
    });
  }

  private poolConnect(original: PoolConnect): PoolConnect {
    return function connect(this: PgPool, ...args: unknown[]): unknown {
      if (!seenPools.has(this)) {
        seenPools.add(this);
        pools.add(new WeakRef(this));
      }
      return original.apply(this, args);
    };
  }

  private patchClient(Client: ClientClass): void {
    if (Client === undefined) return;
    if (isWrapped(Client.prototype.query)) this._unwrap(Client.prototype, 'query');
    this._wrap(Client.prototype, 'query', (original) => this.query(original));
  }

  private unpatchClient(Client: ClientClass): void {
    if (Client !== undefined && isWrapped(Client.prototype.query)) {
      this._unwrap(Client.prototype, 'query');
    }
  }

  private query(original: QueryFunction): QueryFunction {
    const traced = (client: PgClient, args: unknown[], active: Context): unknown =>
      this.traced(client, original, args, active);
    return function query(this: PgClient, ...args: unknown[]): unknown {
      const active = context.active();
      if (trace.getSpan(active) === undefined || isTracingSuppressed(active)) {
        return original.apply(this, args);
      }
      return traced(this, args, active);
    };
  }

  private traced(
    client: PgClient,
    original: QueryFunction,
    args: unknown[],
    active: Context,
  ): unknown {
    const connection = connectionOf(client);
    const config = args[0];
    const text = queryText(config);
    const operation = text === undefined ? undefined : operationName(text);
    // A transaction's BEGIN tells nothing its transaction's span (Prisma's, or the job's around a
    // raw transaction) does not: no span and no duration for it. COMMIT keeps both (its time is
    // the durable write's), ROLLBACK too (a failure's trace).
    if (operation === 'BEGIN' || operation === 'START') return original.apply(client, args);
    const attributes: Attributes = { ...connection.spanAttributes };
    if (text !== undefined) attributes[Attr.dbQueryText] = text;
    if (operation !== undefined) attributes[Attr.dbOperationName] = operation;
    const label = statementName(config) ?? operation;
    const name =
      label === undefined
        ? 'pg.query'
        : `pg.query:${label}${connection.database === undefined ? '' : ` ${connection.database}`}`;
    const span = this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
    const started = performance.now();
    const finish = (error: unknown): void => {
      this.finish(span, connection, operation, started, error);
    };

    const last = args.at(-1);
    if (typeof last === 'function') {
      const callback = last as (this: unknown, ...results: unknown[]) => unknown;
      args[args.length - 1] = context.bind(active, function (this: unknown, ...results: unknown[]) {
        finish(results[0]);
        return callback.apply(this, results);
      });
      return original.apply(client, args);
    }
    const configCallback = (config as { callback?: unknown } | null)?.callback;
    if (typeof configCallback === 'function') {
      const callback = configCallback as (this: unknown, ...results: unknown[]) => unknown;
      (config as { callback: unknown }).callback = context.bind(
        active,
        function (this: unknown, ...results: unknown[]) {
          finish(results[0]);
          return callback.apply(this, results);
        },
      );
      return original.apply(client, args);
    }

    let result: unknown;
    try {
      result = original.apply(client, args);
    } catch (error) {
      finish(error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          finish(undefined);
          return value;
        },
        (error: unknown) => {
          finish(error);
          throw error;
        },
      );
    }
    // A submittable (a cursor, a stream) ends with its own events; anything else has run.
    const events = result as {
      once?: (event: string, listener: (error?: unknown) => void) => void;
    };
    if (typeof events.once === 'function') {
      events.once('end', () => {
        finish(undefined);
      });
      events.once('error', finish);
    } else {
      finish(undefined);
    }
    return result;
  }

  private finish(
    span: Span,
    connection: ConnectionAttributes,
    operation: string | undefined,
    started: number,
    error: unknown,
  ): void {
    const failed = error === undefined || error === null ? undefined : errorTypeOf(error);
    if (failed !== undefined) {
      span.setAttribute(Attr.errorType, failed);
      const code = sqlState(error);
      if (code !== undefined) span.setAttribute(Attr.dbResponseStatusCode, code);
      if (error instanceof Error) span.recordException(error);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    span.end();
    const histogram = (duration ??= createFastHistogram(
      InstrumentationMetrics.dbClientOperationDuration,
    ));
    // A successful statement's series is the connection's for its operation: found without
    // building the key string of the histogram's own lookup.
    let series = failed === undefined ? connection.succeeded.get(operation) : undefined;
    if (series === undefined) {
      series = histogram.seriesFor(
        `${connection.seriesKey}\u0000${operation ?? ''}\u0000${failed ?? ''}`,
        () => ({
          ...connection.spanAttributes,
          [Attr.dbOperationName]: operation,
          [Attr.errorType]: failed,
          [Attr.dbResponseStatusCode]: failed === undefined ? undefined : sqlState(error),
        }),
      );
      if (failed === undefined && connection.succeeded.size < MAX_REMEMBERED_OPERATIONS) {
        connection.succeeded.set(operation, series);
      }
    }
    series.record((performance.now() - started) / 1000);
  }
}

/** An ESM namespace (its default export) or the CommonJS exports themselves. */
function moduleExports(module: unknown): unknown {
  const candidate = module as { [Symbol.toStringTag]?: unknown; default?: unknown };
  return candidate[Symbol.toStringTag] === 'Module' ? candidate.default : module;
}

type ClientClass = { prototype: { query: QueryFunction } } | undefined;
type PoolClass = { prototype: { connect: PoolConnect } };
