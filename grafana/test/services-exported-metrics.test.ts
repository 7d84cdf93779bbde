// The services dashboard and the service alerts must query what the services really send. This
// starts the API and both daemons as processes with the telemetry preload, exporting OTLP to a
// local receiver, drives them with the traffic generator (logins through the local Discord, games
// created, joined, left, a 404, a reminder due and a game starting), and compares the metric names
// that arrive — in the form Prometheus and Grafana Cloud give them after OTLP ingestion — with the
// names every dashboard panel and alert rule selects.
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import { deleteTopology } from '@game-scheduler/messaging';
import amqp from 'amqplib';
import { createDiscordSim, demoScenario, type DiscordSim } from '@game-scheduler/discord-sim';
import {
  prometheusSeriesNames,
  startOtlpReceiver,
  type OtlpReceiver,
} from '@game-scheduler/telemetry/testing';
import {
  appDirectory,
  eventually,
  freePort,
  getServices,
  runToExit,
  startService,
  uniqueName,
  type ServiceProcess,
  type TestDatabase,
} from '@game-scheduler/testing';
import { DEMO, createTrafficGenerator } from '@game-scheduler/traffic-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usedExpressions } from './support/used-metrics.ts';

const SERVICES = ['api', 'bot', 'notification-daemon', 'status-transition-daemon'] as const;
const silent = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/** The services that consume events, each with its queues (packages/messaging topology). */
const CONSUMERS = ['bot', 'notification-daemon', 'status-transition-daemon'] as const;

let receiver: OtlpReceiver;
let namespace = '';
let database: TestDatabase;
let sim: DiscordSim;
const processes: ServiceProcess[] = [];
let exported = new Set<string>();
/** service.name → the Prometheus names of what it exported. */
const exportedBy = new Map<string, Set<string>>();

/** Selectors that name no integrations/* job are the services' own (OTLP) metrics. */
function servicesSelectors(): { source: string; metric: string; job?: string }[] {
  return usedExpressions().flatMap((entry) =>
    entry.selectors
      .filter(
        (selector) =>
          !selector.matchers.some(
            (matcher) => matcher.label === 'job' && matcher.value.startsWith('integrations/'),
          ),
      )
      .map((selector) => {
        const job = selector.matchers.find(
          (matcher) => matcher.label === 'job' && matcher.op === '=',
        )?.value;
        return {
          source: entry.source,
          metric: selector.metric ?? '',
          ...(job === undefined ? {} : { job }),
        };
      }),
  );
}

beforeAll(async () => {
  const services = getServices();
  receiver = await startOtlpReceiver();
  database = await createMigratedTestDatabase(services.databaseUrl, { prefix: 'grafana_otlp' });
  sim = await createDiscordSim({ scenario: demoScenario, rateLimits: { enabled: false } });
  namespace = uniqueName('grafana-otlp');
  const port = await freePort();
  const common = {
    DATABASE_URL: database.url,
    RABBITMQ_URL: services.rabbitmqUrl,
    RABBITMQ_NAMESPACE: namespace,
    DISCORD_API_URL: sim.apiUrl,
    DISCORD_BOT_TOKEN: sim.application.botToken,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_METRIC_EXPORT_INTERVAL: '500',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BLRP_SCHEDULE_DELAY: '200',
    LOG_LEVEL: 'info',
    NOTIFICATION_DAEMON_SAFETY_INTERVAL_MS: '1000',
    STATUS_DAEMON_SAFETY_INTERVAL_MS: '1000',
  };
  const specific: Record<(typeof SERVICES)[number], Record<string, string>> = {
    api: {
      REDIS_URL: services.redisUrl,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      API_PUBLIC_URL: `http://127.0.0.1:${String(port)}`,
      API_ENVIRONMENT: 'test',
      API_REDIS_KEY_PREFIX: `${namespace}:`,
      DISCORD_OAUTH_AUTHORIZE_URL: `${sim.url}/oauth2/authorize`,
      DISCORD_CLIENT_ID: sim.application.clientId,
      DISCORD_CLIENT_SECRET: sim.application.clientSecret,
    },
    bot: {
      DISCORD_CLIENT_ID: sim.application.id,
      BOT_COMMANDS_GUILD_ID: DEMO.guildId,
    },
    // One Discord call per attempt, two attempts per reminder, 300 ms between them.
    'notification-daemon': {
      NOTIFICATION_DAEMON_DISCORD_RETRIES: '0',
      NOTIFICATION_DAEMON_MAX_ATTEMPTS: '2',
      NOTIFICATION_DAEMON_RETRY_BASE_MS: '300',
    },
    'status-transition-daemon': {},
  };
  // The bot's slash commands are registered first, as the bot-commands service does in compose.
  const registered = await runToExit({
    cwd: appDirectory('bot'),
    entry: 'src/deploy-commands.ts',
    env: { ...common, ...specific.bot, OTEL_SERVICE_NAME: 'bot-commands' },
  });
  expect(registered.code, registered.output).toBe(0);
  for (const name of SERVICES) {
    processes.push(
      await startService({
        cwd: appDirectory(name),
        env: { OTEL_SERVICE_NAME: name, ...common, ...specific[name] },
        startedMessage: /"msg":"[^"]* started"/i,
        timeoutMs: 90_000,
      }),
    );
  }

  const traffic = createTrafficGenerator({
    apiUrl: `http://127.0.0.1:${String(port)}`,
    simUrl: sim.url,
    logger: silent,
    random: () => 1,
  });
  expect(await traffic.usesLocalDiscord()).toBe(true);
  const round = async (startsInMinutes: number): Promise<void> => {
    const result = await traffic.round({ startsInMinutes });
    expect(result.statuses).toContain(201);
    expect(result.statuses).toContain(404);
    expect(result.interaction).toBe(true);
  };
  // A game starting in three seconds: its status moves to IN_PROGRESS at once.
  await round(0.05);
  // A game starting in 66 s, whose one-minute reminder is due in 6 s and cannot be delivered:
  // Discord answers 500 whenever the daemon opens the DM, so the row is retried and then parked.
  // (Injected once the bot has sent the round's promotion DM, lifted once the row is parked.)
  await round(1.1);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  sim.failRoute({ route: '/users/@me/channels', method: 'POST', status: 500, times: 100 });
  const arrived = (name: string) => (): true | undefined =>
    receiver.prometheusMetricNames().includes(name) ? true : undefined;
  await eventually(arrived('scheduler_job_parked_total'), { timeoutMs: 30_000 }).catch(
    () => undefined,
  );
  expect(receiver.prometheusMetricNames()).toContain('scheduler_job_parked_total');
  sim.clearFaults();
  // Another game, whose reminder (due in 6 s) is delivered.
  await round(1.1);
  // And one its host cancels.
  const cancelling = createTrafficGenerator({
    apiUrl: `http://127.0.0.1:${String(port)}`,
    simUrl: sim.url,
    logger: silent,
    random: () => 0,
  });
  expect((await cancelling.round()).cancelled).toBe(true);

  const expected = [
    'http_server_request_duration_seconds_count',
    'games_created_total',
    'games_cancelled_total',
    'players_joined_total',
    'reminders_sent_total',
    'reminders_lateness_seconds_bucket',
    'games_status_transitions_total',
    'scheduler_job_lateness_seconds_bucket',
    'scheduler_job_retries_total',
    'scheduler_job_parked_total',
    'messaging_queue_depth',
    'outbox_pending',
    'discord_interactions_total',
  ];
  const missing = (): string[] => {
    const names = receiver.prometheusMetricNames();
    return expected.filter((name) => !names.includes(name));
  };
  await eventually(() => (missing().length === 0 ? true : undefined), {
    timeoutMs: 60_000,
  }).catch(() => undefined);
  expect(missing(), 'metrics that never arrived').toEqual([]);
  exported = new Set(receiver.prometheusMetricNames());
  for (const metric of receiver.metrics()) {
    const names = exportedBy.get(metric.serviceName ?? '?') ?? new Set<string>();
    for (const name of prometheusSeriesNames(metric)) names.add(name);
    exportedBy.set(metric.serviceName ?? '?', names);
  }
}, 300_000);

afterAll(async () => {
  for (const service of processes) await service.stop();
  await sim.close();
  await receiver.close();
  await database.drop();
  // The services declared their quorum queues and exchanges under this run's namespace: remove them
  // (each quorum queue holds broker file descriptors).
  const admin = await amqp.connect(getServices().rabbitmqUrl);
  const channel = await admin.createChannel();
  await deleteTopology(channel, {
    namespace,
    consumers: CONSUMERS.map((service) => ({ service, routingKeys: [] })),
  }).catch(() => undefined);
  await admin.close();
});

describe('the metrics the services really export over OTLP', () => {
  it('come from every service, under its service.name', () => {
    expect([...exportedBy.keys()].sort()).toEqual([...SERVICES].sort());
  });

  it('include every metric a dashboard panel or alert rule selects, from the service it names', () => {
    const selectors = servicesSelectors();
    expect(selectors.length).toBeGreaterThan(10);
    const missing = selectors
      .filter((selector) =>
        selector.job === undefined
          ? !exported.has(selector.metric)
          : !(exportedBy.get(selector.job)?.has(selector.metric) ?? false),
      )
      .map(
        (selector) =>
          `${selector.source}: ${selector.metric}${selector.job === undefined ? '' : ` from ${selector.job}`}`,
      );
    expect(missing).toEqual([]);
  });
});
