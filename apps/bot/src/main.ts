// Thin entry point: read the configuration, build the dependencies, log in to the gateway, consume
// game events, relay the bot's own outbox, and shut down along one path on SIGTERM/SIGINT. Started
// with `node --import @game-scheduler/telemetry/register dist/main.js`.
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
import {
  installShutdown,
  runService,
  startReadinessServer,
  type Logger,
  type ReadinessServer,
} from '@game-scheduler/telemetry';
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
  // /health and /ready on HEALTH_PORT (the container healthcheck asks /ready); none when it is empty.
  let readiness: ReadinessServer | undefined;
  installShutdown({
    logger,
    stopTakingWork: async () => {
      await readiness?.close();
      await bot.stop();
    },
    drain: closeConnections,
  });
  try {
    if (config.healthPort !== null) {
      readiness = await startReadinessServer({
        port: config.healthPort,
        checks: {
          postgres: postgresReadiness(prisma),
          rabbitmq: rabbitmqReadiness(connection),
          discord: () => {
            if (!bot.gatewayReady()) throw new Error('gateway not ready');
          },
        },
      });
    }
    await bot.start();
  } catch (error) {
    await readiness?.close();
    await closeConnections().catch(() => undefined);
    throw error;
  }
  logger.info(
    {
      database: describeDatabaseUrl(config.databaseUrl),
      namespace: config.rabbitmqNamespace,
      healthPort: readiness?.port,
      discordApi: config.discord.apiUrl,
      guilds: bot.client.guilds.cache.size,
    },
    'Bot started',
  );
}

void runService({ name: SERVICE, loadConfig, start: run });
