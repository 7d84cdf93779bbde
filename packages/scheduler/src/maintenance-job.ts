// Periodic maintenance of a schedule table, run on node-cron schedules: each run is a root span
// `scheduled.<job>` (scheduler.trigger = cron) and takes a transaction-scoped advisory lock, so only one
// replica runs a given job at a time.
import { SpanNames } from '@game-scheduler/telemetry';
import cron from 'node-cron';
import { z } from 'zod';
import type { DueRowQueries } from './due-row-table.ts';
import type { SqlClient } from './sql-client.ts';

export interface MaintenanceJob {
  /** Job name, e.g. `retry_parked`; `scheduler.job_id` is `<table>.<name>`. */
  readonly name: string;
  /** Root span name, `scheduled.<job>` (declared in the telemetry registry). */
  readonly spanName: string;
  /** node-cron expression (5 fields, or 6 with seconds first), evaluated in UTC. */
  readonly schedule: string;
  /** Does the work inside the run's transaction; returns the number of rows it touched. */
  run(sql: SqlClient, queries: DueRowQueries): Promise<number>;
}

/**
 * Gives every parked row one more attempt (default: hourly, at minute 7). Parked rows keep their
 * attempt count, so a row that fails again is parked again at once instead of retrying N times.
 */
export function retryParkedJob(options: { schedule?: string } = {}): MaintenanceJob {
  return {
    name: 'retry_parked',
    spanName: SpanNames.scheduledRetryParked,
    schedule: options.schedule ?? '7 * * * *',
    run: (sql, queries) => sql.execute(queries.retryParked),
  };
}

/** Deletes processed rows older than `olderThanDays` (default: daily at 03:17 UTC). */
export function retentionJob(options: {
  olderThanDays: number;
  schedule?: string;
}): MaintenanceJob {
  return {
    name: 'retention',
    spanName: SpanNames.scheduledRetention,
    schedule: options.schedule ?? '17 3 * * *',
    run: (sql, queries) => sql.execute(queries.deleteDoneOlderThan, [options.olderThanDays]),
  };
}

/** Whether node-cron accepts `expression` (for validating configuration). */
export function isValidCronSchedule(expression: string): boolean {
  return cron.validate(expression);
}

/** A config field holding a cron expression, `fallback` when unset (for the daemons' config.ts). */
export const cronSchedule = (fallback: string) =>
  z
    .string()
    .refine(isValidCronSchedule, { error: 'must be a cron expression (e.g. "7 * * * *")' })
    .default(fallback);
