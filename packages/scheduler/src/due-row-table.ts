// Which table the scheduler works on, and the SQL it runs there. Schedule tables share one shape
// (packages/db: reminder_schedule, status_schedule): id, due_at, status (PENDING / done / PARKED),
// attempts, next_attempt_at, last_error, traceparent, updated_at, a partial index on due_at WHERE
// status = 'PENDING', and a trigger that NOTIFYs the effective due time of every pending row written.
import { DomainError } from '@game-scheduler/domain';

export interface DueRowTable {
  /** Table name, e.g. `status_schedule`. */
  readonly name: string;
  /** NOTIFY channel raised for pending rows, e.g. `status_schedule_changed`. */
  readonly channel: string;
  /** Status of a processed row (`APPLIED` for status rows, `SENT` for reminders). */
  readonly doneStatus: string;
  /** Pending and parked statuses. Default `PENDING` and `PARKED`. */
  readonly pendingStatus?: string;
  readonly parkedStatus?: string;
  /** Further columns the handler needs, returned in `DueRow.values`. */
  readonly columns?: readonly string[];
  /** SQL type of `id`. Default `uuid`. */
  readonly idType?: string;
}

/** A claimed row. */
export interface DueRow {
  readonly id: string;
  readonly dueAt: Date;
  readonly nextAttemptAt: Date | null;
  /** Failed attempts so far. */
  readonly attempts: number;
  /** W3C traceparent of the trace that created the row (for the span link). */
  readonly traceparent: string | null;
  /** The table's further `columns`, by column name. */
  readonly values: Readonly<Record<string, unknown>>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const LITERAL = /^[A-Za-z_][A-Za-z0-9_]*$/;

function identifier(value: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new DomainError('VALIDATION', `Not a plain SQL identifier: ${value}`);
  }
  return `"${value}"`;
}

function literal(value: string): string {
  if (!LITERAL.test(value)) throw new DomainError('VALIDATION', `Not a plain status: ${value}`);
  return `'${value}'`;
}

export interface DueRowQueries {
  readonly table: string;
  /**
   * $1 = limit. Locks the due rows it returns, skipping rows other replicas hold; each row's
   * `more_due` says whether due rows beyond them were left (held by others, or past the limit).
   */
  readonly claim: string;
  /**
   * Milliseconds (per the database clock) until the earliest pending row is due (`delay_ms`, null if
   * none; negative when overdue) and until the earliest one not due yet (`later_ms`, null if none).
   */
  readonly nextDue: string;
  /** $1 = id. */
  readonly markDone: string;
  /** $1 = id, $2 = attempts, $3 = error, $4 = retry delay in ms. */
  readonly markRetry: string;
  /** $1 = id, $2 = attempts, $3 = error. */
  readonly markParked: string;
  /** Puts parked rows back in line for one more attempt each. */
  readonly retryParked: string;
  /** $1 = days. Deletes processed rows last touched longer ago. */
  readonly deleteDoneOlderThan: string;
}

/** Builds (and checks) the statements for one table. */
export function dueRowQueries(table: DueRowTable): DueRowQueries {
  const t = identifier(table.name);
  const pending = literal(table.pendingStatus ?? 'PENDING');
  const parked = literal(table.parkedStatus ?? 'PARKED');
  const done = literal(table.doneStatus);
  const idType = identifier(table.idType ?? 'uuid').slice(1, -1);
  const extra = (table.columns ?? []).map((column) => `, ${identifier(column)}`).join('');
  const effectiveDue = 'greatest(due_at, coalesce(next_attempt_at, due_at))';
  const due = `status = ${pending} AND due_at <= now()
            AND (next_attempt_at IS NULL OR next_attempt_at <= now())`;
  return {
    table: table.name,
    claim: `WITH claimed AS (
        SELECT id, due_at, next_attempt_at, attempts, traceparent${extra}
          FROM ${t}
          WHERE ${due}
          ORDER BY due_at, id
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
      SELECT id::text AS id, due_at, next_attempt_at, attempts, traceparent${extra},
        EXISTS (SELECT 1 FROM ${t}
          WHERE ${due} AND id NOT IN (SELECT id FROM claimed)) AS more_due
      FROM claimed
      ORDER BY due_at, id`,
    nextDue: `SELECT (extract(epoch FROM (min(e.due) - c.at)) * 1000)::float8 AS delay_ms,
        (extract(epoch FROM (min(e.due) FILTER (WHERE e.due > c.at) - c.at)) * 1000)::float8
          AS later_ms
      FROM (SELECT clock_timestamp() AS at) c
      LEFT JOIN (SELECT ${effectiveDue} AS due FROM ${t} WHERE status = ${pending}) e ON true
      GROUP BY c.at`,
    markDone: `UPDATE ${t} SET status = ${done}, last_error = NULL, updated_at = now()
      WHERE id = $1::${idType}`,
    markRetry: `UPDATE ${t} SET attempts = $2, last_error = $3,
        next_attempt_at = clock_timestamp() + $4 * interval '1 millisecond', updated_at = now()
      WHERE id = $1::${idType}`,
    markParked: `UPDATE ${t} SET status = ${parked}, attempts = $2, last_error = $3,
        next_attempt_at = NULL, updated_at = now()
      WHERE id = $1::${idType}`,
    retryParked: `UPDATE ${t} SET status = ${pending}, next_attempt_at = NULL, updated_at = now()
      WHERE status = ${parked}`,
    deleteDoneOlderThan: `DELETE FROM ${t}
      WHERE status = ${done} AND updated_at < now() - $1 * interval '1 day'`,
  };
}

interface RawRow {
  id: string;
  due_at: Date;
  next_attempt_at: Date | null;
  attempts: number;
  traceparent: string | null;
  [column: string]: unknown;
}

export function toDueRow(raw: RawRow, columns: readonly string[] = []): DueRow {
  const values: Record<string, unknown> = {};
  for (const column of columns) values[column] = raw[column];
  return {
    id: raw.id,
    dueAt: new Date(raw.due_at),
    nextAttemptAt: raw.next_attempt_at === null ? null : new Date(raw.next_attempt_at),
    attempts: raw.attempts,
    traceparent: raw.traceparent,
    values,
  };
}

export type { RawRow as RawDueRow };
