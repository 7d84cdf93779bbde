import { EventEmitter } from 'node:events';
import type { SnowflakeGenerator } from '../snowflake.ts';
import type {
  JsonObject,
  SimApplication,
  SimChannel,
  SimGuild,
  SimInteraction,
  SimMember,
  SimOAuthCode,
  SimOAuthToken,
  SimRole,
  SimUser,
} from './types.ts';
import { ChannelType } from './types.ts';

interface MessageLocation {
  channelId: string;
  ephemeral: boolean;
}

/**
 * Everything the simulated Discord knows: users, guilds, channels, roles, members, messages, commands,
 * interactions and OAuth2 grants. Emits 'change' after every mutation so waiters can re-check.
 */
export class SimStore extends EventEmitter {
  readonly nextId: SnowflakeGenerator;
  application: SimApplication;
  readonly users = new Map<string, SimUser>();
  readonly guilds = new Map<string, SimGuild>();
  readonly roles = new Map<string, SimRole>();
  readonly channels = new Map<string, SimChannel>();
  readonly members = new Map<string, SimMember>();
  readonly messagesByChannel = new Map<string, JsonObject[]>();
  readonly ephemeralMessages = new Map<string, JsonObject>();
  readonly messageLocations = new Map<string, MessageLocation>();
  readonly dmChannelByUser = new Map<string, string>();
  globalCommands: JsonObject[] = [];
  readonly guildCommands = new Map<string, JsonObject[]>();
  readonly interactions = new Map<string, SimInteraction>();
  readonly interactionsByToken = new Map<string, SimInteraction>();
  readonly oauthCodes = new Map<string, SimOAuthCode>();
  readonly oauthAccessTokens = new Map<string, SimOAuthToken>();
  readonly oauthRefreshTokens = new Map<string, SimOAuthToken>();
  oauthDefaultUserId: string | null = null;

  constructor(nextId: SnowflakeGenerator, application: SimApplication) {
    super();
    this.setMaxListeners(0);
    this.nextId = nextId;
    this.application = application;
  }

  /** Forgets messages and interactions; keeps users, guilds, channels, roles, members and commands. */
  clearActivity(): void {
    this.messagesByChannel.clear();
    this.ephemeralMessages.clear();
    this.messageLocations.clear();
    this.interactions.clear();
    this.interactionsByToken.clear();
    for (const channel of this.channels.values()) channel.lastMessageId = null;
    this.changed();
  }

  changed(): void {
    this.emit('change');
  }

  get botUser(): SimUser {
    const user = this.users.get(this.application.botUserId);
    if (!user) throw new Error('The bot user is missing from the store');
    return user;
  }

  memberKey(guildId: string, userId: string): string {
    return `${guildId}:${userId}`;
  }

  getMember(guildId: string, userId: string): SimMember | undefined {
    return this.members.get(this.memberKey(guildId, userId));
  }

  guildMembers(guildId: string): SimMember[] {
    return [...this.members.values()].filter((m) => m.guildId === guildId);
  }

  guildRoles(guildId: string): SimRole[] {
    return [...this.roles.values()]
      .filter((r) => r.guildId === guildId)
      .sort((a, b) => a.position - b.position);
  }

  guildChannels(guildId: string): SimChannel[] {
    return [...this.channels.values()]
      .filter((c) => c.guildId === guildId)
      .sort((a, b) => a.position - b.position);
  }

  userGuilds(userId: string): SimGuild[] {
    return [...this.guilds.values()].filter((g) => this.members.has(this.memberKey(g.id, userId)));
  }

  /** The DM channel between the bot and a user, created on first use as Discord does. */
  dmChannelFor(userId: string): SimChannel {
    const existing = this.dmChannelByUser.get(userId);
    const channel = existing === undefined ? undefined : this.channels.get(existing);
    if (channel) return channel;
    const created: SimChannel = {
      id: this.nextId(),
      type: ChannelType.DM,
      guildId: null,
      name: null,
      position: 0,
      parentId: null,
      topic: null,
      recipientId: userId,
      lastMessageId: null,
    };
    this.channels.set(created.id, created);
    this.dmChannelByUser.set(userId, created.id);
    this.changed();
    return created;
  }

  channelMessages(channelId: string): JsonObject[] {
    let list = this.messagesByChannel.get(channelId);
    if (!list) {
      list = [];
      this.messagesByChannel.set(channelId, list);
    }
    return list;
  }

  addMessage(message: JsonObject, channelId: string, ephemeral: boolean): void {
    const id = message.id as string;
    if (ephemeral) {
      this.ephemeralMessages.set(id, message);
    } else {
      this.channelMessages(channelId).push(message);
      const channel = this.channels.get(channelId);
      if (channel) channel.lastMessageId = id;
    }
    this.messageLocations.set(id, { channelId, ephemeral });
    this.changed();
  }

  getMessage(messageId: string): JsonObject | undefined {
    const location = this.messageLocations.get(messageId);
    if (!location) return undefined;
    if (location.ephemeral) return this.ephemeralMessages.get(messageId);
    return this.channelMessages(location.channelId).find((m) => m.id === messageId);
  }

  /** A message that is visible in the channel (ephemeral messages are not). */
  getChannelMessage(channelId: string, messageId: string): JsonObject | undefined {
    return this.messagesByChannel.get(channelId)?.find((m) => m.id === messageId);
  }

  replaceMessage(message: JsonObject): void {
    const id = message.id as string;
    const location = this.messageLocations.get(id);
    if (!location) return;
    if (location.ephemeral) {
      this.ephemeralMessages.set(id, message);
    } else {
      const list = this.channelMessages(location.channelId);
      const index = list.findIndex((m) => m.id === id);
      if (index >= 0) list[index] = message;
    }
    this.changed();
  }

  deleteMessage(messageId: string): void {
    const location = this.messageLocations.get(messageId);
    if (!location) return;
    this.messageLocations.delete(messageId);
    if (location.ephemeral) {
      this.ephemeralMessages.delete(messageId);
    } else {
      const list = this.channelMessages(location.channelId);
      const index = list.findIndex((m) => m.id === messageId);
      if (index >= 0) list.splice(index, 1);
    }
    this.changed();
  }

  addInteraction(interaction: SimInteraction): void {
    this.interactions.set(interaction.id, interaction);
    this.interactionsByToken.set(interaction.token, interaction);
    this.changed();
  }

  /** Guild permissions of a member as a bigint (owner and Administrator get everything). */
  memberPermissions(guildId: string, userId: string): bigint {
    const guild = this.guilds.get(guildId);
    const member = this.getMember(guildId, userId);
    if (!guild || !member) return 0n;
    const all = (1n << 53n) - 1n;
    if (guild.ownerId === userId) return all;
    let bits = BigInt(this.roles.get(guildId)?.permissions ?? '0');
    for (const roleId of member.roleIds) {
      bits |= BigInt(this.roles.get(roleId)?.permissions ?? '0');
    }
    if ((bits & 8n) === 8n) return all;
    return bits;
  }
}
