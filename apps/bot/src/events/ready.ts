// READY: a root span with the number of guilds; every guild the bot is in gets its row (so managers
// can configure it through the API before its first game); then every open game still without an
// announcement (created while the bot was away, or whose post failed) gets one. GUILD_CREATE after
// READY (the bot added to a guild) records that guild too.
import type { PrismaClient } from '@game-scheduler/db';
import { Attr, SpanNames, withSpan, type Logger } from '@game-scheduler/telemetry';
import type { Client, Guild } from 'discord.js';
import type { Announcer } from '../announcements/announcer.ts';

export interface ReadyDeps {
  readonly prisma: PrismaClient;
  readonly announcer: Announcer;
  readonly logger: Logger;
}

export function createReadyListener(deps: ReadyDeps) {
  return (client: Client<true>): Promise<void> =>
    withSpan(
      SpanNames.discordGatewayEvent,
      { [Attr.discordEventName]: 'ready', [Attr.discordGuildCount]: client.guilds.cache.size },
      async () => {
        deps.logger.info(
          { guilds: client.guilds.cache.size, user: client.user.id },
          'Discord gateway ready',
        );
        await recordGuilds(deps.prisma, [...client.guilds.cache.values()]);
        const unposted = await deps.prisma.game.findMany({
          where: {
            messageId: null,
            status: { in: ['SCHEDULED', 'IN_PROGRESS'] },
            guildId: { in: [...client.guilds.cache.keys()] },
          },
          select: { id: true },
          orderBy: { startsAt: 'asc' },
          take: 100,
        });
        await Promise.allSettled(
          unposted.map((game) => deps.announcer.refresh(game.id, 'post-only')),
        );
        if (unposted.length > 0) {
          deps.logger.info({ count: unposted.length }, 'Posted missing announcements');
        }
      },
      { root: true },
    );
}

/** Inserts the guilds the database does not know yet (names of known ones are left alone). */
export async function recordGuilds(
  prisma: PrismaClient,
  guilds: readonly Pick<Guild, 'id' | 'name'>[],
): Promise<void> {
  if (guilds.length === 0) return;
  await prisma.guild.createMany({
    data: guilds.map((guild) => ({ id: guild.id, name: guild.name })),
    skipDuplicates: true,
  });
}
