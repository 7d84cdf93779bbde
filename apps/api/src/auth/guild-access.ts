// Who may see and change what in a guild, from Discord (bot token member and guild lookups, the
// user's own guild list), cached in Redis for a few minutes so a page of requests costs Discord one
// call per kind. A member is an administrator when they own the guild or hold ADMINISTRATOR or
// MANAGE_GUILD through @everyone or one of their roles (computed from the cached guild's roles).
import type { GuildDirectory, GuildRoleDirectory, MembershipSource } from '@game-scheduler/games';
import type { Redis } from 'ioredis';
import type { DiscordClient, DiscordGuild, DiscordUserGuild } from '../discord/discord-client.ts';

export interface GuildAccess extends MembershipSource, GuildDirectory, GuildRoleDirectory {
  /** The user's guilds as Discord lists them for their OAuth2 token. */
  userGuilds(userId: string, accessToken: string): Promise<DiscordUserGuild[]>;
}

const ADMINISTRATOR = 1n << 3n;
const MANAGE_GUILD = 1n << 5n;

function permissionBits(value: string): bigint {
  try {
    return BigInt(value);
  } catch {
    return 0n;
  }
}

/** Owner, or ADMINISTRATOR / MANAGE_GUILD from @everyone or one of the member's roles. */
export function administersGuild(
  guild: DiscordGuild,
  userId: string,
  roleIds: readonly string[],
): boolean {
  if (guild.ownerId === userId) return true;
  const held = new Set([guild.id, ...roleIds]);
  const bits = guild.roles
    .filter((role) => held.has(role.id))
    .reduce((all, role) => all | permissionBits(role.permissions), 0n);
  return (bits & (ADMINISTRATOR | MANAGE_GUILD)) !== 0n;
}

export function createGuildAccess(
  redis: Redis,
  discord: DiscordClient,
  options: { prefix: string; ttlSeconds: number },
): GuildAccess {
  /** The cached answer (`hit`), or `load()`'s, cached for the TTL; a null answer (not a member,
   * bot not in the guild) is cached too. */
  async function orLoad<T>(key: string, hit: string | null, load: () => Promise<T>): Promise<T> {
    if (hit !== null) return JSON.parse(hit) as T;
    const value = await load();
    await redis.set(key, JSON.stringify(value), 'EX', options.ttlSeconds);
    return value;
  }

  async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return orLoad(key, await redis.get(key), load);
  }

  const guildKey = (guildId: string) => `${options.prefix}guild:${guildId}`;
  const loadGuild = (guildId: string) => () => discord.guild(guildId);
  const guildInfo = (guildId: string) => cached(guildKey(guildId), loadGuild(guildId));

  return {
    async membership(guildId, userId) {
      // Every guild-scoped request asks this: member and guild in one round trip to Redis.
      const memberKey = `${options.prefix}member:${guildId}:${userId}`;
      const [memberHit, guildHit] = await redis.mget(memberKey, guildKey(guildId));
      const roles = await orLoad(memberKey, memberHit ?? null, async () => {
        const member = await discord.guildMember(guildId, userId);
        return member === null ? null : [...member.roleIds];
      });
      if (roles === null) return null;
      const guild = await orLoad(guildKey(guildId), guildHit ?? null, loadGuild(guildId));
      return {
        guildId,
        roleIds: roles,
        administrator: guild !== null && administersGuild(guild, userId, roles),
      };
    },
    async userGuilds(userId, accessToken) {
      return cached(`${options.prefix}guilds:${userId}`, () =>
        discord.currentUserGuilds(accessToken),
      );
    },
    async guild(guildId) {
      const guild = await guildInfo(guildId);
      return guild === null ? null : { name: guild.name };
    },
    channel: (channelId) => discord.channel(channelId),
    async roles(guildId) {
      const guild = await guildInfo(guildId);
      if (guild === null) return null;
      return guild.roles
        .filter((role) => role.id !== guildId)
        .map((role) => ({ id: role.id, name: role.name }));
    },
  };
}
