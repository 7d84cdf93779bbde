// The few Discord REST calls reminders need, over @discordjs/rest (which queues by route and waits
// out 429s). Each call is ONE CLIENT span `discord.rest` with the method, the route template, the
// server and the response status; the undici instrumentation's own span for the same request is
// suppressed beneath it (its http.client.request.duration metric stays). Calls count in
// `discord.rest.requests`.
import { DiscordAPIError, HTTPError, REST } from '@discordjs/rest';
import { Attr, Metrics, SpanNames, createCounter, withSpan } from '@game-scheduler/telemetry';
import { SpanKind } from '@opentelemetry/api';
import { Routes, type RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';

/** Discord's "Cannot send messages to this user" (DMs closed, or no shared guild). */
export const CANNOT_SEND_TO_USER = 50007;
/** Discord's "Unknown Channel". */
const UNKNOWN_CHANNEL = 10003;
/** DM channels remembered (a user's DM channel with the bot does not change). */
const DM_CHANNEL_CACHE_SIZE = 50_000;

export interface DiscordMessage {
  readonly id: string;
  readonly channelId: string;
  readonly content: string;
  readonly nonce: string | null;
}

export interface ReminderDiscord {
  /** Opens (or finds) the DM channel with `userId`; returns its id. */
  openDm(userId: string): Promise<string>;
  /** Posts a message; `nonce` with `enforce_nonce` lets Discord drop a repeat of the same send. */
  sendMessage(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<DiscordMessage>;
  /** The newest messages of a channel (at most `limit`, newest first). */
  recentMessages(channelId: string, limit: number): Promise<DiscordMessage[]>;
}

export interface DiscordClientOptions {
  readonly botToken: string;
  /** Base URL without the version, e.g. `https://discord.com/api` or the simulator's `apiUrl`. */
  readonly apiUrl: string;
  readonly retries?: number;
  readonly timeoutMs?: number;
  /** Requests per second the client allows itself across all routes (Discord's default: 50). */
  readonly globalRequestsPerSecond?: number;
}

/** The Discord error code of a failed call (e.g. 50007), or undefined. */
export function discordErrorCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) return error.status;
  return undefined;
}

interface RawMessage {
  id: string;
  channel_id: string;
  content?: string;
  nonce?: string | number | null;
}

function toMessage(raw: RawMessage): DiscordMessage {
  return {
    id: raw.id,
    channelId: raw.channel_id,
    content: raw.content ?? '',
    nonce: raw.nonce === undefined || raw.nonce === null ? null : String(raw.nonce),
  };
}

export function createDiscordClient(options: DiscordClientOptions): ReminderDiscord {
  const rest = new REST({
    api: options.apiUrl,
    retries: options.retries ?? 3,
    timeout: options.timeoutMs ?? 15_000,
    globalRequestsPerSecond: options.globalRequestsPerSecond ?? 50,
  }).setToken(options.botToken);
  // user id → DM channel id: opening a DM is one request per reminder otherwise, half of the global
  // budget. Oldest entries go first once full; a channel Discord no longer knows is forgotten.
  const dmChannels = new Map<string, string>();
  const requests = createCounter(Metrics.discordRestRequests);
  const server = new URL(options.apiUrl);
  const serverAttributes = {
    [Attr.serverAddress]: server.hostname,
    [Attr.serverPort]: Number(server.port || (server.protocol === 'https:' ? 443 : 80)),
    [Attr.urlScheme]: server.protocol.replace(':', ''),
  };

  async function call<T>(method: 'GET' | 'POST', route: string, run: () => Promise<T>) {
    return withSpan(
      SpanNames.discordRest,
      {
        [Attr.httpRequestMethod]: method,
        [Attr.discordRestRoute]: route,
        ...serverAttributes,
      },
      async (span) => {
        try {
          const result = await run();
          span.setAttribute(Attr.httpResponseStatusCode, 200);
          requests.add(1, {
            [Attr.httpRequestMethod]: method,
            [Attr.discordRestRoute]: route,
            [Attr.httpResponseStatusCode]: 200,
          });
          return result;
        } catch (error) {
          const status = statusOf(error);
          if (status !== undefined) span.setAttribute(Attr.httpResponseStatusCode, status);
          requests.add(1, {
            [Attr.httpRequestMethod]: method,
            [Attr.discordRestRoute]: route,
            ...(status === undefined ? {} : { [Attr.httpResponseStatusCode]: status }),
          });
          throw error;
        }
      },
      { kind: SpanKind.CLIENT, suppressNested: true },
    );
  }

  return {
    async openDm(userId) {
      const known = dmChannels.get(userId);
      if (known !== undefined) return known;
      const channel = await call('POST', '/users/@me/channels', () =>
        rest.post(Routes.userChannels(), { body: { recipient_id: userId } }),
      );
      const { id } = channel as { id: string };
      if (dmChannels.size >= DM_CHANNEL_CACHE_SIZE) {
        const oldest = dmChannels.keys().next();
        if (oldest.done !== true) dmChannels.delete(oldest.value);
      }
      dmChannels.set(userId, id);
      return id;
    },
    async sendMessage(channelId, body) {
      try {
        const raw = await call('POST', '/channels/:channel_id/messages', () =>
          rest.post(Routes.channelMessages(channelId), { body }),
        );
        return toMessage(raw as RawMessage);
      } catch (error) {
        if (discordErrorCode(error) === UNKNOWN_CHANNEL) {
          for (const [userId, dm] of dmChannels) if (dm === channelId) dmChannels.delete(userId);
        }
        throw error;
      }
    },
    async recentMessages(channelId, limit) {
      const raw = await call('GET', '/channels/:channel_id/messages', () =>
        rest.get(Routes.channelMessages(channelId), {
          query: new URLSearchParams({ limit: String(limit) }),
        }),
      );
      return (raw as RawMessage[]).map(toMessage);
    },
  };
}
