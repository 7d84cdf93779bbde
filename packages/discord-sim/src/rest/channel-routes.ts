import { DiscordErrors } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import type { JsonObject, SimChannel } from '../state/types.ts';
import { bodyObject, json, noContent, param } from './context.ts';
import type { RestRequest, RestRoute, SimContext } from './context.ts';
import {
  MessageType,
  buildMessage,
  editMessage,
  publishEdit,
  publishMessage,
  validateMessageBody,
} from './messages.ts';
import { toApiChannel } from './serialize.ts';

/** A channel the bot can see: any guild channel, or one of its DM channels. */
export function requireChannel(ctx: SimContext, channelId: string): SimChannel {
  const channel = ctx.store.channels.get(channelId);
  if (!channel) throw DiscordErrors.unknownChannel();
  if (
    channel.guildId !== null &&
    !ctx.store.getMember(channel.guildId, ctx.store.application.botUserId)
  ) {
    throw DiscordErrors.missingAccess();
  }
  return channel;
}

export const Permission = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ReadMessageHistory: 1n << 16n,
} as const;

/**
 * The bot's guild permissions must include `bits` (role permissions only; the simulator has no
 * channel overwrites). Without View Channel Discord answers Missing Access, otherwise Missing
 * Permissions.
 */
function requireBotPermissions(ctx: SimContext, channel: SimChannel, bits: bigint): void {
  if (channel.guildId === null) return;
  const granted = ctx.store.memberPermissions(channel.guildId, ctx.store.application.botUserId);
  if ((granted & Permission.ViewChannel) === 0n) throw DiscordErrors.missingAccess();
  if ((granted & bits) !== bits) throw DiscordErrors.missingPermissions();
}

function requireMessage(ctx: SimContext, req: RestRequest) {
  const channel = requireChannel(ctx, param(req, 'channelId'));
  requireBotPermissions(ctx, channel, Permission.ViewChannel);
  const message = ctx.store.getChannelMessage(channel.id, param(req, 'messageId'));
  if (!message) throw DiscordErrors.unknownMessage();
  return { channel, message };
}

export function registerChannelRoutes(router: Router<RestRoute>): void {
  router.add('GET', '/channels/:channelId', {
    auth: 'bot',
    handle: (req, ctx) =>
      json(toApiChannel(ctx.store, requireChannel(ctx, param(req, 'channelId')))),
  });

  router.add('GET', '/channels/:channelId/messages', {
    auth: 'bot',
    handle: (req, ctx) => {
      const channel = requireChannel(ctx, param(req, 'channelId'));
      requireBotPermissions(ctx, channel, Permission.ViewChannel | Permission.ReadMessageHistory);
      const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 50) || 50));
      const before = req.query.get('before');
      const after = req.query.get('after');
      const around = req.query.get('around');
      const newestFirst = [...ctx.store.channelMessages(channel.id)].reverse();
      let selected = newestFirst;
      if (before) selected = newestFirst.filter((m) => BigInt(m.id as string) < BigInt(before));
      if (after) {
        selected = newestFirst.filter((m) => BigInt(m.id as string) > BigInt(after)).slice(-limit);
      }
      if (around) {
        const index = newestFirst.findIndex((m) => m.id === around);
        const start = Math.max(0, index - Math.floor(limit / 2));
        selected = index < 0 ? [] : newestFirst.slice(start);
      }
      return json(selected.slice(0, limit));
    },
  });

  router.add('POST', '/channels/:channelId/messages', {
    auth: 'bot',
    handle: (req, ctx) => {
      const channel = requireChannel(ctx, param(req, 'channelId'));
      requireBotPermissions(ctx, channel, Permission.ViewChannel | Permission.SendMessages);
      const body = bodyObject(req);
      validateMessageBody(body, false);
      if (channel.recipientId !== null) {
        const recipient = ctx.store.users.get(channel.recipientId);
        if (!recipient || recipient.dmsClosed || recipient.bot)
          throw DiscordErrors.cannotSendToUser();
      }
      const repeated = enforcedNonceRepeat(ctx, channel.id, body);
      if (repeated !== undefined) return json(repeated);
      const message = buildMessage(ctx, {
        type: body.message_reference === undefined ? MessageType.Default : MessageType.Reply,
        channel,
        author: ctx.store.botUser,
        body: { ...body, flags: (typeof body.flags === 'number' ? body.flags : 0) & ~64 },
      });
      if (channel.guildId) message.guild_id = channel.guildId;
      publishMessage(ctx, message, channel, false);
      return json(message);
    },
  });

  router.add('GET', '/channels/:channelId/messages/:messageId', {
    auth: 'bot',
    handle: (req, ctx) => {
      const { channel, message } = requireMessage(ctx, req);
      requireBotPermissions(ctx, channel, Permission.ReadMessageHistory);
      return json(message);
    },
  });

  router.add('PATCH', '/channels/:channelId/messages/:messageId', {
    auth: 'bot',
    handle: (req, ctx) => {
      const { message } = requireMessage(ctx, req);
      const author = message.author as { id: string };
      if (author.id !== ctx.store.application.botUserId)
        throw DiscordErrors.cannotEditOthersMessage();
      const body = bodyObject(req);
      validateMessageBody(body, true);
      const edited = editMessage(ctx, message, body);
      publishEdit(ctx, edited);
      return json(edited);
    },
  });

  router.add('DELETE', '/channels/:channelId/messages/:messageId', {
    auth: 'bot',
    handle: (req, ctx) => {
      const { channel, message } = requireMessage(ctx, req);
      ctx.store.deleteMessage(message.id as string);
      const data: Record<string, unknown> = { id: message.id, channel_id: channel.id };
      if (channel.guildId) data.guild_id = channel.guildId;
      ctx.dispatch('MESSAGE_DELETE', data, channel.guildId ? 1 << 9 : 1 << 12);
      return noContent();
    },
  });
}

/** How long Discord remembers a nonce for `enforce_nonce` ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

/**
 * `enforce_nonce`: a message the bot already created in this channel with the same nonce in the past
 * few minutes is answered again instead of being created twice (as Discord does).
 */
function enforcedNonceRepeat(
  ctx: SimContext,
  channelId: string,
  body: JsonObject,
): JsonObject | undefined {
  if (body.enforce_nonce !== true) return undefined;
  if (typeof body.nonce !== 'string' && typeof body.nonce !== 'number') return undefined;
  const nonce = String(body.nonce);
  const since = Date.now() - NONCE_WINDOW_MS;
  return ctx.store
    .channelMessages(channelId)
    .find(
      (message) =>
        (typeof message.nonce === 'string' || typeof message.nonce === 'number') &&
        String(message.nonce) === nonce &&
        (message.author as JsonObject | undefined)?.id === ctx.store.botUser.id &&
        Date.parse(String(message.timestamp)) >= since,
    );
}
