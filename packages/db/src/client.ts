import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export interface PrismaClientOptions {
  /** Maximum number of pooled connections (pg `max`); pg's default (10) when omitted. */
  poolSize?: number;
  /** Reported to PostgreSQL as application_name (visible in pg_stat_activity). */
  applicationName?: string;
  /** Milliseconds to wait for a pooled connection before failing; pg's default when omitted. */
  connectionTimeoutMillis?: number;
}

/**
 * A Prisma client on a node-postgres pool through @prisma/adapter-pg (Prisma 7 has no built-in
 * driver). Call `$disconnect()` on shutdown to close the pool.
 */
export function createPrismaClient(
  databaseUrl: string,
  options: PrismaClientOptions = {},
): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    ...(options.connectionTimeoutMillis === undefined
      ? {}
      : { connectionTimeoutMillis: options.connectionTimeoutMillis }),
  });
  return new PrismaClient({ adapter });
}

/** The readiness check of a service's PostgreSQL: resolves once `SELECT 1` answers on the pool. */
export function postgresReadiness(prisma: PrismaClient): () => Promise<void> {
  return async () => {
    await prisma.$queryRaw`SELECT 1`;
  };
}
