// INTERACTION_CREATE: one root span `discord.interaction` per interaction (user, channel, guild,
// command or custom id), the handler in a child span named after the command or button action,
// an ephemeral answer within Discord's 3-second window (deferred first, then edited), and the
// `discord.interactions` counter by type, command and outcome.
import {
  Attr,
  AttrValues,
  Metrics,
  SpanNames,
  createCounter,
  recordError,
  withSpan,
} from '@game-scheduler/telemetry';
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import { isDomainError } from '@game-scheduler/domain';
import { BUTTON_HANDLERS } from '../buttons/game-buttons.ts';
import { parseButtonCustomId } from '../buttons/custom-id.ts';
import { commandHandler } from '../commands/handlers.ts';
import { errorReply, type InteractionOutcome } from '../interactions/error-reply.ts';
import type { InteractionDeps } from '../interactions/interaction-deps.ts';

type Route = {
  readonly type: 'command' | 'button';
  readonly name: string;
  readonly spanName: string;
  run(): Promise<void>;
  /** Gives up what the route reserved on arrival, if `run` did not use it. */
  release(): void;
} | null;

function routeOf(interaction: Interaction, deps: InteractionDeps): Route {
  if (interaction.isChatInputCommand()) {
    const handler = commandHandler(interaction.commandName);
    if (handler === undefined) return null;
    return {
      type: 'command',
      name: interaction.commandName,
      spanName: handler.spanName,
      run: () => handler.handle(interaction, deps),
      release: () => undefined,
    };
  }
  if (interaction.isButton()) {
    const parsed = parseButtonCustomId(interaction.customId);
    if (parsed === null) return null;
    const handler = BUTTON_HANDLERS[parsed.action];
    // The click's place in the game's line is taken now, in arrival order, before any await.
    const place = deps.rosterQueue.reserve(parsed.gameId);
    return {
      type: 'button',
      name: parsed.action,
      spanName: handler.spanName,
      run: () => handler.handle(interaction, parsed.gameId, place, deps),
      release: () => {
        place.release();
      },
    };
  }
  return null;
}

function attributesOf(interaction: Interaction): Attributes {
  const attributes: Attributes = {
    [Attr.discordUserId]: interaction.user.id,
    [Attr.discordInteractionType]: interaction.isChatInputCommand()
      ? AttrValues.discordInteractionType.command
      : interaction.isButton()
        ? AttrValues.discordInteractionType.button
        : AttrValues.discordInteractionType.other,
  };
  if (interaction.channelId !== null) attributes[Attr.discordChannelId] = interaction.channelId;
  if (interaction.guildId !== null) attributes[Attr.discordGuildId] = interaction.guildId;
  if (interaction.isChatInputCommand()) attributes[Attr.discordCommand] = interaction.commandName;
  if (interaction.isMessageComponent()) attributes[Attr.discordCustomId] = interaction.customId;
  return attributes;
}

async function answer(interaction: RepliableInteraction, text: string): Promise<void> {
  if (interaction.deferred || interaction.replied) await interaction.editReply(text);
  else await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
}

export function createInteractionListener(deps: InteractionDeps) {
  const interactions = createCounter(Metrics.discordInteractions);
  return (interaction: Interaction): Promise<void> => {
    const attributes = attributesOf(interaction);
    return withSpan(
      SpanNames.discordInteraction,
      attributes,
      async (span) => {
        const route = routeOf(interaction, deps);
        if (route === null || !interaction.isRepliable()) {
          route?.release();
          deps.logger.debug({ type: interaction.type }, 'Interaction not for this bot');
          return;
        }
        let outcome: InteractionOutcome = 'success';
        try {
          // Acknowledged at once: the answer may take longer than Discord's 3 seconds under load.
          await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          await withSpan(route.spanName, {}, () => route.run());
        } catch (error) {
          // At once, not after the answer below: the clicks behind this one need not wait for it.
          route.release();
          const reply = errorReply(error);
          outcome = reply.outcome;
          if (isDomainError(error)) span.setAttribute(Attr.errorType, error.code);
          if (outcome === 'error') {
            recordError(span, error);
            deps.logger.error({ err: error, command: route.name }, 'Interaction failed');
          } else {
            deps.logger.info(
              { code: isDomainError(error) ? error.code : undefined, command: route.name },
              'Interaction refused',
            );
          }
          await answer(interaction, reply.text).catch((replyError: unknown) => {
            deps.logger.warn({ err: replyError }, 'Could not answer the interaction');
          });
        } finally {
          route.release();
          interactions.add(1, {
            [Attr.discordInteractionType]: route.type,
            [Attr.discordCommand]: route.name,
            [Attr.outcome]: AttrValues.outcome[outcome],
          });
        }
      },
      { root: true, kind: SpanKind.SERVER },
    );
  };
}
