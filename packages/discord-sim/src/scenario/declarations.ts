import { toApiChannel, toApiMember, toApiRole, toGatewayGuild } from '../rest/serialize.ts';
import type { SimContext } from '../rest/context.ts';
import { GatewayIntent } from '../gateway/opcodes.ts';
import type { SimChannel, SimGuild, SimMember, SimRole, SimUser } from '../state/types.ts';
import { ChannelType } from '../state/types.ts';

export interface UserInput {
  id?: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
  email?: string | null;
  /** The user has closed DMs: the bot's messages to them fail with 50007. */
  dmsClosed?: boolean;
}

export interface RoleInput {
  id?: string;
  name: string;
  /** Permission bitfield (decimal string or bigint). Default none. */
  permissions?: string | bigint;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export interface ChannelInput {
  id?: string;
  name: string;
  /** Channel type; default 0 (guild text). */
  type?: number;
  topic?: string | null;
  parentId?: string | null;
}

export interface MemberInput {
  /** An existing user, or … */
  userId?: string;
  /** … a user to create (or reuse by username). */
  user?: UserInput;
  nick?: string | null;
  /** Role ids or role names of this guild. */
  roles?: string[];
  joinedAt?: string;
}

export interface GuildInput {
  id?: string;
  name: string;
  /** Owner's user id or username; default the first member, else the bot. */
  owner?: string;
  locale?: string;
  /** Permissions of @everyone (the role whose id is the guild id). */
  everyonePermissions?: string | bigint;
  roles?: RoleInput[];
  channels?: ChannelInput[];
  members?: MemberInput[];
  /** Whether the bot is in the guild (it only sees guilds it is in). Default true. */
  botIsMember?: boolean;
  /** Roles for the bot's own member. */
  botRoles?: string[];
}

/** Ids of what a guild declaration created, by name, for tests to use. */
export interface GuildHandle {
  id: string;
  name: string;
  everyoneRoleId: string;
  channels: Record<string, string>;
  roles: Record<string, string>;
  /** username → user id */
  members: Record<string, string>;
}

export interface ScenarioDefinition {
  users?: UserInput[];
  guilds?: GuildInput[];
  /** User id or username that OAuth2 authorize logs in as by default. */
  oauthUser?: string;
}

export interface ScenarioHandle {
  users: Record<string, string>;
  guilds: Record<string, GuildHandle>;
}

/** Default @everyone permissions: view channels, send messages, read history, use commands… */
const DEFAULT_EVERYONE_PERMISSIONS = '2248473465835073';

function userByRef(ctx: SimContext, ref: string): SimUser | undefined {
  return ctx.store.users.get(ref) ?? [...ctx.store.users.values()].find((u) => u.username === ref);
}

export function declareUser(ctx: SimContext, input: UserInput): SimUser {
  const existing = input.id !== undefined ? ctx.store.users.get(input.id) : undefined;
  const user: SimUser = {
    id: input.id ?? ctx.store.nextId(),
    username: input.username,
    globalName: input.globalName ?? existing?.globalName ?? null,
    bot: input.bot ?? existing?.bot ?? false,
    email: input.email ?? existing?.email ?? `${input.username}@example.test`,
    dmsClosed: input.dmsClosed ?? existing?.dmsClosed ?? false,
  };
  ctx.store.users.set(user.id, user);
  ctx.store.changed();
  return user;
}

export function setDmsClosed(ctx: SimContext, userId: string, closed: boolean): void {
  const user = ctx.store.users.get(userId);
  if (!user) throw new Error(`discord-sim: unknown user ${userId}`);
  user.dmsClosed = closed;
  ctx.store.changed();
}

function requireGuild(ctx: SimContext, guildId: string): SimGuild {
  const guild = ctx.store.guilds.get(guildId);
  if (!guild) throw new Error(`discord-sim: unknown guild ${guildId}`);
  return guild;
}

function isLive(ctx: SimContext, guildId: string): boolean {
  return ctx.store.getMember(guildId, ctx.store.application.botUserId) !== undefined;
}

export function declareRole(ctx: SimContext, guildId: string, input: RoleInput): SimRole {
  requireGuild(ctx, guildId);
  const role: SimRole = {
    id: input.id ?? ctx.store.nextId(),
    guildId,
    name: input.name,
    color: input.color ?? 0,
    position: ctx.store.guildRoles(guildId).length,
    permissions: (input.permissions ?? '0').toString(),
    hoist: input.hoist ?? false,
    mentionable: input.mentionable ?? false,
  };
  ctx.store.roles.set(role.id, role);
  ctx.store.changed();
  if (isLive(ctx, guildId)) {
    ctx.dispatch(
      'GUILD_ROLE_CREATE',
      { guild_id: guildId, role: toApiRole(role) },
      GatewayIntent.Guilds,
    );
  }
  return role;
}

export function declareChannel(ctx: SimContext, guildId: string, input: ChannelInput): SimChannel {
  requireGuild(ctx, guildId);
  const channel: SimChannel = {
    id: input.id ?? ctx.store.nextId(),
    type: input.type ?? ChannelType.GuildText,
    guildId,
    name: input.name,
    position: ctx.store.guildChannels(guildId).length,
    parentId: input.parentId ?? null,
    topic: input.topic ?? null,
    recipientId: null,
    lastMessageId: null,
  };
  ctx.store.channels.set(channel.id, channel);
  ctx.store.changed();
  if (isLive(ctx, guildId)) {
    ctx.dispatch('CHANNEL_CREATE', toApiChannel(ctx.store, channel), GatewayIntent.Guilds);
  }
  return channel;
}

function resolveRoleIds(ctx: SimContext, guildId: string, refs: string[]): string[] {
  return refs.map((ref) => {
    const role =
      ctx.store.roles.get(ref) ?? ctx.store.guildRoles(guildId).find((r) => r.name === ref);
    if (role?.guildId !== guildId)
      throw new Error(`discord-sim: unknown role ${ref} in guild ${guildId}`);
    return role.id;
  });
}

export function declareMember(ctx: SimContext, guildId: string, input: MemberInput): SimMember {
  requireGuild(ctx, guildId);
  let user: SimUser | undefined;
  if (input.userId !== undefined) user = ctx.store.users.get(input.userId);
  else if (input.user)
    user = userByRef(ctx, input.user.id ?? input.user.username) ?? declareUser(ctx, input.user);
  if (!user) throw new Error(`discord-sim: member needs an existing userId or a user`);
  const existing = ctx.store.getMember(guildId, user.id);
  const member: SimMember = {
    guildId,
    userId: user.id,
    nick: input.nick ?? existing?.nick ?? null,
    roleIds: input.roles ? resolveRoleIds(ctx, guildId, input.roles) : (existing?.roleIds ?? []),
    joinedAt: input.joinedAt ?? existing?.joinedAt ?? new Date().toISOString(),
  };
  ctx.store.members.set(ctx.store.memberKey(guildId, user.id), member);
  ctx.store.changed();
  if (isLive(ctx, guildId) && user.id !== ctx.store.application.botUserId) {
    const event = existing ? 'GUILD_MEMBER_UPDATE' : 'GUILD_MEMBER_ADD';
    ctx.dispatch(
      event,
      { ...toApiMember(ctx.store, member), guild_id: guildId },
      GatewayIntent.GuildMembers,
    );
  }
  return member;
}

export function declareGuild(ctx: SimContext, input: GuildInput): GuildHandle {
  const { store } = ctx;
  const guild: SimGuild = {
    id: input.id ?? store.nextId(),
    name: input.name,
    ownerId: store.application.botUserId,
    locale: input.locale ?? 'en-US',
    createdAt: Date.now(),
  };
  store.guilds.set(guild.id, guild);
  const everyone: SimRole = {
    id: guild.id,
    guildId: guild.id,
    name: '@everyone',
    color: 0,
    position: 0,
    permissions: (input.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS).toString(),
    hoist: false,
    mentionable: false,
  };
  store.roles.set(everyone.id, everyone);
  const handle: GuildHandle = {
    id: guild.id,
    name: guild.name,
    everyoneRoleId: everyone.id,
    channels: {},
    roles: {},
    members: {},
  };
  for (const role of input.roles ?? [])
    handle.roles[role.name] = declareRole(ctx, guild.id, role).id;
  for (const channel of input.channels ?? [])
    handle.channels[channel.name] = declareChannel(ctx, guild.id, channel).id;
  for (const memberInput of input.members ?? []) {
    const member = declareMember(ctx, guild.id, memberInput);
    const user = store.users.get(member.userId);
    if (user) handle.members[user.username] = user.id;
  }
  const owner = input.owner !== undefined ? userByRef(ctx, input.owner) : undefined;
  if (input.owner !== undefined && !owner)
    throw new Error(`discord-sim: unknown owner ${input.owner}`);
  const firstMember = Object.values(handle.members)[0];
  guild.ownerId = owner?.id ?? firstMember ?? store.application.botUserId;
  if (input.botIsMember ?? true) {
    declareMember(ctx, guild.id, {
      userId: store.application.botUserId,
      roles: input.botRoles ?? [],
    });
    ctx.dispatch('GUILD_CREATE', toGatewayGuild(store, guild), GatewayIntent.Guilds);
  }
  store.changed();
  return handle;
}

export function loadScenario(ctx: SimContext, definition: ScenarioDefinition): ScenarioHandle {
  const handle: ScenarioHandle = { users: {}, guilds: {} };
  for (const input of definition.users ?? [])
    handle.users[input.username] = declareUser(ctx, input).id;
  for (const input of definition.guilds ?? []) {
    const guild = declareGuild(ctx, input);
    handle.guilds[guild.name] = guild;
    Object.assign(handle.users, guild.members);
  }
  if (definition.oauthUser !== undefined) {
    const user = userByRef(ctx, definition.oauthUser);
    if (!user) throw new Error(`discord-sim: unknown oauthUser ${definition.oauthUser}`);
    ctx.store.oauthDefaultUserId = user.id;
  }
  return handle;
}
