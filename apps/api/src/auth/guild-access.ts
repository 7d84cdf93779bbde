// Who may see and change what in a guild, from Discord (bot token member lookups, the user's own
// guild list), cached in Redis for a few minutes so a page of requests costs Discord one call.
import type { MembershipSource } from '@game-scheduler/games';
import type { Redis } from 'ioredis';
import type { DiscordClient, DiscordUserGuild } from '../discord/discord-client.ts';

export interface GuildAccess extends MembershipSource {
  /** The user's guilds as Discord lists them for their OAuth2 token. */
  userGuilds(userId: string, accessToken: string): Promise<DiscordUserGuild[]>;
}

export function createGuildAccess(
  redis: Redis,
  discord: DiscordClient,
  options: { prefix: string; ttlSeconds: number },
): GuildAccess {
  return {
    async membership(guildId, userId) {
      const key = `${options.prefix}member:${guildId}:${userId}`;
      const cached = await redis.get(key);
      if (cached !== null) {
        const roles = JSON.parse(cached) as string[] | null;
        return roles === null ? null : { guildId, roleIds: roles };
      }
      const member = await discord.guildMember(guildId, userId);
      const roles = member === null ? null : [...member.roleIds];
      await redis.set(key, JSON.stringify(roles), 'EX', options.ttlSeconds);
      return roles === null ? null : { guildId, roleIds: roles };
    },
    async userGuilds(userId, accessToken) {
      const key = `${options.prefix}guilds:${userId}`;
      const cached = await redis.get(key);
      if (cached !== null) return JSON.parse(cached) as DiscordUserGuild[];
      const guilds = await discord.currentUserGuilds(accessToken);
      await redis.set(key, JSON.stringify(guilds), 'EX', options.ttlSeconds);
      return guilds;
    },
  };
}
