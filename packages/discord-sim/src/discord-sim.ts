import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GatewayServer } from './gateway/gateway-server.ts';
import type { GatewayLogEntry } from './gateway/gateway-server.ts';
import { CallLog } from './http/call-log.ts';
import type { CallFilter, CallPredicate, RecordedCall } from './http/call-log.ts';
import { createRequestDispatcher, createUpgradeDispatcher } from './http/dispatch.ts';
import type { DispatchTargets } from './http/dispatch.ts';
import { startHttpServer, stopHttpServer } from './http/server.ts';
import { silentLogger } from './logger.ts';
import type { SimLogger } from './logger.ts';
import { FaultInjector } from './rate-limit/fault-injector.ts';
import type { FaultSpec, FlakySpec } from './rate-limit/fault-injector.ts';
import { RateLimiter } from './rate-limit/rate-limiter.ts';
import type { RateLimitOptions } from './rate-limit/rate-limiter.ts';
import type { SimContext } from './rest/context.ts';
import { createRestRouter } from './rest/rest-router.ts';
import {
  declareChannel,
  declareGuild,
  declareMember,
  declareRole,
  declareUser,
  loadScenario,
  setDmsClosed,
} from './scenario/declarations.ts';
import type {
  ChannelInput,
  GuildHandle,
  GuildInput,
  MemberInput,
  RoleInput,
  ScenarioDefinition,
  ScenarioHandle,
  UserInput,
} from './scenario/declarations.ts';
import { clickButton, runSlashCommand } from './scenario/interactions.ts';
import type {
  ButtonClickInput,
  InteractionHandle,
  SlashCommandInput,
} from './scenario/interactions.ts';
import { handleScenarioRequest } from './scenario/scenario-routes.ts';
import { waitUntil } from './scenario/wait.ts';
import type { WaitOptions } from './scenario/wait.ts';
import { createSnowflakeGenerator } from './snowflake.ts';
import { SimStore } from './state/store.ts';
import type { JsonObject, SimInteraction } from './state/types.ts';

export interface ApplicationOptions {
  /** Application id, also the bot user's id (as for modern Discord apps). Default 1300000000000000001. */
  id?: string;
  name?: string;
  /** The token the bot logs in with (REST `Authorization: Bot …` and gateway IDENTIFY). */
  botToken?: string;
  /** OAuth2 client secret (client id is the application id). */
  clientSecret?: string;
  /** Allowed OAuth2 redirect URIs; empty (default) accepts any. */
  redirectUris?: string[];
  botUsername?: string;
}

export interface DiscordSimOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  application?: ApplicationOptions;
  /** Users and guilds to start with. */
  scenario?: ScenarioDefinition;
  /** Rate limits (default: on, 50/s global, 5 per 5 s for message create/edit per channel, 50/s elsewhere). */
  rateLimits?: RateLimitOptions;
  /** HELLO's heartbeat_interval. Default 41250. */
  heartbeatIntervalMs?: number;
  /** Time allowed for an interaction's initial callback (Discord: 3000 ms); null disables the check. */
  interactionDeadlineMs?: number | null;
  /** pino-compatible logger; silent by default. */
  logger?: SimLogger;
  /** How many recorded calls to keep (oldest dropped first). Default 100000. */
  callLogLimit?: number;
}

export const DEFAULT_APPLICATION_ID = '1300000000000000001';
export const DEFAULT_BOT_TOKEN = 'discord-sim-bot-token';
export const DEFAULT_CLIENT_SECRET = 'discord-sim-client-secret';

/** A running simulated Discord: REST v10, Gateway, OAuth2 and the scenario API on one port. */
export class DiscordSim {
  readonly host: string;
  readonly port: number;
  /** http://host:port */
  readonly url: string;
  /** http://host:port/api — what discord.js takes as `rest.api`. */
  readonly apiUrl: string;
  /** ws://host:port/gateway */
  readonly gatewayUrl: string;
  readonly store: SimStore;
  readonly #ctx: SimContext;
  readonly #gateway: GatewayServer;
  readonly #server: Server;
  readonly #limiter: RateLimiter;
  readonly #faults: FaultInjector;
  readonly #calls: CallLog;

  /** @internal Use createDiscordSim(). */
  constructor(parts: {
    host: string;
    port: number;
    server: Server;
    ctx: SimContext;
    gateway: GatewayServer;
  }) {
    this.host = parts.host;
    this.port = parts.port;
    const displayHost = parts.host.includes(':') ? `[${parts.host}]` : parts.host;
    this.url = `http://${displayHost}:${parts.port}`;
    this.apiUrl = `${this.url}/api`;
    this.gatewayUrl = `ws://${displayHost}:${parts.port}/gateway`;
    this.#server = parts.server;
    this.#ctx = parts.ctx;
    this.#gateway = parts.gateway;
    this.store = parts.ctx.store;
    this.#limiter = parts.ctx.limiter;
    this.#faults = parts.ctx.faults;
    this.#calls = parts.ctx.calls;
  }

  /** Application id, bot user id, bot token and OAuth2 client credentials. */
  get application(): {
    id: string;
    botUserId: string;
    botToken: string;
    clientId: string;
    clientSecret: string;
    name: string;
  } {
    const app = this.store.application;
    return {
      id: app.id,
      botUserId: app.botUserId,
      botToken: app.botToken,
      clientId: app.id,
      clientSecret: app.clientSecret,
      name: app.name,
    };
  }

  async close(): Promise<void> {
    await this.#gateway.close();
    await stopHttpServer(this.#server);
  }

  // ── Declaring the world ──────────────────────────────────────────────────────────────────────

  addUser(input: UserInput): string {
    return declareUser(this.#ctx, input).id;
  }

  addGuild(input: GuildInput): GuildHandle {
    return declareGuild(this.#ctx, input);
  }

  addChannel(guildId: string, input: ChannelInput): string {
    return declareChannel(this.#ctx, guildId, input).id;
  }

  addRole(guildId: string, input: RoleInput): string {
    return declareRole(this.#ctx, guildId, input).id;
  }

  /** Adds (or updates: nick, roles) a member; returns the user id. */
  addMember(guildId: string, input: MemberInput): string {
    return declareMember(this.#ctx, guildId, input).userId;
  }

  loadScenario(definition: ScenarioDefinition): ScenarioHandle {
    return loadScenario(this.#ctx, definition);
  }

  setDmsClosed(userId: string, closed = true): void {
    setDmsClosed(this.#ctx, userId, closed);
  }

  /** The user OAuth2 authorize logs in as when the request names none. */
  setOAuthUser(userId: string | null): void {
    if (userId !== null && !this.store.users.has(userId))
      throw new Error(`discord-sim: unknown user ${userId}`);
    this.store.oauthDefaultUserId = userId;
  }

  setBotToken(token: string): void {
    this.store.application.botToken = token;
  }

  // ── Acting as users ──────────────────────────────────────────────────────────────────────────

  runSlashCommand(input: SlashCommandInput): InteractionHandle {
    return runSlashCommand(this.#ctx, input);
  }

  clickButton(input: ButtonClickInput): InteractionHandle {
    return clickButton(this.#ctx, input);
  }

  // ── Failure behaviour ────────────────────────────────────────────────────────────────────────

  setRateLimits(options: RateLimitOptions): void {
    this.#limiter.configure(options);
  }

  get rateLimits(): Required<RateLimitOptions> {
    return this.#limiter.options;
  }

  /** Makes a route answer with an error (default 500) the next `times` (default 1) calls. */
  failRoute(spec: FaultSpec): void {
    this.#faults.add(spec);
  }

  /**
   * Makes Discord flaky: a share of the requests (every route unless one is named) answer a 5xx
   * (default 503) or a 429, for `forMs` or until `clearFaults()`. See FlakySpec.
   */
  failRequests(spec: FlakySpec = {}): void {
    this.#faults.addFlaky(spec);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Sends op 7 RECONNECT to every gateway connection (clients resume). */
  requestGatewayReconnect(): void {
    this.#gateway.requestReconnect();
  }

  /** Closes every gateway socket with a resumable code (default 4000). */
  dropGatewayConnections(code?: number): void {
    this.#gateway.dropConnections(code);
  }

  /** Gateway frames in and out (op, event name, sequence, session), oldest first. */
  gatewayLog(): GatewayLogEntry[] {
    return this.#gateway.log;
  }

  get gatewayConnectionCount(): number {
    return this.#gateway.connectedSessionCount;
  }

  // ── Reading back ─────────────────────────────────────────────────────────────────────────────

  calls(filter?: CallFilter | CallPredicate): RecordedCall[] {
    return this.#calls.list(filter);
  }

  /** seq of the latest recorded call (use as `afterSeq` to look only at later calls). */
  get lastCallSeq(): number {
    return this.#calls.lastSeq;
  }

  clearCalls(): void {
    this.#calls.clear();
  }

  /**
   * Between tests sharing one simulator: forgets messages, interactions, recorded calls, injected
   * faults and rate-limit counters; keeps the world (users, guilds, commands) and gateway sessions.
   */
  clearActivity(): void {
    this.store.clearActivity();
    this.#calls.clear();
    this.#faults.clear();
    this.#limiter.configure({});
  }

  /** Messages visible in a channel, oldest first. */
  messages(channelId: string): JsonObject[] {
    return [...(this.store.messagesByChannel.get(channelId) ?? [])];
  }

  /** Messages the bot sent to a user by DM, oldest first. */
  dms(userId: string): JsonObject[] {
    const channelId = this.store.dmChannelByUser.get(userId);
    return channelId === undefined ? [] : this.messages(channelId);
  }

  /** Any message by id, including ephemeral interaction replies. */
  message(messageId: string): JsonObject | undefined {
    return this.store.getMessage(messageId);
  }

  interaction(id: string): SimInteraction | undefined {
    return this.store.interactions.get(id);
  }

  /** The message behind an interaction's @original (reply, or the clicked message for components). */
  originalResponse(interactionId: string): JsonObject | undefined {
    const id = this.store.interactions.get(interactionId)?.originalMessageId;
    return id ? this.store.getMessage(id) : undefined;
  }

  commands(guildId?: string): JsonObject[] {
    return guildId === undefined
      ? [...this.store.globalCommands]
      : [...(this.store.guildCommands.get(guildId) ?? [])];
  }

  /** A JSON-friendly picture of the whole state. */
  snapshot(): JsonObject {
    const s = this.store;
    return {
      application: {
        id: s.application.id,
        name: s.application.name,
        botUserId: s.application.botUserId,
      },
      users: [...s.users.values()],
      guilds: [...s.guilds.values()].map((g) => ({
        ...g,
        roles: s.guildRoles(g.id),
        channels: s.guildChannels(g.id),
        members: s.guildMembers(g.id),
      })),
      dmChannels: Object.fromEntries(s.dmChannelByUser),
      messages: Object.fromEntries(s.messagesByChannel),
      ephemeralMessages: [...s.ephemeralMessages.values()],
      commands: { global: s.globalCommands, guilds: Object.fromEntries(s.guildCommands) },
      interactions: [...s.interactions.values()].map((i) => ({ ...i, token: i.token })),
      gatewayConnections: this.gatewayConnectionCount,
    };
  }

  // ── Waiting ──────────────────────────────────────────────────────────────────────────────────

  /** Resolves with the first truthy value of `predicate`, re-checked on every state change and call. */
  waitFor<T>(predicate: () => T | null | undefined | false, options?: WaitOptions): Promise<T> {
    return waitUntil(
      [
        { emitter: this.store, event: 'change' },
        { emitter: this.#calls, event: 'call' },
      ],
      predicate,
      options,
    );
  }

  /** The first recorded call (already made or future) that matches. */
  waitForCall(filter: CallFilter | CallPredicate, options?: WaitOptions): Promise<RecordedCall> {
    return this.waitFor(() => this.#calls.list(filter)[0], {
      description: 'a matching REST call',
      ...options,
    });
  }

  /** The interaction once its initial callback arrived. */
  waitForInteractionResponse(
    interactionId: string,
    options?: WaitOptions,
  ): Promise<SimInteraction> {
    return this.waitFor(
      () => {
        const interaction = this.store.interactions.get(interactionId);
        return interaction && interaction.responses.length > 0 ? interaction : undefined;
      },
      { description: `a response to interaction ${interactionId}`, ...options },
    );
  }

  /** The first message in a channel matching the predicate (any message when omitted). */
  waitForMessage(
    channelId: string,
    predicate: (m: JsonObject) => boolean = () => true,
    options?: WaitOptions,
  ): Promise<JsonObject> {
    return this.waitFor(() => this.messages(channelId).find(predicate), {
      description: `a message in channel ${channelId}`,
      ...options,
    });
  }

  /** The first DM to a user matching the predicate. */
  waitForDm(
    userId: string,
    predicate: (m: JsonObject) => boolean = () => true,
    options?: WaitOptions,
  ): Promise<JsonObject> {
    return this.waitFor(() => this.dms(userId).find(predicate), {
      description: `a DM to user ${userId}`,
      ...options,
    });
  }

  /** Resolves once at least `count` gateway sessions are connected and identified. */
  waitForGateway(count = 1, options?: WaitOptions): Promise<true> {
    return this.waitFor(() => this.#gateway.connectedSessionCount >= count || undefined, {
      description: `${count} gateway session(s)`,
      ...options,
    });
  }

  /** @internal */
  handleScenario(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    return handleScenarioRequest(this, req, res, path, query);
  }
}

/** Starts a simulator; `await sim.close()` stops it. */
export async function createDiscordSim(options: DiscordSimOptions = {}): Promise<DiscordSim> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const appOptions = options.application ?? {};
  const nextId = createSnowflakeGenerator();
  const appId = appOptions.id ?? DEFAULT_APPLICATION_ID;
  const store = new SimStore(nextId, {
    id: appId,
    name: appOptions.name ?? 'Game Scheduler',
    botUserId: appId,
    botToken: appOptions.botToken ?? DEFAULT_BOT_TOKEN,
    clientSecret: appOptions.clientSecret ?? DEFAULT_CLIENT_SECRET,
    redirectUris: appOptions.redirectUris ?? [],
  });
  declareUserForBot(store, appId, appOptions.botUsername ?? appOptions.name ?? 'Game Scheduler');

  let port = options.port ?? 0;
  const hostFor = (requestHost?: string) =>
    requestHost ?? `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const gateway = new GatewayServer({
    store,
    logger,
    gatewayUrl: (requestHost) => `ws://${hostFor(requestHost)}/gateway`,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
  });
  const ctx: SimContext = {
    store,
    calls: new CallLog(options.callLogLimit),
    limiter: new RateLimiter(options.rateLimits),
    faults: new FaultInjector(),
    logger,
    dispatch: (event, data, intent) => {
      gateway.dispatch(event, data, intent);
    },
    baseUrl: () => `http://${hostFor()}`,
    gatewayUrl: (requestHost) => `ws://${hostFor(requestHost)}/gateway`,
    interactionDeadlineMs:
      options.interactionDeadlineMs === undefined ? 3000 : options.interactionDeadlineMs,
  };
  const router = createRestRouter();
  let sim: DiscordSim | null = null;

  const targets: DispatchTargets = {
    router,
    ctx,
    scenario: (req, res, path, query) => {
      if (!sim) throw new Error('discord-sim is starting');
      return sim.handleScenario(req, res, path, query);
    },
    gateway: (req, socket, head) => {
      gateway.handleUpgrade(req, socket, head);
    },
  };
  const started = await startHttpServer(host, port, {
    request: createRequestDispatcher(targets),
    upgrade: createUpgradeDispatcher(targets),
    onError: (error) => {
      logger.error({ err: error }, 'discord-sim request failed');
    },
  });
  port = started.port;
  sim = new DiscordSim({ host, port, server: started.server, ctx, gateway });
  if (options.scenario) sim.loadScenario(options.scenario);
  logger.info({ url: sim.url }, 'discord-sim listening');
  return sim;
}

function declareUserForBot(store: SimStore, id: string, username: string): void {
  store.users.set(id, { id, username, globalName: null, bot: true, email: null, dmsClosed: false });
}
