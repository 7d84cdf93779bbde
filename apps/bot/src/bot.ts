// The bot as a unit main.ts (and tests) build: a discord.js client with the least intents it needs
// (Guilds: the guild, channel and role cache; interactions arrive without any intent), its REST
// calls traced, one listener per gateway event, and the consumer of the game events that keep
// announcements in step.
import type { PrismaClient } from '@game-scheduler/db';
import { createGameService } from '@game-scheduler/games';
import {
  consume,
  createPrismaIdempotencyStore,
  type Consumer,
  type ConsumerOutcome,
  type MessagingConnection,
  type Topology,
} from '@game-scheduler/messaging';
import type { Logger } from '@game-scheduler/telemetry';
import { Client, Events, GatewayIntentBits, Status } from 'discord.js';
import { once } from 'node:events';
import { createAnnouncer, type Announcer } from './announcements/announcer.ts';
import { createEventHandler, isRepeatable } from './consumer/event-handler.ts';
import { createPlayerNotices } from './consumer/player-notices.ts';
import { createBotDiscord } from './discord/bot-discord.ts';
import {
  gatewayDirectory,
  gatewayMembership,
  interactionMembership,
} from './discord/guild-access.ts';
import { TracedRest } from './discord/traced-rest.ts';
import { createInteractionListener } from './events/interaction-create.ts';
import { createReadyListener, recordGuilds } from './events/ready.ts';
import { createKeyedQueue } from './interactions/keyed-queue.ts';

export const SERVICE = 'bot';

/** The routing keys the bot's queue is bound to. */
export const ROUTING_KEYS = [
  'game.created',
  'game.updated',
  'game.cancelled',
  'game.player_removed',
  'game.status_changed',
] as const;

/** Only the guild cache: no privileged intents, no message content. */
export const INTENTS = [GatewayIntentBits.Guilds] as const;

export interface BotDeps {
  readonly prisma: PrismaClient;
  readonly connection: MessagingConnection;
  /** Must include the `bot` consumer (see ROUTING_KEYS). */
  readonly topology: Topology;
  readonly discord: {
    readonly botToken: string;
    /** Base URL without the version (discord.js `rest.api`). */
    readonly apiUrl: string;
    readonly timeoutMs: number;
  };
  readonly announcementDelayMs: number;
  readonly prefetch: number;
  readonly logger: Logger;
  /** For tests: what happened to each consumed delivery. */
  readonly onConsumed?: (outcome: ConsumerOutcome, info: { messageId: string | undefined }) => void;
}

export interface Bot {
  readonly client: Client;
  readonly announcer: Announcer;
  /** Logs in, waits for READY, then consumes game events. */
  start(): Promise<void>;
  /** One shutdown path: stop consuming, let announcement writes finish, leave the gateway. */
  stop(): Promise<void>;
  /** True while every gateway shard is connected and ready (false while resuming or reconnecting). */
  gatewayReady(): boolean;
}

/** The client got READY once and each of its shards is READY now (discord.js keeps the state). */
export function gatewayReady(client: Client): boolean {
  const shards = client.ws.shards;
  return (
    client.isReady() && shards.size > 0 && shards.every((shard) => shard.status === Status.Ready)
  );
}

export function createBot(deps: BotDeps): Bot {
  const { prisma, logger } = deps;
  const client = new Client({
    intents: [...INTENTS],
    rest: { api: deps.discord.apiUrl, timeout: deps.discord.timeoutMs },
    allowedMentions: { parse: [] },
  });
  // Same options, with a span and a metric per call.
  client.rest = new TracedRest(client.options.rest ?? {});
  const discord = createBotDiscord(client.rest);
  const announcer = createAnnouncer({
    prisma,
    discord,
    delayMs: deps.announcementDelayMs,
    logger,
  });
  const membership = gatewayMembership(client);
  const directory = gatewayDirectory(client);
  const onInteraction = createInteractionListener({
    prisma,
    announcer,
    logger,
    rosterQueue: createKeyedQueue(),
    games: (interaction) =>
      createGameService({
        prisma,
        directory,
        guildAccess: interactionMembership(interaction, membership),
        source: 'discord',
      }),
  });
  const onReady = createReadyListener({ prisma, announcer, logger });
  client.on(Events.InteractionCreate, (interaction) => {
    void onInteraction(interaction);
  });
  client.on(Events.ClientReady, (ready) => {
    void onReady(ready).catch((error: unknown) => {
      logger.error({ err: error }, 'Ready handling failed');
    });
  });
  client.on(Events.GuildCreate, (guild) => {
    if (!client.isReady()) return; // the guilds of READY are recorded by onReady
    void recordGuilds(prisma, [guild]).catch((error: unknown) => {
      logger.error({ err: error, guildId: guild.id }, 'Recording a new guild failed');
    });
  });
  client.on(Events.Error, (error) => {
    logger.error({ err: error }, 'Discord client error');
  });
  client.on(Events.ShardDisconnect, (event, shardId) => {
    logger.warn({ code: event.code, shardId }, 'Gateway disconnected');
  });

  let consumer: Consumer | null = null;

  async function stop(): Promise<void> {
    await consumer?.close();
    consumer = null;
    await announcer.idle();
    await client.destroy();
  }

  return {
    client,
    announcer,
    async start() {
      try {
        const ready = once(client, Events.ClientReady);
        await client.login(deps.discord.botToken);
        await ready;
        consumer = await consume({
          connection: deps.connection,
          topology: deps.topology,
          service: SERVICE,
          idempotency: createPrismaIdempotencyStore(prisma),
          prefetch: deps.prefetch,
          repeatable: isRepeatable,
          handler: createEventHandler({
            announcer,
            notices: createPlayerNotices(discord, logger),
            logger,
          }),
          onOutcome: (outcome, info) => {
            if (info.error !== undefined) {
              logger.warn({ err: info.error, outcome, messageId: info.messageId }, 'Event failed');
            }
            deps.onConsumed?.(outcome, { messageId: info.messageId });
          },
        });
      } catch (error) {
        await stop().catch(() => undefined);
        throw error;
      }
    },
    stop,
    gatewayReady: () => gatewayReady(client),
  };
}
