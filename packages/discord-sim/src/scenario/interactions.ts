import { randomBytes } from 'node:crypto';
import type { SimContext } from '../rest/context.ts';
import { toApiChannel, toApiMember, toApiRole, toApiUser } from '../rest/serialize.ts';
import type { JsonObject, SimChannel, SimInteraction } from '../state/types.ts';

export const ApplicationCommandOptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

/** An option as Discord sends it inside interaction data. */
export interface CommandOptionValue {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: CommandOptionValue[];
  focused?: boolean;
}

export interface SlashCommandInput {
  /** Who runs the command (must be a member when the channel is in a guild). */
  userId: string;
  channelId: string;
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  /**
   * Option values by name (types come from the registered command), or options exactly as Discord
   * sends them.
   */
  options?: Record<string, string | number | boolean> | CommandOptionValue[];
  locale?: string;
}

export interface ButtonClickInput {
  userId: string;
  messageId: string;
  customId: string;
  locale?: string;
}

/** What a test needs to follow an interaction: ids, token, and the payload that was dispatched. */
export interface InteractionHandle {
  id: string;
  token: string;
  applicationId: string;
  payload: JsonObject;
}

const ALL_PERMISSIONS = ((1n << 53n) - 1n).toString();

function commonPayload(
  ctx: SimContext,
  type: number,
  userId: string,
  channel: SimChannel,
  locale: string | undefined,
): JsonObject {
  const { store } = ctx;
  const user = store.users.get(userId);
  if (!user) throw new Error(`discord-sim: unknown user ${userId}`);
  const id = store.nextId();
  const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
  const payload: JsonObject = {
    app_permissions: channel.guildId
      ? store.memberPermissions(channel.guildId, store.application.botUserId).toString()
      : ALL_PERMISSIONS,
    application_id: store.application.id,
    attachment_size_limit: 10_485_760,
    channel_id: channel.id,
    entitlement_sku_ids: [],
    entitlements: [],
    id,
    locale: locale ?? 'en-US',
    token,
    type,
    version: 1,
  };
  if (channel.guildId) {
    const guild = store.guilds.get(channel.guildId);
    const member = store.getMember(channel.guildId, userId);
    if (!guild || !member)
      throw new Error(`discord-sim: user ${userId} is not a member of guild ${channel.guildId}`);
    const permissions = store.memberPermissions(guild.id, userId).toString();
    payload.guild_id = guild.id;
    payload.guild = { id: guild.id, locale: guild.locale, features: [] };
    payload.guild_locale = guild.locale;
    payload.member = {
      ...toApiMember(store, member),
      permissions,
      unusual_dm_activity_until: null,
    };
    payload.channel = { ...toApiChannel(store, channel), permissions };
    payload.authorizing_integration_owners = { '0': guild.id };
    payload.context = 0;
  } else {
    payload.user = toApiUser(user);
    payload.channel = { ...toApiChannel(store, channel), recipients: [toApiUser(user)] };
    payload.authorizing_integration_owners = { '0': '0' };
    payload.context = 1;
  }
  return payload;
}

function registeredCommand(
  ctx: SimContext,
  guildId: string | null,
  name: string,
): JsonObject | undefined {
  const isChatInput = (c: JsonObject) => c.name === name && (c.type ?? 1) === 1;
  const guildCommand =
    guildId === null ? undefined : ctx.store.guildCommands.get(guildId)?.find(isChatInput);
  return guildCommand ?? ctx.store.globalCommands.find(isChatInput);
}

function inferType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

function optionDefinitions(defs: unknown): JsonObject[] {
  return Array.isArray(defs) ? (defs as JsonObject[]) : [];
}

/** Adds users, members, roles and channels named by options to data.resolved, as Discord does. */
function resolveOptions(
  ctx: SimContext,
  guildId: string | null,
  options: CommandOptionValue[],
  resolved: Record<string, JsonObject>,
): void {
  const { store } = ctx;
  const bucket = (key: string): JsonObject => (resolved[key] ??= {});
  for (const option of options) {
    if (option.options) resolveOptions(ctx, guildId, option.options, resolved);
    if (typeof option.value !== 'string') continue;
    const id = option.value;
    if (
      option.type === ApplicationCommandOptionType.User ||
      option.type === ApplicationCommandOptionType.Mentionable
    ) {
      const user = store.users.get(id);
      if (user) {
        bucket('users')[id] = toApiUser(user);
        const member = guildId ? store.getMember(guildId, id) : undefined;
        if (member && guildId) {
          const apiMember = toApiMember(store, member);
          delete apiMember.user;
          bucket('members')[id] = {
            ...apiMember,
            permissions: store.memberPermissions(guildId, id).toString(),
          };
        }
      }
    }
    if (
      option.type === ApplicationCommandOptionType.Role ||
      option.type === ApplicationCommandOptionType.Mentionable
    ) {
      const role = store.roles.get(id);
      if (role) bucket('roles')[id] = toApiRole(role);
    }
    if (option.type === ApplicationCommandOptionType.Channel) {
      const channel = store.channels.get(id);
      if (channel) {
        bucket('channels')[id] = {
          id,
          name: channel.name,
          type: channel.type,
          permissions: ALL_PERMISSIONS,
          parent_id: channel.parentId,
        };
      }
    }
  }
}

function buildOptions(command: JsonObject, input: SlashCommandInput): CommandOptionValue[] {
  if (Array.isArray(input.options)) return input.options;
  let defs = optionDefinitions(command.options);
  const wrap: { name: string; type: number }[] = [];
  if (input.subcommandGroup !== undefined) {
    const group = defs.find((d) => d.name === input.subcommandGroup);
    if (!group)
      throw new Error(
        `discord-sim: /${input.name} has no subcommand group ${input.subcommandGroup}`,
      );
    wrap.push({ name: input.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup });
    defs = optionDefinitions(group.options);
  }
  if (input.subcommand !== undefined) {
    const sub = defs.find((d) => d.name === input.subcommand);
    if (!sub) throw new Error(`discord-sim: /${input.name} has no subcommand ${input.subcommand}`);
    wrap.push({ name: input.subcommand, type: ApplicationCommandOptionType.Subcommand });
    defs = optionDefinitions(sub.options);
  }
  const values = input.options ?? {};
  for (const def of defs) {
    if (def.required === true && !(String(def.name) in values)) {
      throw new Error(`discord-sim: /${input.name} needs option ${String(def.name)}`);
    }
  }
  let options: CommandOptionValue[] = Object.entries(values).map(([name, value]) => {
    const def = defs.find((d) => d.name === name);
    if (!def && defs.length > 0)
      throw new Error(`discord-sim: /${input.name} has no option ${name}`);
    return { name, type: typeof def?.type === 'number' ? def.type : inferType(value), value };
  });
  for (const level of wrap.reverse()) options = [{ name: level.name, type: level.type, options }];
  return options;
}

function record(
  ctx: SimContext,
  payload: JsonObject,
  userId: string,
  channel: SimChannel,
  originalMessageId: string | null,
): InteractionHandle {
  const interaction: SimInteraction = {
    id: payload.id as string,
    token: payload.token as string,
    type: payload.type as number,
    applicationId: ctx.store.application.id,
    guildId: channel.guildId,
    channelId: channel.id,
    userId,
    createdAt: Date.now(),
    payload,
    responses: [],
    originalMessageId,
    followupMessageIds: [],
    ephemeral: false,
  };
  ctx.store.addInteraction(interaction);
  ctx.dispatch('INTERACTION_CREATE', payload);
  return {
    id: interaction.id,
    token: interaction.token,
    applicationId: interaction.applicationId,
    payload,
  };
}

function requireChannel(ctx: SimContext, channelId: string): SimChannel {
  const channel = ctx.store.channels.get(channelId);
  if (!channel) throw new Error(`discord-sim: unknown channel ${channelId}`);
  return channel;
}

/** A member runs a slash command: INTERACTION_CREATE type 2 goes to the bot's gateway sessions. */
export function runSlashCommand(ctx: SimContext, input: SlashCommandInput): InteractionHandle {
  const channel = requireChannel(ctx, input.channelId);
  const command = registeredCommand(ctx, channel.guildId, input.name);
  if (!command) throw new Error(`discord-sim: no chat-input command /${input.name} is registered`);
  const payload = commonPayload(ctx, 2, input.userId, channel, input.locale);
  const options = buildOptions(command, input);
  const data: JsonObject = { id: command.id, name: input.name, type: 1 };
  if (typeof command.guild_id === 'string') data.guild_id = command.guild_id;
  if (options.length > 0) data.options = options;
  const resolved: Record<string, JsonObject> = {};
  resolveOptions(ctx, channel.guildId, options, resolved);
  if (Object.keys(resolved).length > 0) data.resolved = resolved;
  payload.data = data;
  return record(ctx, payload, input.userId, channel, null);
}

function findComponent(components: unknown, customId: string): JsonObject | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const component of components as JsonObject[]) {
    if (component.custom_id === customId) return component;
    const nested =
      findComponent(component.components, customId) ??
      (component.accessory ? findComponent([component.accessory], customId) : undefined);
    if (nested) return nested;
  }
  return undefined;
}

/** A user clicks a button on a message: INTERACTION_CREATE type 3, component_type 2. */
export function clickButton(ctx: SimContext, input: ButtonClickInput): InteractionHandle {
  const message = ctx.store.getMessage(input.messageId);
  if (!message) throw new Error(`discord-sim: unknown message ${input.messageId}`);
  const button = findComponent(message.components, input.customId);
  if (button?.type !== 2)
    throw new Error(`discord-sim: message ${input.messageId} has no button ${input.customId}`);
  if (button.disabled === true)
    throw new Error(`discord-sim: button ${input.customId} is disabled`);
  const channel = requireChannel(ctx, message.channel_id as string);
  const payload = commonPayload(ctx, 3, input.userId, channel, input.locale);
  const data: JsonObject = { custom_id: input.customId, component_type: 2 };
  if (typeof button.id === 'number') data.id = button.id;
  payload.data = data;
  payload.message = channel.guildId ? { ...message, guild_id: channel.guildId } : message;
  return record(ctx, payload, input.userId, channel, input.messageId);
}
