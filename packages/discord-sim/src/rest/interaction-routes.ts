import { DiscordErrors } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import type { JsonObject, SimInteraction } from '../state/types.ts';
import { bodyObject, json, noContent, param } from './context.ts';
import type { RestRequest, RestRoute, SimContext } from './context.ts';
import {
  MessageFlags,
  MessageType,
  buildMessage,
  editMessage,
  publishEdit,
  publishMessage,
  validateMessageBody,
} from './messages.ts';
import { toApiUser } from './serialize.ts';
import { simNow } from '../clock.ts';

export const InteractionCallbackType = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  ApplicationCommandAutocompleteResult: 8,
  Modal: 9,
  LaunchActivity: 12,
} as const;

const InteractionType = { ApplicationCommand: 2, MessageComponent: 3, ModalSubmit: 5 } as const;

/** Interaction webhooks (tokens) stay valid for 15 minutes. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

function interactionMetadata(ctx: SimContext, interaction: SimInteraction): JsonObject {
  const user = ctx.store.users.get(interaction.userId);
  const data = interaction.payload.data as JsonObject | undefined;
  const metadata: JsonObject = {
    id: interaction.id,
    type: interaction.type,
    user: user ? toApiUser(user) : { id: interaction.userId },
    authorizing_integration_owners: interaction.payload.authorizing_integration_owners ?? {},
  };
  if (interaction.type === InteractionType.ApplicationCommand) {
    metadata.name = data?.name;
    metadata.command_type = data?.type ?? 1;
  }
  if (interaction.type === InteractionType.MessageComponent) {
    metadata.interacted_message_id = interaction.originalMessageId;
  }
  return metadata;
}

function createResponseMessage(
  ctx: SimContext,
  interaction: SimInteraction,
  body: JsonObject,
  extraFlags: number,
): JsonObject {
  const channel = ctx.store.channels.get(interaction.channelId);
  if (!channel) throw DiscordErrors.unknownChannel();
  const ephemeral =
    ((typeof body.flags === 'number' ? body.flags : 0) | extraFlags) & MessageFlags.Ephemeral;
  const message = buildMessage(ctx, {
    channel,
    author: ctx.store.botUser,
    body,
    type:
      interaction.type === InteractionType.ApplicationCommand
        ? MessageType.ChatInputCommand
        : MessageType.Default,
    flags: extraFlags,
    webhookId: ctx.store.application.id,
    applicationId: ctx.store.application.id,
    interactionMetadata: interactionMetadata(ctx, interaction),
  });
  if (channel.guildId) message.guild_id = channel.guildId;
  publishMessage(ctx, message, channel, ephemeral !== 0);
  return message;
}

function requireCallbackTarget(ctx: SimContext, req: RestRequest): SimInteraction {
  const interaction = ctx.store.interactions.get(param(req, 'interactionId'));
  if (interaction?.token !== param(req, 'interactionToken'))
    throw DiscordErrors.unknownInteraction();
  if (interaction.responses.length > 0) throw DiscordErrors.alreadyAcknowledged();
  const deadline = ctx.interactionDeadlineMs;
  if (deadline !== null && Date.now() - interaction.createdAt > deadline) {
    throw DiscordErrors.unknownInteraction();
  }
  return interaction;
}

function callback(req: RestRequest, ctx: SimContext) {
  const interaction = requireCallbackTarget(ctx, req);
  const body = bodyObject(req);
  const type = body.type;
  const data = (body.data !== null && typeof body.data === 'object' ? body.data : {}) as JsonObject;
  const isComponent = interaction.type === InteractionType.MessageComponent;
  let message: JsonObject | null = null;
  let loading = false;

  switch (type) {
    case InteractionCallbackType.ChannelMessageWithSource: {
      validateMessageBody(data, false);
      message = createResponseMessage(ctx, interaction, data, 0);
      interaction.originalMessageId = message.id as string;
      interaction.ephemeral = ((message.flags as number) & MessageFlags.Ephemeral) !== 0;
      break;
    }
    case InteractionCallbackType.DeferredChannelMessageWithSource: {
      const ephemeral = (typeof data.flags === 'number' ? data.flags : 0) & MessageFlags.Ephemeral;
      message = createResponseMessage(
        ctx,
        interaction,
        { content: '' },
        MessageFlags.Loading | ephemeral,
      );
      interaction.originalMessageId = message.id as string;
      interaction.ephemeral = ephemeral !== 0;
      loading = true;
      break;
    }
    case InteractionCallbackType.DeferredUpdateMessage:
    case InteractionCallbackType.UpdateMessage: {
      if (!isComponent) {
        throw DiscordErrors.fieldError(
          'type',
          'INTERACTION_RESPONSE_TYPE_INVALID',
          'Invalid interaction response type for this interaction.',
        );
      }
      const target = interaction.originalMessageId
        ? ctx.store.getMessage(interaction.originalMessageId)
        : undefined;
      if (!target) throw DiscordErrors.unknownMessage();
      if (type === InteractionCallbackType.UpdateMessage) {
        validateMessageBody(data, true);
        message = editMessage(ctx, target, data);
        publishEdit(ctx, message);
      } else {
        message = target;
      }
      break;
    }
    case InteractionCallbackType.ApplicationCommandAutocompleteResult:
    case InteractionCallbackType.Modal:
    case InteractionCallbackType.LaunchActivity:
      break;
    default:
      throw DiscordErrors.fieldError(
        'type',
        'BASE_TYPE_CHOICES',
        'Value must be one of {4, 5, 6, 7, 8, 9, 10, 12}.',
      );
  }

  interaction.responses.push({
    type,
    data: body.data === undefined ? null : data,
    time: Date.now(),
    preciseTime: simNow(),
  });
  ctx.store.changed();

  if (req.query.get('with_response') !== 'true') return noContent();
  const responseInfo: JsonObject = {
    id: interaction.id,
    type: interaction.type,
    activity_instance_id: null,
    response_message_id: message ? message.id : null,
    response_message_loading: loading,
    response_message_ephemeral: interaction.ephemeral,
  };
  return json({
    interaction: responseInfo,
    resource: message ? { type, message } : { type },
  });
}

function requireWebhookInteraction(ctx: SimContext, req: RestRequest): SimInteraction {
  const interaction = ctx.store.interactionsByToken.get(param(req, 'interactionToken'));
  if (
    interaction?.applicationId !== param(req, 'applicationId') ||
    Date.now() - interaction.createdAt > TOKEN_LIFETIME_MS
  ) {
    throw DiscordErrors.unknownWebhook();
  }
  return interaction;
}

function messageOf(ctx: SimContext, interaction: SimInteraction, messageId: string): JsonObject {
  const resolved = messageId === '@original' ? interaction.originalMessageId : messageId;
  const allowed =
    resolved !== null &&
    (resolved === interaction.originalMessageId ||
      interaction.followupMessageIds.includes(resolved));
  if (!allowed || interaction.responses.length === 0) throw DiscordErrors.unknownMessage();
  const message = ctx.store.getMessage(resolved);
  if (!message) throw DiscordErrors.unknownMessage();
  return message;
}

function editWebhookMessage(req: RestRequest, ctx: SimContext) {
  const interaction = requireWebhookInteraction(ctx, req);
  const message = messageOf(ctx, interaction, param(req, 'messageId'));
  const body = bodyObject(req);
  validateMessageBody(body, true);
  const edited = editMessage(ctx, message, body);
  publishEdit(ctx, edited);
  return json(edited);
}

function deleteWebhookMessage(req: RestRequest, ctx: SimContext) {
  const interaction = requireWebhookInteraction(ctx, req);
  const message = messageOf(ctx, interaction, param(req, 'messageId'));
  ctx.store.deleteMessage(message.id as string);
  return noContent();
}

function followup(req: RestRequest, ctx: SimContext) {
  const interaction = requireWebhookInteraction(ctx, req);
  if (interaction.responses.length === 0) throw DiscordErrors.unknownWebhook();
  const body = bodyObject(req);
  validateMessageBody(body, false);
  // After a deferred reply, the first follow-up fills in the loading message (as Discord does).
  const original = interaction.originalMessageId
    ? ctx.store.getMessage(interaction.originalMessageId)
    : undefined;
  if (original && ((original.flags as number) & MessageFlags.Loading) !== 0) {
    const edited = editMessage(ctx, original, body);
    publishEdit(ctx, edited);
    return json(edited);
  }
  const message = createResponseMessage(ctx, interaction, body, 0);
  interaction.followupMessageIds.push(message.id as string);
  ctx.store.changed();
  return json(message);
}

export function registerInteractionRoutes(router: Router<RestRoute>): void {
  router.add('POST', '/interactions/:interactionId/:interactionToken/callback', {
    auth: 'none',
    globalExempt: true,
    handle: callback,
  });

  const base = '/webhooks/:applicationId/:interactionToken';
  router.add('POST', base, { auth: 'none', globalExempt: true, handle: followup });
  router.add('GET', `${base}/messages/:messageId`, {
    auth: 'none',
    globalExempt: true,
    handle: (req, ctx) =>
      json(messageOf(ctx, requireWebhookInteraction(ctx, req), param(req, 'messageId'))),
  });
  router.add('PATCH', `${base}/messages/:messageId`, {
    auth: 'none',
    globalExempt: true,
    handle: editWebhookMessage,
  });
  router.add('DELETE', `${base}/messages/:messageId`, {
    auth: 'none',
    globalExempt: true,
    handle: deleteWebhookMessage,
  });
}
