// Thin entry point: read the configuration, build the dependencies, log in to the gateway, consume
// game events, relay the bot's own outbox, and shut down along one path on SIGTERM/SIGINT. Started
// with `node --import @game-scheduler/telemetry/register dist/main.js`.
import {
  assertDatabaseReachable,
  createPrismaClient,
  describeDatabaseUrl,
} from '@game-scheduler/db';
import {
  createConnection,
  ensureTopology,
  startPostgresOutboxRelay,
} from '@game-scheduler/messaging';
import { installShutdown, runService, type Logger } from '@game-scheduler/telemetry';
import { ROUTING_KEYS, SERVICE, createBot } from './bot.ts';
import { loadConfig, type Config } from './config.ts';

async function run(config: Config, logger: Logger): Promise<void> {
  await assertDatabaseReachable(config.databaseUrl);
  const prisma = createPrismaClient(config.databaseUrl, {
    applicationName: config.serviceName,
    poolSize: config.databasePoolSize,
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
    consumers: [{ service: SERVICE, routingKeys: [...ROUTING_KEYS] }],
  });
  // The bot writes game changes with their outbox rows, so it relays them itself (the store's
  // advisory lock keeps one relay at a time across the API and the bot).
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
  const bot = createBot({
    prisma,
    connection,
    topology,
    discord: config.discord,
    announcementDelayMs: config.announcementDelayMs,
    prefetch: config.prefetch,
    logger,
  });
  const closeConnections = async (): Promise<void> => {
    await relay.stop();
    await connection.close();
    await prisma.$disconnect();
  };
  installShutdown({
    logger,
    stopTakingWork: () => bot.stop(),
    drain: closeConnections,
  });
  try {
    await bot.start();
  } catch (error) {
    await closeConnections().catch(() => undefined);
    throw error;
  }
  logger.info(
    {
      database: describeDatabaseUrl(config.databaseUrl),
      namespace: config.rabbitmqNamespace,
      discordApi: config.discord.apiUrl,
      guilds: bot.client.guilds.cache.size,
    },
    'Bot started',
  );
}

void runService({ name: SERVICE, loadConfig, start: run });
