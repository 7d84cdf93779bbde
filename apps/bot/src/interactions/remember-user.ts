// Hosts and players must exist as users (foreign keys); the bot learns them from interactions.
// Users are never deleted, so once this process has written a user with the names Discord shows,
// it need not write them again on every click: it remembers what it wrote (per database client,
// bounded) and writes again only when the names differ or REMEMBER_FOR_MS has passed.
import type { PrismaClient } from '@game-scheduler/db';
import type { User } from 'discord.js';

/** How long a written user is trusted before it is written again (names changed elsewhere). */
const REMEMBER_FOR_MS = 10 * 60_000;
/** Users remembered per database client; the oldest written are forgotten first. */
const REMEMBER_AT_MOST = 50_000;

interface Written {
  readonly names: string;
  readonly at: number;
}

const writtenByClient = new WeakMap<PrismaClient, Map<string, Written>>();

export async function rememberUser(
  prisma: PrismaClient,
  user: Pick<User, 'id' | 'username' | 'globalName'>,
): Promise<void> {
  let written = writtenByClient.get(prisma);
  if (written === undefined) {
    written = new Map();
    writtenByClient.set(prisma, written);
  }
  const names = { username: user.username, globalName: user.globalName };
  const key = `${names.username}\u0000${names.globalName ?? ''}\u0000${String(names.globalName === null)}`;
  const known = written.get(user.id);
  const now = Date.now();
  if (known !== undefined && known.names === key && now - known.at < REMEMBER_FOR_MS) return;
  await prisma.user.upsert({
    where: { id: user.id },
    create: { id: user.id, ...names },
    update: names,
  });
  // Re-inserted, so the Map's order stays the order of writing.
  written.delete(user.id);
  written.set(user.id, { names: key, at: now });
  if (written.size > REMEMBER_AT_MOST) {
    const oldest = written.keys().next();
    if (oldest.done !== true) written.delete(oldest.value);
  }
}
