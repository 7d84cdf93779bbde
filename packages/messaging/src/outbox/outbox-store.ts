// What the outbox relay needs from storage. The PostgreSQL implementation (over packages/db's
// `outbox` table and its `outbox_inserted` NOTIFY channel) is to follow; `createInMemoryOutboxStore`
// is the reference implementation the relay is tested with.

export interface OutboxRow {
  /** The row id, equal to the event's message id. */
  id: string;
  /** The event envelope as written with the change ({ id, type, version, occurredAt, payload }). */
  event: unknown;
  /** W3C trace context of the request that wrote the row, so the publish continues its trace. */
  traceparent: string | null;
  tracestate: string | null;
  /** When the row was written, for the outbox lag metric. */
  writtenAt?: Date;
}

/** What is waiting to be published, for the outbox gauges. */
export interface OutboxPending {
  /** Unpublished rows (rows set aside for breaking their contract not included). */
  count: number;
  /** When the oldest of them was written; null when none is pending. */
  oldestWrittenAt: Date | null;
}

/** Rows claimed by one relay pass; nobody else publishes them until `release`. */
export interface OutboxBatch {
  /** The oldest unpublished rows, oldest first. */
  rows: readonly OutboxRow[];
  /** The broker confirmed the events of these rows (one statement for the lot). */
  markPublished(ids: readonly string[]): Promise<void>;
  /**
   * Publishing the row failed: record the error and count the attempt. `permanent` (the stored event
   * breaks its contract) takes the row out of the queue of pending rows for good.
   */
  markFailed(id: string, error: string, options: { permanent: boolean }): Promise<void>;
  /** Ends the claim (PostgreSQL: commits the claiming transaction with the marks made). */
  release(): Promise<void>;
}

export interface OutboxStore {
  /**
   * Claims up to `limit` of the oldest unpublished rows. Claims must exclude each other (PostgreSQL: a
   * transaction-scoped advisory lock, so only one relay replica publishes at a time and order is
   * kept); a relay that cannot claim gets an empty batch.
   */
  claimBatch(limit: number): Promise<OutboxBatch>;
  /** Calls `listener` after a row is inserted (PostgreSQL: LISTEN outbox_inserted). */
  onInserted(listener: () => void): Promise<() => Promise<void>>;
  /** What is pending now (read at each metric collection). */
  pending(): Promise<OutboxPending>;
}
