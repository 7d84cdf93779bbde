// The single registry of telemetry names for the whole project: span names, attribute keys and
// metric instruments (with unit, description and the attributes each may carry). Nothing else in the
// project declares such a name; services import these constants.

/** Low-cardinality span names of our own spans (instrumentations name theirs). */
export const SpanNames = {
  /** A Discord interaction (slash command, button, modal) handled by the bot. */
  discordInteraction: 'discord.interaction',
  /** A Discord gateway event other than an interaction. */
  discordGatewayEvent: 'discord.gateway_event',
  /** The bot creating or editing a game's announcement. */
  announcementUpdate: 'discord.announcement_update',
  /** A Discord REST API call made by our code (CLIENT span around the HTTP request). */
  discordRest: 'discord.rest',
  /** The bot's handlers, one span per slash command and per button action (child of the interaction). */
  discordCommandCreateGame: 'discord.command.create-game',
  discordCommandListGames: 'discord.command.list-games',
  discordCommandMyGames: 'discord.command.my-games',
  discordCommandCancelGame: 'discord.command.cancel-game',
  discordButtonJoin: 'discord.button.join',
  discordButtonLeave: 'discord.button.leave',
  /** The bot telling a player something in a direct message (promotion, cancellation, removal). */
  discordNotify: 'discord.notify',
  /** Root span of one due reminder job (notification daemon). */
  scheduledReminder: 'scheduled.reminder',
  /** Root span of one due status transition job (status daemon). */
  scheduledStatusTransition: 'scheduled.status_transition',
  /** Root span of a maintenance job putting parked schedule rows back in line (cron). */
  scheduledRetryParked: 'scheduled.retry_parked',
  /** Root span of a maintenance job deleting old processed schedule rows (cron). */
  scheduledRetention: 'scheduled.retention',
  /** Building or rebuilding a game's reminder or status schedule. */
  scheduleBuild: 'schedule.build',
  /** One pass of the outbox relay publishing pending rows. */
  outboxRelay: 'outbox.relay',
  /** Handling one consumed domain event. */
  /** PRODUCER span around one confirmed publish of a domain event (packages/messaging). */
  eventPublish: 'event.publish',
  eventProcess: 'event.process',
  /** Domain operations, named after what the user asked for. */
  gameCreate: 'game.create',
  gameUpdate: 'game.update',
  gameCancel: 'game.cancel',
  gameJoin: 'game.join',
  gameLeave: 'game.leave',
  /** A manager changing a guild's configuration: settings, a channel, its templates (API). */
  guildConfigure: 'guild.configure',
} as const;
export type SpanName = (typeof SpanNames)[keyof typeof SpanNames];

/** The instrumentation scope of our own metrics. */
export const METER_NAME = '@game-scheduler/telemetry';

/** Attribute keys: our own, plus the semantic-convention keys our code sets by hand. */
export const Attr = {
  discordUserId: 'discord.user_id',
  discordChannelId: 'discord.channel_id',
  discordGuildId: 'discord.guild_id',
  discordMessageId: 'discord.message_id',
  discordCustomId: 'discord.custom_id',
  discordCommand: 'discord.command',
  discordInteractionType: 'discord.interaction_type',
  discordEventName: 'discord.event_name',
  discordRestRoute: 'discord.rest.route',
  /** Guilds the bot is in when the gateway session is ready. */
  discordGuildCount: 'discord.guild_count',
  /** What the bot did to a game's announcement: posted, edited or reposted (deleted before). */
  announcementAction: 'discord.announcement.action',
  /** How many announcement requests one write served (a burst coalesced into one edit). */
  announcementCoalesced: 'discord.announcement.coalesced',
  schedulerJobId: 'scheduler.job_id',
  schedulerTrigger: 'scheduler.trigger',
  /** Low-cardinality name of a scheduler's job (e.g. `status_transition`), for its metrics. */
  schedulerJob: 'scheduler.job',
  notificationType: 'notification.type',
  notificationChannel: 'notification.channel',
  gameId: 'game.id',
  gameStatusTransition: 'game.status_transition',
  gameSource: 'game.source',
  rosterList: 'game.roster_list',
  /** What a guild configuration write changed (`guild.configure`, `guild.config.changes`). */
  guildConfigChange: 'guild.config_change',
  outcome: 'outcome',
  eventType: 'messaging.event.type',
  eventVersion: 'messaging.event.version',
  outboxId: 'outbox.id',
  retryAttempt: 'messaging.retry.attempt',
  /** Which of a service's queues: `main`, `retry` or `dead_letter` (queue depth). */
  messagingQueueKind: 'messaging.queue.kind',
  // semantic conventions we set ourselves
  messagingSystem: 'messaging.system',
  messagingDestinationName: 'messaging.destination.name',
  messagingMessageId: 'messaging.message.id',
  messagingOperationType: 'messaging.operation.type',
  errorType: 'error.type',
  httpRequestMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpResponseStatusCode: 'http.response.status_code',
  urlScheme: 'url.scheme',
  urlPath: 'url.path',
  urlFull: 'url.full',
  userAgentOriginal: 'user_agent.original',
  networkProtocolVersion: 'network.protocol.version',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  dbSystemName: 'db.system.name',
  dbOperationName: 'db.operation.name',
  dbCollectionName: 'db.collection.name',
  dbNamespace: 'db.namespace',
  dbQueryText: 'db.query.text',
  dbResponseStatusCode: 'db.response.status_code',
  dbClientConnectionState: 'db.client.connection.state',
  dbClientConnectionPoolName: 'db.client.connection.pool.name',
} as const;
export type AttrKey = (typeof Attr)[keyof typeof Attr];

/** Values of the enumerated attributes. */
export const AttrValues = {
  schedulerTrigger: { notify: 'notify', timer: 'timer', startup: 'startup', cron: 'cron' },
  notificationChannel: { dm: 'dm', fallback: 'fallback' },
  notificationType: {
    reminder: 'reminder',
    promoted: 'promoted',
    cancelled: 'cancelled',
    removed: 'removed',
  },
  gameSource: { discord: 'discord', api: 'api' },
  rosterList: { participant: 'participant', waitlist: 'waitlist' },
  guildConfigChange: {
    settings: 'settings',
    channel: 'channel',
    templateCreated: 'template_created',
    templateUpdated: 'template_updated',
    templateDeleted: 'template_deleted',
    templatesReordered: 'templates_reordered',
  },
  outcome: { success: 'success', rejected: 'rejected', error: 'error' },
  discordInteractionType: { command: 'command', button: 'button', other: 'other' },
  announcementAction: { posted: 'posted', edited: 'edited', reposted: 'reposted' },
  messagingQueueKind: { main: 'main', retry: 'retry', deadLetter: 'dead_letter' },
} as const;

export type InstrumentKind =
  | 'counter'
  | 'up_down_counter'
  | 'histogram'
  | 'gauge'
  /** Read by a callback at each collection (createObservableGauge). */
  | 'observable_gauge';

export interface MetricDefinition {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly unit: string;
  readonly description: string;
  /** The only attributes this instrument keeps (enforced by a metric view). */
  readonly attributes: readonly string[];
  /** Explicit histogram bucket boundaries, in `unit`. */
  readonly buckets?: readonly number[];
}

function metric<const T extends MetricDefinition>(definition: T): T {
  return definition;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Our own instruments. Create them with the helpers in metrics.ts. */
export const Metrics = {
  gamesCreated: metric({
    name: 'games.created',
    kind: 'counter',
    unit: '{game}',
    description: 'Games created, by where they were created.',
    attributes: [Attr.gameSource],
  }),
  gamesCancelled: metric({
    name: 'games.cancelled',
    kind: 'counter',
    unit: '{game}',
    description: 'Games cancelled by their host.',
    attributes: [Attr.gameSource],
  }),
  gameStatusTransitions: metric({
    name: 'games.status_transitions',
    kind: 'counter',
    unit: '{transition}',
    description: 'Game status transitions applied, by transition.',
    attributes: [Attr.gameStatusTransition],
  }),
  playersJoined: metric({
    name: 'players.joined',
    kind: 'counter',
    unit: '{player}',
    description: 'Players who joined a game, by whether they landed on the roster or the waitlist.',
    attributes: [Attr.rosterList],
  }),
  playersLeft: metric({
    name: 'players.left',
    kind: 'counter',
    unit: '{player}',
    description: 'Players who left a game, by the list they left.',
    attributes: [Attr.rosterList],
  }),
  guildConfigChanges: metric({
    name: 'guild.config.changes',
    kind: 'counter',
    unit: '{change}',
    description: 'Guild configuration changes (settings, channels, templates), by what changed.',
    attributes: [Attr.guildConfigChange],
  }),
  discordInteractions: metric({
    name: 'discord.interactions',
    kind: 'counter',
    unit: '{interaction}',
    description: 'Discord interactions handled, by type and outcome.',
    attributes: [Attr.discordInteractionType, Attr.discordCommand, Attr.outcome],
  }),
  discordRestRequests: metric({
    name: 'discord.rest.requests',
    kind: 'counter',
    unit: '{request}',
    description: 'Discord REST API calls, by method, route template and response status.',
    attributes: [Attr.httpRequestMethod, Attr.discordRestRoute, Attr.httpResponseStatusCode],
  }),
  discordAnnouncementWrites: metric({
    name: 'discord.announcement.writes',
    kind: 'counter',
    unit: '{message}',
    description: 'Announcement messages posted, edited or reposted by the bot (bursts coalesced).',
    attributes: [Attr.announcementAction],
  }),
  remindersSent: metric({
    name: 'reminders.sent',
    kind: 'counter',
    unit: '{reminder}',
    description: 'Reminders delivered, by channel (dm or fallback channel mention).',
    attributes: [Attr.notificationChannel, Attr.notificationType],
  }),
  reminderLateness: metric({
    name: 'reminders.lateness',
    kind: 'histogram',
    unit: 's',
    description: 'How late a reminder was delivered relative to its due time.',
    attributes: [Attr.notificationType],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  }),
  schedulerLateness: metric({
    name: 'scheduler.job.lateness',
    kind: 'histogram',
    unit: 's',
    description: 'How late a due schedule row was processed relative to its due time, by job.',
    attributes: [Attr.schedulerJob],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  }),
  schedulerRetries: metric({
    name: 'scheduler.job.retries',
    kind: 'counter',
    unit: '{row}',
    description: 'Due schedule rows whose handler failed and that were set to retry later, by job.',
    attributes: [Attr.schedulerJob],
  }),
  schedulerParked: metric({
    name: 'scheduler.job.parked',
    kind: 'counter',
    unit: '{row}',
    description: 'Due schedule rows parked after failing every attempt, by job.',
    attributes: [Attr.schedulerJob],
  }),
  messagingRetries: metric({
    name: 'messaging.retries',
    kind: 'counter',
    unit: '{message}',
    description: 'Consumed messages sent to the delayed retry path, by queue and event type.',
    attributes: [Attr.messagingDestinationName, Attr.eventType],
  }),
  messagingDeadLetters: metric({
    name: 'messaging.dead_letters',
    kind: 'counter',
    unit: '{message}',
    description: 'Messages that exhausted their retries and went to the dead-letter queue.',
    attributes: [Attr.messagingDestinationName, Attr.eventType],
  }),
  messagingQueueDepth: metric({
    name: 'messaging.queue.depth',
    kind: 'observable_gauge',
    unit: '{message}',
    description:
      'Messages ready in a queue (not yet delivered), observed by the consuming service at each collection: its main, retry and dead-letter queues.',
    attributes: [Attr.messagingDestinationName, Attr.messagingQueueKind],
  }),
  outboxLag: metric({
    name: 'outbox.lag',
    kind: 'histogram',
    unit: 's',
    description: 'Time from an outbox row being written to its publish being confirmed.',
    attributes: [Attr.eventType],
    buckets: SECONDS_BUCKETS,
  }),
  outboxPending: metric({
    name: 'outbox.pending',
    kind: 'observable_gauge',
    unit: '{row}',
    description:
      'Outbox rows not yet published (set-aside rows that break their contract excluded).',
    attributes: [],
  }),
  outboxPendingAge: metric({
    name: 'outbox.pending.age',
    kind: 'observable_gauge',
    unit: 's',
    description: 'Age of the oldest outbox row not yet published; 0 when none is pending.',
    attributes: [],
  }),
} as const;
export type MetricName = (typeof Metrics)[keyof typeof Metrics]['name'];

/**
 * Instruments recorded by the instrumentations we enable, with the attributes we keep.
 * Listed here so that the views bound their cardinality too.
 */
export const InstrumentationMetrics = {
  httpServerDuration: metric({
    name: 'http.server.request.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Duration of HTTP server requests.',
    // The HTTP semantic conventions' advice (the alerts' 0.5 s and 1 s thresholds are boundaries).
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    attributes: [
      Attr.httpRequestMethod,
      Attr.httpRoute,
      Attr.httpResponseStatusCode,
      Attr.urlScheme,
      Attr.errorType,
      Attr.networkProtocolVersion,
    ],
  }),
  httpClientDuration: metric({
    name: 'http.client.request.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Duration of HTTP client requests.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    attributes: [
      Attr.httpRequestMethod,
      Attr.httpResponseStatusCode,
      Attr.serverAddress,
      Attr.serverPort,
      Attr.urlScheme,
      Attr.errorType,
    ],
  }),
  dbClientOperationDuration: metric({
    name: 'db.client.operation.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Duration of database client operations.',
    // The database semantic conventions' advice.
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
    attributes: [
      Attr.dbSystemName,
      Attr.dbOperationName,
      Attr.dbCollectionName,
      Attr.dbNamespace,
      Attr.dbResponseStatusCode,
      Attr.errorType,
      Attr.serverAddress,
      Attr.serverPort,
    ],
  }),
  dbClientConnectionCount: metric({
    name: 'db.client.connection.count',
    kind: 'observable_gauge',
    unit: '{connection}',
    description:
      'Connections of a PostgreSQL pool, by state (used, idle), read at each collection.',
    attributes: [Attr.dbClientConnectionState, Attr.dbClientConnectionPoolName],
  }),
  dbClientConnectionPendingRequests: metric({
    name: 'db.client.connection.pending_requests',
    kind: 'observable_gauge',
    unit: '{request}',
    description: 'Requests waiting for a connection of a PostgreSQL pool, read at each collection.',
    attributes: [Attr.dbClientConnectionPoolName],
  }),
} as const;

/** Every instrument name known to the project. */
export const allMetricDefinitions: readonly MetricDefinition[] = [
  ...Object.values(Metrics),
  ...Object.values(InstrumentationMetrics),
];
