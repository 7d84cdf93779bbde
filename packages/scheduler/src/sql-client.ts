// What the scheduler needs from the database: plain SQL, and a transaction whose handle (`Tx`) is
// passed on to the row handler so its writes commit together with the row being marked processed.
import type { Prisma, PrismaClient } from '@game-scheduler/db';

export interface SqlClient {
  /** Runs a statement that returns rows. */
  query<R extends object>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a statement and returns the number of rows it affected. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface SchedulerDatabase<Tx> {
  /** Statements outside any transaction (the next-due query). */
  readonly sql: SqlClient;
  /**
   * Runs `work` in one transaction: commits when it resolves, rolls back when it rejects. `tx` is what
   * row handlers write with; `sql` runs on the same transaction.
   */
  transaction<T>(work: (tx: Tx, sql: SqlClient) => Promise<T>): Promise<T>;
}

export type PrismaTransactionClient = Prisma.TransactionClient;

type RawCapable = Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

function sqlOver(client: RawCapable): SqlClient {
  return {
    query: <R extends object>(sql: string, params: readonly unknown[] = []) =>
      client.$queryRawUnsafe<R[]>(sql, ...params),
    execute: (sql: string, params: readonly unknown[] = []) =>
      client.$executeRawUnsafe(sql, ...params),
  };
}

export interface PrismaSchedulerDatabaseOptions {
  /** Longest one batch's transaction may run (handlers included). Default 60 s. */
  readonly transactionTimeoutMs?: number;
  /** Longest to wait for a pooled connection. Default 10 s. */
  readonly maxWaitMs?: number;
}

/** The scheduler's database over a Prisma client: handlers get Prisma's transaction client. */
export function prismaSchedulerDatabase(
  prisma: PrismaClient,
  options: PrismaSchedulerDatabaseOptions = {},
): SchedulerDatabase<PrismaTransactionClient> {
  return {
    sql: sqlOver(prisma),
    transaction: (work) =>
      prisma.$transaction((tx) => work(tx, sqlOver(tx)), {
        timeout: options.transactionTimeoutMs ?? 60_000,
        maxWait: options.maxWaitMs ?? 10_000,
      }),
  };
}
