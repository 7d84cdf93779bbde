// One test file's world: a migrated database, a RabbitMQ namespace, the local Discord with the demo
// guild and the bot's commands registered by the real deploy-commands entry, and the bot process.
import { createPrismaClient, type Game, type PrismaClient } from '@game-scheduler/db';
import { createMigratedTestDatabase } from '@game-scheduler/db/testing';
import {
  createDiscordSim,
  demoScenario,
  type DiscordSim,
  type RateLimitOptions,
} from '@game-scheduler/discord-sim';
import { deleteTopology, type TopologyOptions } from '@game-scheduler/messaging';
import {
  eventually,
  getServices,
  uniqueName,
  type TestDatabase,
  type TestServices,
} from '@game-scheduler/testing';
import amqp from 'amqplib';
import { ROUTING_KEYS, SERVICE } from '../../src/bot.ts';
import { runToExit, startBotProcess, type BotProcess } from './bot-process.ts';

export const GUILD_ID = '1300000000000000201';
export const GENERAL = '1300000000000000401';
export const ANNOUNCEMENTS = '1300000000000000402';
export const HANA = '1300000000000000101';
export const PAT = '1300000000000000102';
/** DMs closed. */
export const QUINN = '1300000000000000103';
export const RIO = '1300000000000000104';

export interface World {
  readonly database: TestDatabase;
  readonly prisma: PrismaClient;
  readonly sim: DiscordSim;
  readonly namespace: string;
  readonly bot: BotProcess;
  /** Runs a slash command and resolves with the bot's (ephemeral) answer. */
  command(
    userId: string,
    name: string,
    options?: Record<string, string | number | boolean>,
    channelId?: string,
  ): Promise<string>;
  /** Clicks a button and resolves with the bot's (ephemeral) answer. */
  click(userId: string, messageId: string, customId: string): Promise<string>;
  /** The bot's final answer to an interaction. */
  answer(interactionId: string, timeoutMs?: number): Promise<string>;
  /** Adds guild members (new users) and returns their ids. */
  addPlayers(count: number, prefix: string): string[];
  /** Hana creates a game for tomorrow through /create-game; it comes back with its announcement id. */
  createGame(
    title: string,
    options?: Record<string, string | number>,
  ): Promise<Game & { messageId: string }>;
  /** The announcement's embed field whose name starts with `prefix` ("Players 2/4", "Status"). */
  embedField(messageId: string, prefix: string): { name: string; value: string } | undefined;
  close(): Promise<void>;
}

/** A date and time for /create-game: tomorrow evening. */
export function tomorrow(): { date: string; time: string } {
  const day = new Date(Date.now() + 86_400_000);
  return { date: day.toISOString().slice(0, 10), time: '19:30' };
}

export interface WorldOptions {
  readonly rateLimits?: RateLimitOptions;
  readonly env?: Record<string, string>;
  /** Outside vitest (the benchmarks): the services to use instead of the global setup's. */
  readonly services?: TestServices;
  /** How many REST calls the local Discord keeps (its default: 100,000). */
  readonly callLogLimit?: number;
}

export async function createWorld(prefix: string, options: WorldOptions = {}): Promise<World> {
  const services = options.services ?? getServices();
  const database = await createMigratedTestDatabase(services.databaseUrl, { prefix });
  const prisma = createPrismaClient(database.url, { poolSize: 5 });
  const sim = await createDiscordSim({
    scenario: demoScenario,
    rateLimits: options.rateLimits ?? { enabled: false },
    ...(options.callLogLimit === undefined ? {} : { callLogLimit: options.callLogLimit }),
  });
  const namespace = uniqueName(prefix);
  const discordEnv = {
    DISCORD_BOT_TOKEN: sim.application.botToken,
    DISCORD_CLIENT_ID: sim.application.id,
    DISCORD_API_URL: sim.apiUrl,
  };
  const deployed = await runToExit('src/deploy-commands.ts', {
    ...discordEnv,
    BOT_COMMANDS_GUILD_ID: GUILD_ID,
  });
  if (deployed.code !== 0) throw new Error(`deploy-commands failed:\n${deployed.output}`);
  const bot = await startBotProcess({
    ...discordEnv,
    DATABASE_URL: database.url,
    RABBITMQ_URL: services.rabbitmqUrl,
    RABBITMQ_NAMESPACE: namespace,
    BOT_ANNOUNCEMENT_DELAY_MS: '100',
    LOG_LEVEL: 'info',
    ...options.env,
  });

  async function answer(interactionId: string, timeoutMs = 15_000): Promise<string> {
    return eventually(
      () => {
        const content = sim.originalResponse(interactionId)?.content;
        return typeof content === 'string' && content !== '' ? content : undefined;
      },
      { timeoutMs },
    );
  }

  let players = 0;
  return {
    database,
    prisma,
    sim,
    namespace,
    bot,
    answer,
    command(userId, name, commandOptions = {}, channelId = ANNOUNCEMENTS) {
      const run = sim.runSlashCommand({ userId, channelId, name, options: commandOptions });
      return answer(run.id);
    },
    click(userId, messageId, customId) {
      return answer(sim.clickButton({ userId, messageId, customId }).id);
    },
    async createGame(title, options = {}) {
      await answer(
        sim.runSlashCommand({
          userId: HANA,
          channelId: ANNOUNCEMENTS,
          name: 'create-game',
          options: { title, ...tomorrow(), ...options },
        }).id,
      );
      const game = await prisma.game.findFirstOrThrow({ where: { title } });
      if (game.messageId === null) throw new Error(`${title} has no announcement`);
      return { ...game, messageId: game.messageId };
    },
    embedField(messageId, prefix) {
      const embeds = (sim.message(messageId)?.embeds ?? []) as {
        fields: { name: string; value: string }[];
      }[];
      return embeds[0]?.fields.find((f) => f.name.startsWith(prefix));
    },
    addPlayers(count, namePrefix) {
      return Array.from({ length: count }, () => {
        players += 1;
        return sim.addMember(GUILD_ID, { user: { username: `${namePrefix}_${String(players)}` } });
      });
    },
    async close() {
      await bot.stop();
      const topologyOptions: TopologyOptions = {
        namespace,
        consumers: [{ service: SERVICE, routingKeys: [...ROUTING_KEYS] }],
      };
      const admin = await amqp.connect(services.rabbitmqUrl);
      const channel = await admin.createChannel();
      await deleteTopology(channel, topologyOptions).catch(() => undefined);
      await admin.close();
      await prisma.$disconnect();
      await sim.close();
      await database.drop();
    },
  };
}
