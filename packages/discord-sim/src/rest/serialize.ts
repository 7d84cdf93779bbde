import type { SimStore } from '../state/store.ts';
import type {
  JsonObject,
  SimChannel,
  SimGuild,
  SimMember,
  SimRole,
  SimUser,
} from '../state/types.ts';
import { snowflakeTimestamp } from '../snowflake.ts';

/** Builders of Discord API v10 objects from the store's records. */

export function toApiUser(user: SimUser): JsonObject {
  const base: JsonObject = {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: null,
    avatar_decoration_data: null,
    banner: null,
    accent_color: null,
    public_flags: 0,
    flags: 0,
    primary_guild: null,
    collectibles: null,
  };
  if (user.bot) base.bot = true;
  return base;
}

/** The user as /users/@me returns it for an OAuth2 bearer token or the bot itself. */
export function toApiCurrentUser(user: SimUser, includeEmail: boolean): JsonObject {
  const base: JsonObject = {
    ...toApiUser(user),
    mfa_enabled: false,
    locale: 'en-US',
    premium_type: 0,
  };
  if (includeEmail) {
    base.email = user.email;
    base.verified = user.email !== null;
  }
  return base;
}

export function toApiRole(role: SimRole): JsonObject {
  return {
    id: role.id,
    name: role.name,
    description: null,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions,
    managed: false,
    mentionable: role.mentionable,
    flags: 0,
  };
}

export function toApiMember(store: SimStore, member: SimMember): JsonObject {
  const user = store.users.get(member.userId);
  return {
    user: user ? toApiUser(user) : { id: member.userId },
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roleIds],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function toApiChannel(store: SimStore, channel: SimChannel): JsonObject {
  if (channel.recipientId !== null) {
    const recipient = store.users.get(channel.recipientId);
    return {
      id: channel.id,
      type: channel.type,
      last_message_id: channel.lastMessageId,
      flags: 0,
      recipients: recipient ? [toApiUser(recipient)] : [],
    };
  }
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    permission_overwrites: [],
    parent_id: channel.parentId,
    topic: channel.topic,
    nsfw: false,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

export function toApiGuild(store: SimStore, guild: SimGuild, withCounts = false): JsonObject {
  const base: JsonObject = {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: store.guildRoles(guild.id).map(toApiRole),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: guild.locale,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
  if (withCounts) {
    const count = store.guildMembers(guild.id).length;
    base.approximate_member_count = count;
    base.approximate_presence_count = count;
  }
  return base;
}

/** GUILD_CREATE's payload: the guild plus channels, members and the gateway-only fields. */
export function toGatewayGuild(store: SimStore, guild: SimGuild): JsonObject {
  const members = store.guildMembers(guild.id);
  const botMember = store.getMember(guild.id, store.application.botUserId);
  return {
    ...toApiGuild(store, guild),
    joined_at: botMember?.joinedAt ?? new Date(guild.createdAt).toISOString(),
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members: members.map((m) => toApiMember(store, m)),
    channels: store.guildChannels(guild.id).map((c) => {
      const apiChannel = toApiChannel(store, c);
      delete apiChannel.guild_id;
      return apiChannel;
    }),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    lazy: true,
  };
}

/** A guild as GET /users/@me/guilds lists it for a user. */
export function toApiPartialGuild(store: SimStore, guild: SimGuild, userId: string): JsonObject {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    banner: null,
    owner: guild.ownerId === userId,
    permissions: store.memberPermissions(guild.id, userId).toString(),
    features: [],
  };
}

export function isoFromSnowflake(id: string): string {
  return new Date(snowflakeTimestamp(id)).toISOString();
}
