// The whole back end for one test file: the API, the notification daemon and the status-transition
// daemon as real processes (telemetry preload, OTLP to an in-test receiver), on a database, a RabbitMQ
// namespace and a local Discord (the demo scenario) of their own.
import { createPrismaClient, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { createDiscordSim, demoScenario, type DiscordSim } from '@game-scheduler/discord-sim';
import { deleteTopology, type TopologyOptions } from '@game-scheduler/messaging';
import { startOtlpReceiver, type OtlpReceiver } from '@game-scheduler/telemetry/testing';
import { getServices, uniqueName, type TestDatabase } from '@game-scheduler/testing';
import amqp from 'amqplib';
import { freePort, startService, type ServiceProcess } from './service-process.ts';
import { signInThroughSim } from '@game-scheduler/discord-sim/sign-in';

/** The demo scenario's guild, channels and members (packages/discord-sim/src/demo-scenario.ts). */
export const GUILD_ID = '1300000000000000201';
export const ANNOUNCEMENTS_CHANNEL = '1300000000000000402';
export const HANA = '1300000000000000101'; // host
export const PAT = '1300000000000000102';
export const QUINN = '1300000000000000103'; // DMs closed
export const RIO = '1300000000000000104';

/**
 * Secrets the stack hands the services. Nothing the services export over OTLP may contain one (nor
 * a session cookie value from `login`): `close()` scans every exported span, log and metric.
 */
export const STACK_SECRETS = {
  databasePassword: 'e2e-Pg-Passw0rd-4c1d9b',
  botToken: 'MTMwMDAwMDAwMDAwMDAwMDAx.GxE2eT.e2e-bot-token-7f3a91c5d2b8e6',
  clientSecret: 'e2e-client-secret-5b8d0e2a97',
  grafanaToken: 'glc_e2eGrafanaCloudToken0a9f8e7d6c',
} as const;

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** Requests as one signed-in user. */
export type ApiClient = <T = unknown>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<ApiResponse<T>>;

/** Calls the API's /api/v1 endpoints with a session cookie, sending and reading JSON. */
export function apiClient(apiUrl: string, cookie: string): ApiClient {
  const client = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}/api/v1${path}`, {
      method,
      headers: {
        cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as unknown };
  };
  // The caller names the body type it expects from the endpoint it called.
  return client as ApiClient;
}

export interface GameBody {
  id: string;
  title: string;
  status: 'SCHEDULED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';
  startsAt: string;
  durationMinutes: number;
  reminderMinutes: number[];
}

export interface Stack {
  readonly database: TestDatabase;
  /** For reading what the services wrote (schedules, deliveries, the outbox). */
  readonly prisma: PrismaClient;
  readonly sim: DiscordSim;
  readonly receiver: OtlpReceiver;
  readonly namespace: string;
  readonly services: readonly ServiceProcess[];
  readonly apiUrl: string;
  /** Base URL of each daemon's readiness server (HEALTH_PORT): GET /health and /ready. */
  readonly readinessUrls: Readonly<Record<DaemonName, string>>;
  /** Signs a user in through Discord OAuth2 (the local Discord) and returns their client. */
  login(userId: string): Promise<ApiClient>;
  /** The secrets (and session cookie values) found in what the services exported so far. */
  leakedSecrets(): string[];
  /** Stops everything; fails when the exported telemetry held a secret or a service exited badly. */
  close(): Promise<void>;
}

export type DaemonName = 'notification-daemon' | 'status-transition-daemon';

export interface StackOptions {
  /** Prefix of the database and RabbitMQ namespace names. */
  readonly prefix: string;
  /** Another broker than the shared one (the broker-restart test's private node). */
  readonly rabbitmqUrl?: string;
  /** Another PostgreSQL server than the shared one (the dependency-restart test's private cluster). */
  readonly databaseServerUrl?: string;
  /** Another Redis than the shared one (the dependency-restart test's private server). */
  readonly redisUrl?: string;
  /** Extra environment for every service. */
  readonly env?: Record<string, string>;
}

/** The consumers the daemons declare, for cleaning their queues up afterwards. */
const CONSUMERS: TopologyOptions['consumers'] = [
  { service: 'notification-daemon', routingKeys: [] },
  { service: 'status-transition-daemon', routingKeys: [] },
];

export async function startStack(options: StackOptions): Promise<Stack> {
  const shared = getServices();
  const rabbitmqUrl = options.rabbitmqUrl ?? shared.rabbitmqUrl;
  const namespace = uniqueName(options.prefix);
  const database = await createMigratedTestDatabase(
    options.databaseServerUrl ?? shared.databaseUrl,
    {
      prefix: options.prefix,
    },
  );
  const prisma = createPrismaClient(database.url, { poolSize: 4, applicationName: 'e2e-test' });
  const sim = await createDiscordSim({
    scenario: demoScenario,
    rateLimits: { enabled: false },
    application: { botToken: STACK_SECRETS.botToken, clientSecret: STACK_SECRETS.clientSecret },
  });
  // Trust authentication: the password is accepted and ignored, but the services hold it.
  const serviceDatabaseUrl = new URL(database.url);
  serviceDatabaseUrl.password = STACK_SECRETS.databasePassword;
  const sessionCookies: string[] = [];
  const receiver = await startOtlpReceiver();
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${String(port)}`;
  const common = {
    DATABASE_URL: serviceDatabaseUrl.href,
    GRAFANA_CLOUD_AUTH_TOKEN: STACK_SECRETS.grafanaToken,
    RABBITMQ_URL: rabbitmqUrl,
    RABBITMQ_NAMESPACE: namespace,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const [notificationHealthPort, statusHealthPort] = [await freePort(), await freePort()];
  const readinessUrls: Record<DaemonName, string> = {
    'notification-daemon': `http://127.0.0.1:${String(notificationHealthPort)}`,
    'status-transition-daemon': `http://127.0.0.1:${String(statusHealthPort)}`,
  };
  const services: ServiceProcess[] = [];
  try {
    services.push(
      await startService('api', {
        ...common,
        REDIS_URL: options.redisUrl ?? shared.redisUrl,
        API_HOST: '127.0.0.1',
        API_PORT: String(port),
        API_PUBLIC_URL: apiUrl,
        API_ENVIRONMENT: 'test',
        API_SESSION_TTL_SECONDS: '900',
        API_GUILD_CACHE_TTL_SECONDS: '60',
        API_REDIS_KEY_PREFIX: `${namespace}:`,
        DISCORD_API_URL: sim.apiUrl,
        DISCORD_OAUTH_AUTHORIZE_URL: `${sim.url}/oauth2/authorize`,
        DISCORD_CLIENT_ID: sim.application.clientId,
        DISCORD_CLIENT_SECRET: sim.application.clientSecret,
        DISCORD_BOT_TOKEN: sim.application.botToken,
      }),
    );
    // Both daemons declare and bind their queues before they report started, so no event the
    // tests cause afterwards can miss them.
    services.push(
      ...(await Promise.all([
        startService('notification-daemon', {
          ...common,
          DISCORD_BOT_TOKEN: sim.application.botToken,
          DISCORD_API_URL: sim.apiUrl,
          HEALTH_PORT: String(notificationHealthPort),
        }),
        startService('status-transition-daemon', {
          ...common,
          HEALTH_PORT: String(statusHealthPort),
        }),
      ])),
    );
  } catch (error) {
    await Promise.all(services.map((service) => service.stop()));
    await Promise.all([sim.close(), receiver.close(), prisma.$disconnect()]);
    await database.drop();
    throw error;
  }

  async function login(userId: string): Promise<ApiClient> {
    const cookie = await signInThroughSim({ apiUrl, userId });
    sessionCookies.push(cookie.slice(cookie.indexOf('=') + 1));
    return apiClient(apiUrl, cookie);
  }

  function leakedSecrets(): string[] {
    const exported = receiver.allExportedText();
    return [...Object.values(STACK_SECRETS), ...sessionCookies].filter(
      (secret) => exported.includes(secret) || exported.includes(encodeURIComponent(secret)),
    );
  }

  return {
    database,
    prisma,
    sim,
    receiver,
    namespace,
    services,
    apiUrl,
    readinessUrls,
    login,
    leakedSecrets,
    async close() {
      const codes = await Promise.all(services.map((service) => service.stop()));
      // After the stop, so what the services flushed on their way out is scanned too.
      const leaked = leakedSecrets();
      const exportedAnything = receiver.requests().length > 0;
      await Promise.all([sim.close(), receiver.close(), prisma.$disconnect()]);
      try {
        const admin = await amqp.connect(rabbitmqUrl);
        const channel = await admin.createChannel();
        await deleteTopology(channel, { namespace, consumers: CONSUMERS }).catch(() => undefined);
        await admin.close().catch(() => undefined);
      } catch {
        // A private broker already gone takes its queues with it.
      }
      await database.drop();
      if (!exportedAnything) throw new Error('the services exported no telemetry to scan');
      if (leaked.length > 0) {
        throw new Error(
          `the services exported ${String(leaked.length)} secret(s) over OTLP: ${leaked
            .map((secret) => `${secret.slice(0, 6)}…`)
            .join(', ')}`,
        );
      }
      const failed = services.filter((_, index) => codes[index] !== 0);
      if (failed.length > 0) {
        throw new Error(
          `${failed.map((service) => service.name).join(', ')} did not shut down cleanly:\n${failed
            .map((service) => service.output())
            .join('\n')}`,
        );
      }
    },
  };
}

/** DMs the user received about the game with this title, oldest first. */
export function remindersTo(sim: DiscordSim, userId: string, title: string) {
  return sim
    .dms(userId)
    .filter((message) => String(message['content']).includes(`**${title}**`))
    .map((message) => ({
      content: String(message['content']),
      at: new Date(String(message['timestamp'])),
    }));
}

/** Messages in a channel mentioning the user about the game with this title, oldest first. */
export function mentionsOf(sim: DiscordSim, channelId: string, userId: string, title: string) {
  return sim
    .messages(channelId)
    .filter((message) => {
      const content = String(message['content']);
      return content.startsWith(`<@${userId}>`) && content.includes(`**${title}**`);
    })
    .map((message) => ({
      content: String(message['content']),
      at: new Date(String(message['timestamp'])),
    }));
}
