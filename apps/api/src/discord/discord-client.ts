// The Discord REST calls the API makes: the OAuth2 token endpoint, the user's own profile and guilds
// (bearer token), and guild/channel/member lookups with the bot token. Plain fetch (undici), traced
// by the undici instrumentation as client spans of the request that needed them.
import { DomainError } from '@game-scheduler/domain';
import type { DiscordSettings } from '../config.ts';

export interface DiscordTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch milliseconds after which the access token must be refreshed. */
  readonly expiresAt: number;
  readonly scope: string;
}

export interface DiscordUser {
  readonly id: string;
  readonly username: string;
  readonly globalName: string | null;
  readonly avatar: string | null;
}

export interface DiscordUserGuild {
  readonly id: string;
  readonly name: string;
  readonly icon: string | null;
  readonly owner: boolean;
}

export interface DiscordGuildMember {
  readonly roleIds: readonly string[];
}

export interface DiscordRole {
  readonly id: string;
  readonly name: string;
  /** Permission bitfield as Discord sends it (a decimal string). */
  readonly permissions: string;
}

export interface DiscordGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  /** Every role, @everyone (whose id is the guild id) included. */
  readonly roles: readonly DiscordRole[];
}

export interface DiscordChannel {
  readonly id: string;
  readonly guildId: string | null;
  readonly name: string;
}

export interface DiscordClient {
  exchangeCode(code: string, redirectUri: string): Promise<DiscordTokens>;
  refresh(refreshToken: string): Promise<DiscordTokens>;
  currentUser(accessToken: string): Promise<DiscordUser>;
  currentUserGuilds(accessToken: string): Promise<DiscordUserGuild[]>;
  /** The member's roles, or null when the user is not in the guild (or the bot is not). */
  guildMember(guildId: string, userId: string): Promise<DiscordGuildMember | null>;
  guild(guildId: string): Promise<DiscordGuild | null>;
  channel(channelId: string): Promise<DiscordChannel | null>;
}

/** Thrown for a 401 from Discord: the token is no longer valid. */
export class DiscordUnauthorizedError extends DomainError {
  constructor() {
    super('UNAUTHENTICATED', 'Discord rejected the access token');
  }
}

const REQUEST_TIMEOUT_MS = 5_000;

type Json = Record<string, unknown>;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function requireStr(body: Json, key: string): string {
  const value = str(body[key]);
  if (value === null) {
    throw new DomainError('DEPENDENCY_UNAVAILABLE', `Discord answered without ${key}`);
  }
  return value;
}

export function createDiscordClient(settings: DiscordSettings): DiscordClient {
  const base = settings.apiUrl;

  async function call(
    path: string,
    init: RequestInit,
    { notFoundIsNull = false }: { notFoundIsNull?: boolean } = {},
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        ...init,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError('DEPENDENCY_UNAVAILABLE', 'Discord is unreachable', { cause: error });
    }
    if (response.status === 401) {
      await response.body?.cancel();
      throw new DiscordUnauthorizedError();
    }
    if (notFoundIsNull && (response.status === 404 || response.status === 403)) {
      await response.body?.cancel();
      return null;
    }
    if (response.status === 400 && path === '/oauth2/token') {
      await response.body?.cancel();
      throw new DomainError('UNAUTHENTICATED', 'Discord refused the authorization grant');
    }
    if (response.status === 429) {
      await response.body?.cancel();
      throw new DomainError('RATE_LIMITED', 'Discord is rate limiting us; try again shortly');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DomainError('DEPENDENCY_UNAVAILABLE', `Discord answered ${response.status}`);
    }
    return response.json();
  }

  const bot = { authorization: `Bot ${settings.botToken}` };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function tokenRequest(form: Record<string, string>): Promise<DiscordTokens> {
    const body = (await call('/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        ...form,
      }).toString(),
    })) as Json;
    const expiresIn = typeof body['expires_in'] === 'number' ? body['expires_in'] : 0;
    return {
      accessToken: requireStr(body, 'access_token'),
      refreshToken: requireStr(body, 'refresh_token'),
      expiresAt: Date.now() + expiresIn * 1000,
      scope: str(body['scope']) ?? '',
    };
  }

  return {
    exchangeCode: (code, redirectUri) =>
      tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
    refresh: (refreshToken) =>
      tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    async currentUser(accessToken) {
      const body = (await call('/users/@me', { headers: bearer(accessToken) })) as Json;
      return {
        id: requireStr(body, 'id'),
        username: requireStr(body, 'username'),
        globalName: str(body['global_name']),
        avatar: str(body['avatar']),
      };
    },
    async currentUserGuilds(accessToken) {
      const body = await call('/users/@me/guilds', { headers: bearer(accessToken) });
      if (!Array.isArray(body)) return [];
      return (body as Json[]).map((guild) => ({
        id: requireStr(guild, 'id'),
        name: requireStr(guild, 'name'),
        icon: str(guild['icon']),
        owner: guild['owner'] === true,
      }));
    },
    async guildMember(guildId, userId) {
      const body = (await call(
        `/guilds/${encodeURIComponent(guildId)}/members/${encodeURIComponent(userId)}`,
        { headers: bot },
        { notFoundIsNull: true },
      )) as Json | null;
      if (body === null) return null;
      const roles = Array.isArray(body['roles']) ? (body['roles'] as unknown[]) : [];
      return { roleIds: roles.filter((role): role is string => typeof role === 'string') };
    },
    async guild(guildId) {
      const body = (await call(
        `/guilds/${encodeURIComponent(guildId)}`,
        { headers: bot },
        { notFoundIsNull: true },
      )) as Json | null;
      if (body === null) return null;
      const roles = Array.isArray(body['roles']) ? (body['roles'] as Json[]) : [];
      return {
        id: requireStr(body, 'id'),
        name: requireStr(body, 'name'),
        ownerId: str(body['owner_id']) ?? '',
        roles: roles.map((role) => ({
          id: requireStr(role, 'id'),
          name: requireStr(role, 'name'),
          permissions: str(role['permissions']) ?? '0',
        })),
      };
    },
    async channel(channelId) {
      const body = (await call(
        `/channels/${encodeURIComponent(channelId)}`,
        { headers: bot },
        { notFoundIsNull: true },
      )) as Json | null;
      if (body === null) return null;
      return {
        id: requireStr(body, 'id'),
        guildId: str(body['guild_id']),
        name: str(body['name']) ?? '',
      };
    },
  };
}
