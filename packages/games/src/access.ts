// What the game use cases need to know about Discord, as narrow interfaces: the API answers them
// with REST lookups cached in Redis, the bot from its gateway cache.

export interface GuildMembership {
  readonly guildId: string;
  readonly roleIds: readonly string[];
}

export interface MembershipSource {
  /** The user's roles in the guild, or null when they are not a member (or the bot is not). */
  membership(guildId: string, userId: string): Promise<GuildMembership | null>;
}

export interface GuildDirectory {
  guild(guildId: string): Promise<{ readonly name: string } | null>;
  channel(
    channelId: string,
  ): Promise<{ readonly guildId: string | null; readonly name: string } | null>;
}
