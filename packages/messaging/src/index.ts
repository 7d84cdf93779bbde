export {
  CONTRACT_VIOLATIONS,
  contractViolationOf,
  isContractError,
  type ContractViolation,
} from './errors.ts';
export {
  EVENT_PAYLOADS,
  EVENT_TYPES,
  GAME_CHANGED_FIELDS,
  type EventType,
  type GameCancelledV1,
  type GameCreatedV1,
  type GamePlayerRemovedV1,
  type GameStatusChangedV1,
  type GameUpdatedV1,
} from './contracts/game-events.ts';
export {
  envelopeSchema,
  type DomainEvent,
  type EventEnvelope,
  type EventOf,
  type PayloadOf,
} from './contracts/envelope.ts';
export { parseEvent } from './contracts/parse-event.ts';
export { createEvent } from './contracts/create-event.ts';
export {
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_RETRY_DELAYS_MS,
  declareTopology,
  deleteTopology,
  topologyNames,
  type ConsumerBinding,
  type ServiceQueues,
  type Topology,
  type TopologyOptions,
} from './topology.ts';
export {
  createConnection,
  rabbitmqReadiness,
  type ConnectionEvent,
  type ConnectionOptions,
  type ConnectionSetup,
  type MessagingConnection,
} from './connection.ts';
export { ensureTopology } from './ensure-topology.ts';
export {
  createPublisher,
  type PublishOptions,
  type Publisher,
  type PublisherOptions,
} from './publisher.ts';
export {
  consume,
  type ConsumeOptions,
  type Consumer,
  type ConsumerOutcome,
  type EventHandler,
  type HandlerContext,
} from './consumer.ts';
export type { IdempotencyStore, RunOnceResult } from './idempotency.ts';
export {
  createInMemoryIdempotencyStore,
  type InMemoryIdempotencyStore,
} from './in-memory-idempotency-store.ts';
export { HEADERS, attemptOf, type MessageHeaders } from './headers.ts';
export {
  contextFromTraceparent,
  extractTraceContext,
  injectTraceContext,
} from './trace-context.ts';
export { assertNotAutoInstrumented } from './instrumentation-guard.ts';
export type { OutboxBatch, OutboxPending, OutboxRow, OutboxStore } from './outbox/outbox-store.ts';
export {
  createInMemoryOutboxStore,
  type InMemoryOutboxRecord,
  type InMemoryOutboxStore,
} from './outbox/in-memory-outbox-store.ts';
export {
  startOutboxRelay,
  type OutboxRelay,
  type OutboxRelayOptions,
} from './outbox/outbox-relay.ts';
export {
  createPrismaIdempotencyStore,
  type PrismaIdempotencyStoreOptions,
  type PrismaTransaction,
} from './postgres/prisma-idempotency-store.ts';
export { REJECTED_HEADER, outboxInsert, writeOutboxEvent } from './postgres/outbox-rows.ts';
export {
  startPostgresOutboxRelay,
  type PostgresOutboxRelayOptions,
} from './postgres/postgres-outbox-relay.ts';
export {
  createPostgresOutboxStore,
  type PostgresOutboxStore,
  type PostgresOutboxStoreOptions,
} from './postgres/postgres-outbox-store.ts';
