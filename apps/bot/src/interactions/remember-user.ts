// Hosts and players must exist as users (foreign keys); the bot learns them from interactions.
import type { PrismaClient } from '@game-scheduler/db';
import type { User } from 'discord.js';

export async function rememberUser(prisma: PrismaClient, user: User): Promise<void> {
  const names = { username: user.username, globalName: user.globalName };
  await prisma.user.upsert({
    where: { id: user.id },
    create: { id: user.id, ...names },
    update: names,
  });
}
