// Consumers are idempotent by message id: a redelivered or re-published event runs its handler once.

export type RunOnceResult<T> = { ran: true; value: T } | { ran: false };

/**
 * Remembers which (consumer, message id) pairs completed. `Tx` is what the work runs in: for the
 * PostgreSQL store, the transaction that both records the message id and holds the handler's writes,
 * so "processed" and the handler's effects commit or roll back together.
 */
export interface IdempotencyStore<Tx> {
  /**
   * Runs `work` unless this consumer already completed this message; records completion only when
   * `work` resolves. A concurrent duplicate waits for the first to finish, then skips or runs.
   */
  runOnce<T>(
    consumer: string,
    messageId: string,
    work: (tx: Tx) => Promise<T>,
  ): Promise<RunOnceResult<T>>;
  /**
   * Runs `work` with no record at all, for a message whose handling is harmless to repeat (it only
   * brings something up to date from the database, say): nothing is read or written to remember it
   * and, for PostgreSQL, no transaction is opened (`tx` is the plain client).
   */
  runUnrecorded<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}
