// The daemon as a unit tests can start: consumes the game events that shape status schedules, runs
// the due-row scheduler that applies transitions, and relays the outbox (game.status_changed).
import {
  STATUS_SCHEDULE_CHANGED_CHANNEL,
  type Prisma,
  type PrismaClient,
} from '@game-scheduler/db';
import {
  consume,
  createPostgresOutboxStore,
  createPrismaIdempotencyStore,
  createPublisher,
  startOutboxRelay,
  type Consumer,
  type ConsumerOutcome,
  type MessagingConnection,
  type OutboxRelay,
  type PostgresOutboxStore,
  type Publisher,
  type Topology,
} from '@game-scheduler/messaging';
import {
  createDueRowScheduler,
  prismaSchedulerDatabase,
  retentionJob,
  retryParkedJob,
  type DueRowScheduler,
  type DueRowTable,
} from '@game-scheduler/scheduler';
import { SpanNames, type Logger } from '@game-scheduler/telemetry';
import { createStatusTransitionHandler } from './apply-transition.ts';
import type { SchedulerConfig } from './config.ts';
import { changesStatusSchedule, createEventHandler } from './event-handler.ts';

export const SERVICE = 'status-transition-daemon';

/** The routing keys this daemon's queue is bound to. */
export const ROUTING_KEYS = ['game.created', 'game.updated', 'game.cancelled'] as const;

export const STATUS_SCHEDULE_TABLE: DueRowTable = {
  name: 'status_schedule',
  channel: STATUS_SCHEDULE_CHANGED_CHANNEL,
  doneStatus: 'APPLIED',
  columns: ['game_id', 'target_status'],
};

export interface AppDeps {
  readonly prisma: PrismaClient;
  /** For the scheduler's and the outbox relay's LISTEN connections. */
  readonly databaseUrl: string;
  readonly connection: MessagingConnection;
  /** Must include the `status-transition-daemon` consumer (see ROUTING_KEYS). */
  readonly topology: Topology;
  readonly scheduler: SchedulerConfig;
  readonly prefetch?: number;
  readonly logger: Logger;
  /** application_name prefix for PostgreSQL connections. */
  readonly applicationName?: string;
  readonly now?: () => Date;
  /** For tests: what happened to each consumed delivery. */
  readonly onConsumed?: (outcome: ConsumerOutcome, info: { messageId: string | undefined }) => void;
}

export interface App {
  readonly scheduler: DueRowScheduler;
  /**
   * Starts the scheduler (applies what is due now), the outbox relay and the consumer. A stop() that
   * comes while starting wins: whatever was started is stopped again.
   */
  start(): Promise<void>;
  /** One shutdown path: stop consuming, finish the batch in flight, flush the outbox, close. */
  stop(): Promise<void>;
}

export function createApp(deps: AppDeps): App {
  const { logger } = deps;
  const now = deps.now ?? (() => new Date());
  const applicationName = deps.applicationName ?? SERVICE;
  const config = deps.scheduler;
  const scheduler = createDueRowScheduler<Prisma.TransactionClient>({
    database: prismaSchedulerDatabase(deps.prisma),
    databaseUrl: deps.databaseUrl,
    table: STATUS_SCHEDULE_TABLE,
    handler: createStatusTransitionHandler(now),
    spanName: SpanNames.scheduledStatusTransition,
    jobName: 'status_transition',
    batchSize: config.batchSize,
    maxAttempts: config.maxAttempts,
    retryBaseMs: config.retryBaseMs,
    retryMaxMs: config.retryMaxMs,
    safetyIntervalMs: config.safetyIntervalMs,
    maintenance: [
      retryParkedJob({ schedule: config.retryParkedCron }),
      retentionJob({ olderThanDays: config.retentionDays, schedule: config.retentionCron }),
    ],
    applicationName,
    logger,
  });
  let publisher: Publisher | null = null;
  let outboxStore: PostgresOutboxStore | null = null;
  let relay: OutboxRelay | null = null;
  let consumer: Consumer | null = null;
  let stopping = false;
  /** Read through a function: stop() may flip it while start() awaits. */
  const isStopping = (): boolean => stopping;

  async function stop(): Promise<void> {
    stopping = true;
    await consumer?.close();
    consumer = null;
    await scheduler.stop();
    await relay?.stop();
    relay = null;
    await outboxStore?.close();
    outboxStore = null;
    await publisher?.close();
    publisher = null;
  }

  return {
    scheduler,
    async start() {
      try {
        await scheduler.start();
        if (isStopping()) return;
        publisher = createPublisher({
          connection: deps.connection,
          exchange: deps.topology.eventsExchange,
        });
        outboxStore = createPostgresOutboxStore({
          databaseUrl: deps.databaseUrl,
          applicationName: `${applicationName}-outbox`,
          onListenError: (error) => {
            // Closing the store ends its LISTEN connection on purpose.
            if (isStopping()) return;
            logger.warn({ err: error }, 'Outbox LISTEN connection lost; reconnecting');
          },
        });
        relay = await startOutboxRelay({
          store: outboxStore,
          publisher,
          onError: (error) => {
            logger.warn({ err: error }, 'Outbox relay pass failed; will retry');
          },
        });
        if (isStopping()) {
          await stop();
          return;
        }
        consumer = await consume({
          connection: deps.connection,
          topology: deps.topology,
          service: SERVICE,
          idempotency: createPrismaIdempotencyStore(deps.prisma),
          prefetch: deps.prefetch ?? 10,
          handler: createEventHandler(logger, now),
          repeatable: (event) => !changesStatusSchedule(event),
          onOutcome: (outcome, info) => {
            if (info.error !== undefined) {
              logger.warn({ err: info.error, outcome, messageId: info.messageId }, 'Event failed');
            }
            deps.onConsumed?.(outcome, { messageId: info.messageId });
          },
        });
        // A shutdown that began while the consumer was being set up.
        if (isStopping()) await stop();
      } catch (error) {
        await stop().catch(() => undefined);
        throw error;
      }
    },
    stop,
  };
}
