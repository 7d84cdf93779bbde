// The daemon as a unit tests can start: consumes the game events that shape reminder schedules and
// runs the due-row scheduler that delivers reminders when they are due.
import { REMINDER_SCHEDULE_CHANGED_CHANNEL, type PrismaClient } from '@game-scheduler/db';
import {
  consume,
  createPrismaIdempotencyStore,
  type Consumer,
  type ConsumerOutcome,
  type MessagingConnection,
  type Topology,
} from '@game-scheduler/messaging';
import {
  createDueRowScheduler,
  pgSchedulerDatabase,
  retentionJob,
  retryParkedJob,
  type DueRowScheduler,
  type DueRowTable,
} from '@game-scheduler/scheduler';
import { SpanNames, type Logger } from '@game-scheduler/telemetry';
import type { SchedulerConfig } from './config.ts';
import { createDeliveryLedger } from './delivery-ledger.ts';
import { createReminderHandler } from './deliver-reminder.ts';
import type { ReminderDiscord } from './discord-client.ts';
import { changesReminderSchedule, createEventHandler } from './event-handler.ts';

export const SERVICE = 'notification-daemon';

/** The routing keys this daemon's queue is bound to. */
export const ROUTING_KEYS = [
  'game.created',
  'game.updated',
  'game.cancelled',
  'game.player_removed',
] as const;

export const REMINDER_SCHEDULE_TABLE: DueRowTable = {
  name: 'reminder_schedule',
  channel: REMINDER_SCHEDULE_CHANGED_CHANNEL,
  doneStatus: 'SENT',
  columns: ['game_id', 'reminder_minutes'],
};

export interface AppDeps {
  readonly prisma: PrismaClient;
  /** For the scheduler's LISTEN connection. */
  readonly databaseUrl: string;
  readonly connection: MessagingConnection;
  /** Must include the `notification-daemon` consumer (see ROUTING_KEYS). */
  readonly topology: Topology;
  readonly discord: ReminderDiscord;
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
  /** Starts the scheduler (delivers what is due now) and the consumer. */
  start(): Promise<void>;
  /** One shutdown path: stop consuming, finish the batch in flight, close LISTEN. */
  stop(): Promise<void>;
}

export function createApp(deps: AppDeps): App {
  const { logger } = deps;
  const now = deps.now ?? (() => new Date());
  const applicationName = deps.applicationName ?? SERVICE;
  const config = deps.scheduler;
  // Reminders go to PostgreSQL straight through node-postgres (a pool of their own): one
  // connection per claim in flight, two more for the delivery records and the next-due look.
  const database = pgSchedulerDatabase({
    databaseUrl: deps.databaseUrl,
    poolSize: config.concurrency + 2,
    applicationName: `${applicationName}-reminders`,
    transactionTimeoutMs: config.transactionTimeoutMs,
  });
  const scheduler = createDueRowScheduler<unknown>({
    database,
    databaseUrl: deps.databaseUrl,
    table: REMINDER_SCHEDULE_TABLE,
    handler: createReminderHandler({
      discord: deps.discord,
      ledger: createDeliveryLedger(database.sql),
      logger,
    }),
    spanName: SpanNames.scheduledReminder,
    jobName: 'reminder',
    batchSize: config.batchSize,
    concurrency: config.concurrency,
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
  let consumer: Consumer | null = null;

  let databaseClosed = false;

  async function stop(): Promise<void> {
    await consumer?.close();
    consumer = null;
    await scheduler.stop();
    if (!databaseClosed) {
      databaseClosed = true;
      await database.close();
    }
  }

  return {
    scheduler,
    async start() {
      try {
        await scheduler.start();
        consumer = await consume({
          connection: deps.connection,
          topology: deps.topology,
          service: SERVICE,
          idempotency: createPrismaIdempotencyStore(deps.prisma),
          prefetch: deps.prefetch ?? 10,
          handler: createEventHandler(logger, now),
          repeatable: (event) => !changesReminderSchedule(event),
          onOutcome: (outcome, info) => {
            if (info.error !== undefined) {
              logger.warn({ err: info.error, outcome, messageId: info.messageId }, 'Event failed');
            }
            deps.onConsumed?.(outcome, { messageId: info.messageId });
          },
        });
      } catch (error) {
        await stop().catch(() => undefined);
        throw error;
      }
    },
    stop,
  };
}
