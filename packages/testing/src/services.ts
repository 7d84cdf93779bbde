// Where the integration tests find PostgreSQL, Redis and RabbitMQ: environment URLs first (CI and any
// machine with local services), otherwise containers started by testcontainers (a laptop with Docker).

export interface TestServices {
  /** An admin URL to the PostgreSQL server; tests create their own databases on it. */
  databaseUrl: string;
  redisUrl: string;
  rabbitmqUrl: string;
  source: 'environment' | 'testcontainers';
}

export const missingServicesMessage = [
  'Integration tests need PostgreSQL, Redis and RabbitMQ.',
  'Either set TEST_DATABASE_URL, TEST_REDIS_URL and TEST_RABBITMQ_URL',
  '(for example postgresql://postgres@127.0.0.1:5432/postgres, redis://127.0.0.1:6379,',
  'amqp://guest:guest@127.0.0.1:5672), or start Docker so that testcontainers can run them.',
].join(' ');

interface StartedContainers {
  services: TestServices;
  stop: () => Promise<void>;
}

export function servicesFromEnvironment(
  env: Record<string, string | undefined>,
): TestServices | undefined {
  const databaseUrl = env.TEST_DATABASE_URL;
  const redisUrl = env.TEST_REDIS_URL;
  const rabbitmqUrl = env.TEST_RABBITMQ_URL;
  if (!databaseUrl || !redisUrl || !rabbitmqUrl) return undefined;
  return { databaseUrl, redisUrl, rabbitmqUrl, source: 'environment' };
}

async function startContainers(): Promise<StartedContainers | undefined> {
  let tc: typeof import('testcontainers');
  try {
    tc = await import('testcontainers');
    await tc.getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const { GenericContainer, Wait } = tc;
  const [postgres, redis, rabbit] = await Promise.all([
    new GenericContainer('postgres:17-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7-alpine')
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .start(),
    new GenericContainer('rabbitmq:3.13-alpine')
      .withExposedPorts(5672)
      .withWaitStrategy(Wait.forLogMessage(/Server startup complete/))
      .start(),
  ]);
  return {
    services: {
      databaseUrl: `postgresql://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
      redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
      rabbitmqUrl: `amqp://guest:guest@${rabbit.getHost()}:${rabbit.getMappedPort(5672)}`,
      source: 'testcontainers',
    },
    stop: async () => {
      await Promise.all([postgres.stop(), redis.stop(), rabbit.stop()]);
    },
  };
}

/**
 * Finds the services for this test run. Throws one error naming how to provide them when there are
 * neither environment URLs nor a container runtime.
 */
export async function resolveServices(
  env: Record<string, string | undefined> = process.env,
): Promise<StartedContainers> {
  const fromEnv = servicesFromEnvironment(env);
  if (fromEnv) return { services: fromEnv, stop: () => Promise.resolve() };
  const started = await startContainers();
  if (!started) throw new Error(missingServicesMessage);
  return started;
}
