// The production IdempotencyStore: the message id goes into `processed_messages` inside the same
// Prisma transaction as the handler's writes, so "processed" commits or rolls back with its effects.
import type { Prisma, PrismaClient } from '@game-scheduler/db';
import type { IdempotencyStore, RunOnceResult } from '../idempotency.ts';

export type PrismaTransaction = Prisma.TransactionClient;

export interface PrismaIdempotencyStoreOptions {
  /** Longest a handler's transaction may run (Prisma's default of 5 s is short for Discord calls). */
  transactionTimeoutMs?: number;
  /** Longest to wait for a pooled connection to start the transaction. */
  maxWaitMs?: number;
}

export function createPrismaIdempotencyStore(
  prisma: PrismaClient,
  options: PrismaIdempotencyStoreOptions = {},
): IdempotencyStore<PrismaTransaction> {
  return {
    // A PrismaClient is a TransactionClient with more to it; its statements run on their own.
    runUnrecorded: (work) => work(prisma),
    runOnce<T>(
      consumer: string,
      messageId: string,
      work: (tx: PrismaTransaction) => Promise<T>,
    ): Promise<RunOnceResult<T>> {
      return prisma.$transaction(
        async (tx): Promise<RunOnceResult<T>> => {
          // ON CONFLICT DO NOTHING: a concurrent duplicate waits here for the first transaction,
          // then inserts nothing (it committed) or inserts and runs (it rolled back).
          const { count } = await tx.processedMessage.createMany({
            data: [{ consumer, messageId }],
            skipDuplicates: true,
          });
          if (count === 0) return { ran: false };
          return { ran: true, value: await work(tx) };
        },
        {
          timeout: options.transactionTimeoutMs ?? 60_000,
          maxWait: options.maxWaitMs ?? 10_000,
        },
      );
    },
  };
}
