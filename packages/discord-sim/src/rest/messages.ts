import { DiscordErrors } from '../http/errors.ts';
import type { SimStore } from '../state/store.ts';
import type { JsonObject, SimChannel, SimUser } from '../state/types.ts';
import type { SimContext } from './context.ts';
import { toApiMember, toApiUser } from './serialize.ts';

export const MessageFlags = {
  SuppressEmbeds: 4,
  Ephemeral: 64,
  Loading: 128,
  SuppressNotifications: 4096,
  IsComponentsV2: 32768,
} as const;

export const MessageType = {
  Default: 0,
  Reply: 19,
  ChatInputCommand: 20,
} as const;

export interface NewMessage {
  channel: SimChannel;
  author: SimUser;
  body: JsonObject;
  type?: number;
  /** Extra flags (ephemeral, loading) set by the interaction flow. */
  flags?: number;
  webhookId?: string | null;
  applicationId?: string | null;
  interactionMetadata?: JsonObject | null;
}

const allowedCreateFlags =
  MessageFlags.SuppressEmbeds |
  MessageFlags.SuppressNotifications |
  MessageFlags.IsComponentsV2 |
  MessageFlags.Ephemeral;

/** Rejects bodies Discord rejects: nothing to show, content over 2000 characters. */
export function validateMessageBody(body: JsonObject, isEdit: boolean): void {
  const content = body.content;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    throw DiscordErrors.fieldError('content', 'BASE_TYPE_STRING', 'Must be a string.');
  }
  if (typeof content === 'string' && content.length > 2000) {
    throw DiscordErrors.fieldError(
      'content',
      'BASE_TYPE_MAX_LENGTH',
      'Must be 2000 or fewer in length.',
    );
  }
  if (isEdit) return;
  const hasContent = typeof content === 'string' && content.length > 0;
  const hasList = (key: string) => Array.isArray(body[key]) && (body[key] as unknown[]).length > 0;
  const hasFiles = Array.isArray(body.__files) && (body.__files as unknown[]).length > 0;
  if (
    !hasContent &&
    !hasList('embeds') &&
    !hasList('components') &&
    !hasList('sticker_ids') &&
    !hasFiles &&
    body.poll === undefined
  ) {
    throw DiscordErrors.emptyMessage();
  }
}

function mentionedUsers(store: SimStore, content: string): JsonObject[] {
  const ids = new Set<string>();
  for (const match of content.matchAll(/<@!?(\d{17,20})>/g)) {
    if (match[1] !== undefined) ids.add(match[1]);
  }
  return [...ids].flatMap((id) => {
    const user = store.users.get(id);
    return user ? [toApiUser(user)] : [];
  });
}

function mentionedRoles(content: string): string[] {
  return [...content.matchAll(/<@&(\d{17,20})>/g)].flatMap((m) =>
    m[1] === undefined ? [] : [m[1]],
  );
}

function attachmentsFrom(store: SimStore, body: JsonObject, channelId: string): JsonObject[] {
  const files = Array.isArray(body.__files) ? (body.__files as string[]) : [];
  return files.map((filename) => {
    const id = store.nextId();
    return {
      id,
      filename,
      size: 0,
      url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${filename}`,
    };
  });
}

/** Builds a message as Discord returns it from POST /channels/:id/messages. */
export function buildMessage(ctx: SimContext, input: NewMessage): JsonObject {
  const { store } = ctx;
  const { channel, author, body } = input;
  const id = store.nextId();
  const content = typeof body.content === 'string' ? body.content : '';
  const flags =
    ((typeof body.flags === 'number' ? body.flags : 0) & allowedCreateFlags) | (input.flags ?? 0);
  const message: JsonObject = {
    type: input.type ?? MessageType.Default,
    channel_id: channel.id,
    content,
    attachments: attachmentsFrom(store, body, channel.id),
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags,
    components: Array.isArray(body.components) ? body.components : [],
    id,
    author: toApiUser(author),
    mentions: mentionedUsers(store, content),
    mention_roles: mentionedRoles(content),
    pinned: false,
    mention_everyone: content.includes('@everyone'),
    tts: body.tts === true,
  };
  if (body.nonce !== undefined) message.nonce = body.nonce;
  if (body.message_reference !== undefined) message.message_reference = body.message_reference;
  if (input.webhookId) message.webhook_id = input.webhookId;
  if (input.applicationId) message.application_id = input.applicationId;
  if (input.interactionMetadata) message.interaction_metadata = input.interactionMetadata;
  return message;
}

/** Applies a PATCH body to a message, as Discord does for edits. */
export function editMessage(ctx: SimContext, message: JsonObject, body: JsonObject): JsonObject {
  const channelId = message.channel_id as string;
  const edited: JsonObject = { ...message, edited_timestamp: new Date().toISOString() };
  if ('content' in body) {
    const content = typeof body.content === 'string' ? body.content : '';
    edited.content = content;
    edited.mentions = mentionedUsers(ctx.store, content);
    edited.mention_roles = mentionedRoles(content);
  }
  if ('embeds' in body) edited.embeds = Array.isArray(body.embeds) ? body.embeds : [];
  if ('components' in body)
    edited.components = Array.isArray(body.components) ? body.components : [];
  if ('attachments' in body || '__files' in body) {
    const kept = Array.isArray(body.attachments)
      ? (message.attachments as JsonObject[]).filter((a) =>
          (body.attachments as JsonObject[]).some((b) => b.id === a.id),
        )
      : (message.attachments as JsonObject[]);
    edited.attachments = [...kept, ...attachmentsFrom(ctx.store, body, channelId)];
  }
  const currentFlags = typeof message.flags === 'number' ? message.flags : 0;
  let flags = currentFlags & ~MessageFlags.Loading;
  if (typeof body.flags === 'number') {
    flags = (flags & ~MessageFlags.SuppressEmbeds) | (body.flags & MessageFlags.SuppressEmbeds);
  }
  edited.flags = flags;
  return edited;
}

/** Stores a new message and sends MESSAGE_CREATE to the gateway (not for ephemeral messages). */
export function publishMessage(
  ctx: SimContext,
  message: JsonObject,
  channel: SimChannel,
  ephemeral: boolean,
): void {
  ctx.store.addMessage(message, channel.id, ephemeral);
  if (ephemeral) return;
  ctx.dispatch(
    'MESSAGE_CREATE',
    gatewayMessage(ctx, message, channel),
    channel.guildId ? 1 << 9 : 1 << 12,
  );
}

export function publishEdit(ctx: SimContext, message: JsonObject): void {
  ctx.store.replaceMessage(message);
  const channel = ctx.store.channels.get(message.channel_id as string);
  const location = ctx.store.messageLocations.get(message.id as string);
  if (!channel || location?.ephemeral) return;
  ctx.dispatch(
    'MESSAGE_UPDATE',
    gatewayMessage(ctx, message, channel),
    channel.guildId ? 1 << 9 : 1 << 12,
  );
}

function gatewayMessage(ctx: SimContext, message: JsonObject, channel: SimChannel): JsonObject {
  if (!channel.guildId) return message;
  const author = message.author as JsonObject;
  const member = ctx.store.getMember(channel.guildId, author.id as string);
  const payload: JsonObject = { ...message, guild_id: channel.guildId };
  if (member) {
    const apiMember = toApiMember(ctx.store, member);
    delete apiMember.user;
    payload.member = apiMember;
  }
  return payload;
}
