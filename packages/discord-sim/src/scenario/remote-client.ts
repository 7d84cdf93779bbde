import type { GatewayLogEntry } from '../gateway/gateway-server.ts';
import type { CallFilter, RecordedCall } from '../http/call-log.ts';
import type { FaultSpec } from '../rate-limit/fault-injector.ts';
import type { RateLimitOptions } from '../rate-limit/rate-limiter.ts';
import type { JsonObject, SimInteraction } from '../state/types.ts';
import type {
  ChannelInput,
  GuildHandle,
  GuildInput,
  MemberInput,
  RoleInput,
  ScenarioDefinition,
  ScenarioHandle,
  UserInput,
} from './declarations.ts';
import type { ButtonClickInput, InteractionHandle, SlashCommandInput } from './interactions.ts';

export type RemoteInteraction = SimInteraction & { original: JsonObject | null };

/** Drives a simulator in another process through its /_sim endpoints (benchmarks, compose demos). */
export interface DiscordSimClient {
  health(): Promise<{ ok: boolean; url: string; gatewayConnections: number }>;
  application(): Promise<{
    id: string;
    botUserId: string;
    botToken: string;
    clientId: string;
    clientSecret: string;
    name: string;
  }>;
  state(): Promise<JsonObject>;
  loadScenario(definition: ScenarioDefinition): Promise<ScenarioHandle>;
  addUser(input: UserInput): Promise<string>;
  setDmsClosed(userId: string, closed?: boolean): Promise<void>;
  addGuild(input: GuildInput): Promise<GuildHandle>;
  addChannel(guildId: string, input: ChannelInput): Promise<string>;
  addRole(guildId: string, input: RoleInput): Promise<string>;
  addMember(guildId: string, input: MemberInput): Promise<string>;
  setOAuthUser(userId: string | null): Promise<void>;
  runSlashCommand(input: SlashCommandInput): Promise<InteractionHandle>;
  clickButton(input: ButtonClickInput): Promise<InteractionHandle>;
  interaction(id: string): Promise<RemoteInteraction>;
  waitForInteractionResponse(id: string, timeoutMs?: number): Promise<RemoteInteraction>;
  calls(filter?: Omit<CallFilter, 'path'> & { path?: string }): Promise<RecordedCall[]>;
  clearCalls(): Promise<void>;
  clearActivity(): Promise<void>;
  waitForCall(
    filter: Omit<CallFilter, 'path'> & { path?: string },
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  messages(channelId: string): Promise<JsonObject[]>;
  dms(userId: string): Promise<JsonObject[]>;
  message(messageId: string): Promise<JsonObject>;
  commands(guildId?: string): Promise<JsonObject[]>;
  rateLimits(): Promise<Required<RateLimitOptions>>;
  setRateLimits(options: RateLimitOptions): Promise<Required<RateLimitOptions>>;
  failRoute(spec: FaultSpec): Promise<void>;
  clearFaults(): Promise<void>;
  requestGatewayReconnect(): Promise<void>;
  dropGatewayConnections(code?: number): Promise<void>;
  waitForGateway(count?: number, timeoutMs?: number): Promise<void>;
  gatewayLog(): Promise<GatewayLogEntry[]>;
}

/** `baseUrl` is the simulator's http://host:port. Errors carry the simulator's reason. */
export function createDiscordSimClient(baseUrl: string): DiscordSimClient {
  const root = baseUrl.replace(/\/$/, '');
  async function request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${root}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload: unknown = await response.json();
    if (!response.ok) {
      const reason = (payload as { error?: unknown } | null)?.error;
      throw new Error(
        `discord-sim ${method} /_sim${path} failed (${response.status}): ${String(reason)}`,
      );
    }
    return payload;
  }
  const query = (values: Record<string, string | number | undefined>): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(values))
      if (value !== undefined) params.set(key, String(value));
    const text = params.toString();
    return text === '' ? '' : `?${text}`;
  };

  return {
    health: async () =>
      (await request('GET', '/health')) as { ok: boolean; url: string; gatewayConnections: number },
    application: async () =>
      (await request('GET', '/application')) as Awaited<
        ReturnType<DiscordSimClient['application']>
      >,
    state: async () => (await request('GET', '/state')) as JsonObject,
    loadScenario: async (definition) =>
      (await request('POST', '/scenario', definition)) as ScenarioHandle,
    addUser: async (input) => ((await request('POST', '/users', input)) as { id: string }).id,
    setDmsClosed: async (userId, closed = true) => {
      await request('PATCH', `/users/${userId}`, { dmsClosed: closed });
    },
    addGuild: async (input) => (await request('POST', '/guilds', input)) as GuildHandle,
    addChannel: async (guildId, input) =>
      ((await request('POST', `/guilds/${guildId}/channels`, input)) as { id: string }).id,
    addRole: async (guildId, input) =>
      ((await request('POST', `/guilds/${guildId}/roles`, input)) as { id: string }).id,
    addMember: async (guildId, input) =>
      ((await request('POST', `/guilds/${guildId}/members`, input)) as { userId: string }).userId,
    setOAuthUser: async (userId) => {
      await request('PUT', '/oauth/user', { userId });
    },
    runSlashCommand: async (input) =>
      (await request('POST', '/interactions/slash-command', input)) as InteractionHandle,
    clickButton: async (input) =>
      (await request('POST', '/interactions/button', input)) as InteractionHandle,
    interaction: async (id) => (await request('GET', `/interactions/${id}`)) as RemoteInteraction,
    waitForInteractionResponse: async (id, timeoutMs) =>
      (await request(
        'GET',
        `/interactions/${id}/response${query({ timeoutMs })}`,
      )) as RemoteInteraction,
    calls: async (filter = {}) =>
      (await request('GET', `/calls${query({ ...filter })}`)) as RecordedCall[],
    clearCalls: async () => {
      await request('DELETE', '/calls');
    },
    clearActivity: async () => {
      await request('POST', '/clear-activity');
    },
    waitForCall: async (filter, timeoutMs) =>
      (await request('POST', '/calls/wait', { filter, timeoutMs })) as RecordedCall,
    messages: async (channelId) =>
      (await request('GET', `/channels/${channelId}/messages`)) as JsonObject[],
    dms: async (userId) => (await request('GET', `/users/${userId}/dms`)) as JsonObject[],
    message: async (messageId) => (await request('GET', `/messages/${messageId}`)) as JsonObject,
    commands: async (guildId) =>
      (await request('GET', `/commands${query({ guildId })}`)) as JsonObject[],
    rateLimits: async () => (await request('GET', '/rate-limits')) as Required<RateLimitOptions>,
    setRateLimits: async (options) =>
      (await request('PUT', '/rate-limits', options)) as Required<RateLimitOptions>,
    failRoute: async (spec) => {
      await request('POST', '/faults', spec);
    },
    clearFaults: async () => {
      await request('DELETE', '/faults');
    },
    requestGatewayReconnect: async () => {
      await request('POST', '/gateway/reconnect');
    },
    dropGatewayConnections: async (code) => {
      await request('POST', '/gateway/drop', { code });
    },
    waitForGateway: async (count = 1, timeoutMs) => {
      await request('GET', `/gateway/wait${query({ count, timeoutMs })}`);
    },
    gatewayLog: async () => (await request('GET', '/gateway/log')) as GatewayLogEntry[],
  };
}
