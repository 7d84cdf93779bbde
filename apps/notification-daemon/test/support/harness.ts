// One test file's world: a migrated database, a RabbitMQ namespace, the local Discord and daemons
// built with createApp — the same factory main.ts uses.
import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { createDiscordSim, type DiscordSim, type SimLogger } from '@game-scheduler/discord-sim';
import {
  createConnection,
  createPublisher,
  deleteTopology,
  ensureTopology,
  type ConsumerOutcome,
  type MessagingConnection,
  type Publisher,
  type Topology,
  type TopologyOptions,
} from '@game-scheduler/messaging';
import { createLogger } from '@game-scheduler/telemetry';
import { getServices, uniqueName, type TestDatabase } from '@game-scheduler/testing';
import amqp from 'amqplib';
import { ROUTING_KEYS, SERVICE, createApp, type App } from '../../src/app.ts';
import type { SchedulerConfig } from '../../src/config.ts';
import { createDiscordClient } from '../../src/discord-client.ts';
import { eventually } from '@game-scheduler/testing';
import { seedWorld } from './world.ts';

export interface Harness {
  readonly database: TestDatabase;
  readonly prisma: PrismaClient;
  readonly sim: DiscordSim;
  readonly connection: MessagingConnection;
  readonly topology: Topology;
  readonly topologyOptions: TopologyOptions;
  readonly publisher: Publisher;
  readonly rabbitmqUrl: string;
  /**
   * A daemon on this world (not started). Its Discord client does not retry a failed call unless
   * `discord.retries` says so (production retries 3 times).
   */
  daemon(overrides?: Partial<SchedulerConfig>, discord?: { readonly retries?: number }): App;
  /** Resolves once the message was handled by a daemon with this outcome. */
  consumed(messageId: string, outcome?: ConsumerOutcome): Promise<void>;
  close(): Promise<void>;
}

export const TEST_SCHEDULER: SchedulerConfig = {
  batchSize: 5,
  concurrency: 1,
  maxAttempts: 3,
  retryBaseMs: 200,
  retryMaxMs: 2_000,
  safetyIntervalMs: 60_000,
  transactionTimeoutMs: 60_000,
  retentionDays: 30,
  retryParkedCron: '7 * * * *',
  retentionCron: '17 3 * * *',
};

export async function createHarness(
  prefix: string,
  options: { simLogger?: SimLogger } = {},
): Promise<Harness> {
  const services = getServices();
  const database = await createMigratedTestDatabase(services.databaseUrl, { prefix });
  const prisma = createPrismaClient(database.url, { poolSize: 10 });
  const sim = await createDiscordSim({
    rateLimits: { enabled: false },
    ...(options.simLogger === undefined ? {} : { logger: options.simLogger }),
  });
  await seedWorld(prisma, sim);
  const topologyOptions: TopologyOptions = {
    namespace: uniqueName(prefix),
    consumers: [{ service: SERVICE, routingKeys: [...ROUTING_KEYS] }],
  };
  const connection = await createConnection({
    url: services.rabbitmqUrl,
    connectionName: uniqueName(prefix),
  });
  const topology = await ensureTopology(connection, topologyOptions);
  const publisher = createPublisher({ connection, exchange: topology.eventsExchange });
  const outcomes: { outcome: ConsumerOutcome; messageId: string | undefined }[] = [];
  const apps: App[] = [];
  return {
    database,
    prisma,
    sim,
    connection,
    topology,
    topologyOptions,
    publisher,
    rabbitmqUrl: services.rabbitmqUrl,
    daemon(overrides = {}, discord = {}) {
      const app = createApp({
        prisma,
        databaseUrl: database.url,
        connection,
        topology,
        discord: createDiscordClient({
          botToken: sim.application.botToken,
          apiUrl: sim.apiUrl,
          retries: discord.retries ?? 0,
        }),
        scheduler: { ...TEST_SCHEDULER, ...overrides },
        logger: createLogger({ name: 'notification-daemon-test', level: 'silent' }),
        onConsumed: (outcome, { messageId }) => {
          outcomes.push({ outcome, messageId });
        },
      });
      apps.push(app);
      return app;
    },
    async consumed(messageId, outcome = 'acked') {
      await eventually(() =>
        outcomes.some((entry) => entry.messageId === messageId && entry.outcome === outcome)
          ? true
          : undefined,
      );
    },
    async close() {
      for (const app of apps) await app.stop();
      await publisher.close();
      await connection.close();
      const admin = await amqp.connect(services.rabbitmqUrl);
      const channel = await admin.createChannel();
      await deleteTopology(channel, topologyOptions);
      await admin.close();
      await prisma.$disconnect();
      await sim.close();
      await database.drop();
    },
  };
}
