export * from './generated/prisma/client.ts';
export { createPrismaClient, postgresReadiness, type PrismaClientOptions } from './client.ts';
export { migrate, type MigrateOptions } from './migrate.ts';
export { diffSchemas } from './diff-schemas.ts';
export {
  createMigration,
  type CreateMigrationOptions,
  type CreateMigrationResult,
} from './create-migration.ts';
export { assertDatabaseReachable, connectionFailureReason } from './connection-check.ts';
export { DbError, DbErrorCode } from './db-error.ts';
export { isDatabaseUnavailable } from './unavailable.ts';
export { describeDatabaseUrl } from './database-url.ts';
export {
  NotifyChannel,
  REMINDER_SCHEDULE_CHANGED_CHANNEL,
  STATUS_SCHEDULE_CHANGED_CHANNEL,
  OUTBOX_INSERTED_CHANNEL,
} from './notify-channels.ts';
export { migrationsDirectory, schemaPath } from './paths.ts';
