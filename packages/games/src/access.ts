// What the game use cases need to know about Discord, as narrow interfaces: the API answers them
// with REST lookups cached in Redis, the bot from its gateway cache.

export interface GuildMembership {
  readonly guildId: string;
  readonly roleIds: readonly string[];
  /**
   * The member administers the guild on Discord: its owner, or holding ADMINISTRATOR or
   * MANAGE_GUILD through a role (or @everyone). Left out means no. Administrators are managers of the bot in
   * their guild even before any bot-manager role is set (see guild-rules.ts).
   */
  readonly administrator?: boolean | undefined;
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

/** A role of a guild as Discord lists it (for choosing bot-manager and template roles). */
export interface GuildRole {
  readonly id: string;
  readonly name: string;
}

export interface GuildRoleDirectory {
  /** The guild's roles other than @everyone, or null when the bot is not in the guild. */
  roles(guildId: string): Promise<readonly GuildRole[] | null>;
}
