// Runs src/main.ts as a child process with the real telemetry preload, as in production but from
// sources, and collects its output.
import {
  appDirectory,
  runToExit,
  startService,
  type ServiceProcess,
} from '@game-scheduler/testing';

export { freePort } from '@game-scheduler/testing';

/** What the API needs of its world: its database, the shared Redis and RabbitMQ, the local Discord. */
export interface LocalApiWorld {
  readonly port: number;
  readonly databaseUrl: string;
  readonly services: { readonly redisUrl: string; readonly rabbitmqUrl: string };
  readonly sim: {
    readonly url: string;
    readonly apiUrl: string;
    readonly application: { clientId: string; clientSecret: string; botToken: string };
  };
  /** RabbitMQ namespace, also the prefix of the API's Redis keys. */
  readonly namespace: string;
}

/** The API's environment for a run against the local Discord (tests and benchmarks add to it). */
export function localApiEnv(world: LocalApiWorld): Record<string, string> {
  const { port, sim } = world;
  return {
    DATABASE_URL: world.databaseUrl,
    REDIS_URL: world.services.redisUrl,
    RABBITMQ_URL: world.services.rabbitmqUrl,
    RABBITMQ_NAMESPACE: world.namespace,
    API_PUBLIC_URL: `http://127.0.0.1:${String(port)}`,
    API_ENVIRONMENT: 'test',
    API_REDIS_KEY_PREFIX: `${world.namespace}:`,
    DISCORD_API_URL: sim.apiUrl,
    DISCORD_OAUTH_AUTHORIZE_URL: `${sim.url}/oauth2/authorize`,
    DISCORD_CLIENT_ID: sim.application.clientId,
    DISCORD_CLIENT_SECRET: sim.application.clientSecret,
    DISCORD_BOT_TOKEN: sim.application.botToken,
    OTEL_SERVICE_NAME: 'api',
    LOG_LEVEL: 'info',
  };
}

export interface ApiProcess {
  readonly baseUrl: string;
  readonly child: ServiceProcess['child'];
  output(): string;
  stop(): Promise<number | null>;
}

const API_DIR = appDirectory('api');

export async function startApiProcess(
  port: number,
  env: Record<string, string>,
): Promise<ApiProcess> {
  const api = await startService({
    cwd: API_DIR,
    env: { API_HOST: '127.0.0.1', API_PORT: String(port), ...env },
    inheritEnv: true,
    startedMessage: 'API started',
    timeoutMs: 30_000,
  });
  return {
    baseUrl: `http://127.0.0.1:${String(port)}`,
    child: api.child,
    output: api.output,
    stop: () => api.stop(),
  };
}

/** Runs the API expecting it to exit on its own (bad configuration); resolves with code and output. */
export async function runApiProcessToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return runToExit({ cwd: API_DIR, env: { OTEL_SDK_DISABLED: 'true', ...env }, inheritEnv: true });
}
