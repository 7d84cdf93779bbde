// "My games": the upcoming games of a guild a user hosts or is on the roster of (confirmed or
// waitlisted), soonest first. The caller has already checked guild membership (the bot answers
// for the interacting member itself).
import type { Game, PrismaClient } from '@game-scheduler/db';
import { rosterOf } from './roster-rows.ts';

export interface MyGame {
  readonly game: Game;
  readonly confirmedCount: number;
  readonly waitlistCount: number;
  /** The user's place: hosting, on the roster, or on the waitlist (hosts may also play). */
  readonly roles: readonly ('host' | 'confirmed' | 'waitlist')[];
}

export async function listMyGames(
  prisma: PrismaClient,
  input: { readonly userId: string; readonly guildId: string; readonly limit: number },
): Promise<MyGame[]> {
  const games = await prisma.game.findMany({
    where: {
      guildId: input.guildId,
      status: { in: ['SCHEDULED', 'IN_PROGRESS'] },
      OR: [{ hostId: input.userId }, { participants: { some: { userId: input.userId } } }],
    },
    include: { participants: true },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: input.limit,
  });
  return games.map(({ participants, ...game }) => {
    const roster = rosterOf(game.maxPlayers, participants);
    const roles: MyGame['roles'][number][] = [];
    if (game.hostId === input.userId) roles.push('host');
    if (roster.confirmed.some((p) => p.kind === 'user' && p.userId === input.userId)) {
      roles.push('confirmed');
    }
    if (roster.waitlist.some((p) => p.kind === 'user' && p.userId === input.userId)) {
      roles.push('waitlist');
    }
    return {
      game,
      confirmedCount: roster.confirmed.length,
      waitlistCount: roster.waitlist.length,
      roles,
    };
  });
}
