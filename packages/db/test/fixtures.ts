// Minimal rows most tests need: a host, a guild with an enabled channel, and a scheduled game.
import type { Game, PrismaClient } from '../src/index.ts';

let counter = 0;

/** A unique Discord-style snowflake (digits only) for this test run. */
export function snowflake(): string {
  counter += 1;
  return `${Date.now()}${String(counter).padStart(4, '0')}`;
}

export async function createGame(
  prisma: PrismaClient,
  overrides: { startsAt?: Date; maxPlayers?: number | null } = {},
): Promise<Game> {
  const host = await prisma.user.create({ data: { id: snowflake(), username: 'host' } });
  const guild = await prisma.guild.create({ data: { id: snowflake(), name: 'Guild' } });
  const channel = await prisma.channel.create({
    data: { id: snowflake(), guildId: guild.id, name: 'games' },
  });
  return prisma.game.create({
    data: {
      guildId: guild.id,
      channelId: channel.id,
      hostId: host.id,
      title: 'Board game night',
      startsAt: overrides.startsAt ?? new Date('2030-01-01T18:00:00.000Z'),
      durationMinutes: 120,
      maxPlayers: overrides.maxPlayers === undefined ? 4 : overrides.maxPlayers,
      reminderMinutes: [60, 15],
    },
  });
}
