export {
  createDueRowScheduler,
  type DueRowContext,
  type DueRowHandler,
  type DueRowScheduler,
  type DueRowSchedulerOptions,
  type SchedulerLogger,
  type SchedulerTrigger,
} from './due-row-scheduler.ts';
export {
  dueRowQueries,
  type DueRow,
  type DueRowQueries,
  type DueRowTable,
} from './due-row-table.ts';
export {
  cronSchedule,
  isValidCronSchedule,
  retentionJob,
  retryParkedJob,
  type MaintenanceJob,
} from './maintenance-job.ts';
export {
  prismaSchedulerDatabase,
  type PrismaSchedulerDatabaseOptions,
  type PrismaTransactionClient,
  type SchedulerDatabase,
  type SqlClient,
} from './sql-client.ts';
export {
  pgSchedulerDatabase,
  type PgSchedulerDatabase,
  type PgSchedulerDatabaseOptions,
} from './pg-database.ts';
export {
  startNotifyListener,
  type NotifyListener,
  type NotifyListenerOptions,
} from './notify-listener.ts';
export { backoffDelayMs, type BackoffOptions } from './backoff.ts';
