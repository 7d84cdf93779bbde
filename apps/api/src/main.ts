// Thin entry point: read the configuration, build the dependencies, start the HTTP server and the
// outbox relay, and shut down along one path on SIGTERM/SIGINT. Started with
// `node --import @game-scheduler/telemetry/register dist/main.js`.
import {
  assertDatabaseReachable,
  createPrismaClient,
  describeDatabaseUrl,
  postgresReadiness,
} from '@game-scheduler/db';
import {
  createConnection,
  ensureTopology,
  rabbitmqReadiness,
  startPostgresOutboxRelay,
} from '@game-scheduler/messaging';
import { installShutdown, runService, type Logger } from '@game-scheduler/telemetry';
import { Redis } from 'ioredis';
import { SERVICE, createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { createDiscordClient } from './discord/discord-client.ts';

async function run(config: Config, logger: Logger): Promise<void> {
  await assertDatabaseReachable(config.databaseUrl);
  const prisma = createPrismaClient(config.databaseUrl, {
    applicationName: config.serviceName,
    poolSize: 10,
  });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error: unknown) => {
    logger.warn({ err: error }, 'Redis connection error');
  });
  const connection = await createConnection({
    url: config.rabbitmqUrl,
    connectionName: config.serviceName,
    onEvent: (event) => {
      logger.info({ event }, 'RabbitMQ connection');
    },
  });
  const topology = await ensureTopology(connection, {
    namespace: config.rabbitmqNamespace,
    consumers: [],
  });
  const relay = await startPostgresOutboxRelay({
    connection,
    exchange: topology.eventsExchange,
    databaseUrl: config.databaseUrl,
    applicationName: config.serviceName,
    onListenError: (error) => {
      logger.warn({ err: error }, 'Outbox LISTEN failed; the sweep covers the gap');
    },
    onError: (error) => {
      logger.warn({ err: error }, 'Outbox relay pass failed; retrying on the next wake');
    },
  });
  const app = await createApp({
    settings: config.api,
    prisma,
    redis,
    discord: createDiscordClient(config.api.discord),
    logger,
    readiness: {
      postgres: postgresReadiness(prisma),
      redis: async () => {
        await redis.ping();
      },
      rabbitmq: rabbitmqReadiness(connection),
    },
  });
  installShutdown({
    logger,
    stopTakingWork: async () => {
      await app.close();
      await relay.stop();
    },
    drain: async () => {
      await connection.close();
      redis.disconnect();
      await prisma.$disconnect();
    },
  });
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info(
    {
      address,
      database: describeDatabaseUrl(config.databaseUrl),
      namespace: config.rabbitmqNamespace,
    },
    'API started',
  );
}

void runService({ name: SERVICE, loadConfig, start: run });
