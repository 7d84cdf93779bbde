// Whether an error says PostgreSQL could not be reached or dropped the connection (it is down,
// restarting, or refusing connections), as opposed to a query that failed on its own merits. Such a
// failure is the dependency's, not the work's: retry the work later instead of giving up on it.

/** Prisma's codes for an unreachable server, a lost connection, a timeout or an exhausted pool. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** @prisma/adapter-pg's kinds for the same (its driverAdapterError cause). */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** Socket failures as node reports them (pg's own errors). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/**
 * SQLSTATE class 08 (connection exception), 57P01–57P03 (admin or crash shutdown, cannot connect
 * now: the server is stopping or starting), 53300 (too many connections).
 */
function unavailableSqlState(code: string): boolean {
  return code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300';
}

function fields(error: unknown): Record<string, unknown> {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
}

function oneLevel(error: unknown): boolean {
  const { name, code, message, meta } = fields(error);
  if (name === 'PrismaClientInitializationError') return true;
  if (typeof code === 'string') {
    if (code === 'DEPENDENCY_UNAVAILABLE') return true;
    if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || unavailableSqlState(code)) return true;
  }
  const adapterCause = fields(fields(fields(meta).driverAdapterError).cause);
  if (typeof adapterCause.kind === 'string') {
    if (ADAPTER_KINDS.has(adapterCause.kind)) return true;
    if (adapterCause.kind === 'postgres' && typeof adapterCause.code === 'string') {
      return unavailableSqlState(adapterCause.code);
    }
  }
  return (
    typeof message === 'string' &&
    /Connection terminated|Can't reach database server|Server has closed the connection/.test(
      message,
    )
  );
}

/** True when `error` (or one of its causes) says the database is unavailable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (oneLevel(current)) return true;
    current = fields(current).cause;
  }
  return false;
}
