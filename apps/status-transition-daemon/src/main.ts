// Thin entry point: read the configuration, build the dependencies, start, and shut down along one
// path on SIGTERM/SIGINT. Started with `node --import @game-scheduler/telemetry/register dist/main.js`.
import {
  assertDatabaseReachable,
  createPrismaClient,
  describeDatabaseUrl,
  postgresReadiness,
} from '@game-scheduler/db';
import { createConnection, ensureTopology, rabbitmqReadiness } from '@game-scheduler/messaging';
import {
  installShutdown,
  runService,
  startReadinessServer,
  type Logger,
  type ReadinessServer,
} from '@game-scheduler/telemetry';
import { ROUTING_KEYS, SERVICE, createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';

async function run(config: Config, logger: Logger): Promise<void> {
  // Fail fast, with one line, before declaring anything on the broker.
  await assertDatabaseReachable(config.databaseUrl);
  const prisma = createPrismaClient(config.databaseUrl, {
    applicationName: config.serviceName,
    // One transaction per event in flight, one for the scheduler's batch, one spare.
    poolSize: config.prefetch + 2,
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
  const app = createApp({
    prisma,
    databaseUrl: config.databaseUrl,
    connection,
    topology,
    scheduler: config.scheduler,
    prefetch: config.prefetch,
    logger,
    applicationName: config.serviceName,
  });
  const closeConnections = async (): Promise<void> => {
    await connection.close();
    await prisma.$disconnect();
  };
  // /health and /ready on HEALTH_PORT (the container healthcheck asks /ready); none when it is empty.
  let readiness: ReadinessServer | undefined;
  installShutdown({
    logger,
    stopTakingWork: async () => {
      await readiness?.close();
      await app.stop();
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
        },
      });
    }
    await app.start();
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
    },
    'Status-transition daemon started',
  );
}

void runService({ name: SERVICE, loadConfig, start: run });
