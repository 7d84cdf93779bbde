export const DbErrorCode = {
  /** The connection string is not a postgres:// or postgresql:// URL. */
  invalidDatabaseUrl: 'INVALID_DATABASE_URL',
  /**
   * The PostgreSQL server could not be reached (refused, unknown host, timeout): the domain's code
   * for an unavailable dependency, so a service's start-up reports it like any other.
   */
  databaseUnreachable: 'DEPENDENCY_UNAVAILABLE',
  /** The migrations directory or a migration could not be read. */
  migrationsUnreadable: 'MIGRATIONS_UNREADABLE',
  /** The schema engine failed to apply a migration or to diff schemas. */
  schemaEngineFailed: 'SCHEMA_ENGINE_FAILED',
} as const;

export type DbErrorCode = (typeof DbErrorCode)[keyof typeof DbErrorCode];

/** The one error type of this package; `message` is a single line fit for a CLI. */
export class DbError extends Error {
  readonly code: DbErrorCode;

  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbError';
    this.code = code;
  }
}
