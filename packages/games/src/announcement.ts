// Where a game's announcement lives: the bot records the message id once it has posted (or
// re-posted) it, in one transaction with a `game.updated` event whose only change is
// `announcement`, so every consumer learns the new `announcementMessageId`.
import type { PrismaClient } from '@game-scheduler/db';
import { createEvent, writeOutboxEvent } from '@game-scheduler/messaging';
import { rosterEventFields, rosterOf } from './roster-rows.ts';

/**
 * Stores `messageId` as the game's announcement. Returns false (and writes nothing) when the game
 * is gone or already points at that message.
 */
export async function recordAnnouncement(
  prisma: PrismaClient,
  gameId: string,
  messageId: string,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM games WHERE id = ${gameId}::uuid FOR UPDATE`;
    const current = await tx.game.findUnique({
      where: { id: gameId },
      include: { participants: true },
    });
    if (current === null || current.messageId === messageId) return false;
    const game = await tx.game.update({ where: { id: gameId }, data: { messageId } });
    await writeOutboxEvent(
      tx,
      createEvent('game.updated', {
        gameId: game.id,
        guildId: game.guildId,
        channelId: game.channelId,
        announcementMessageId: messageId,
        startsAt: game.startsAt.toISOString(),
        durationMinutes: game.durationMinutes,
        reminderMinutesBefore: [...game.reminderMinutes],
        ...rosterEventFields(rosterOf(game.maxPlayers, current.participants)),
        title: game.title,
        maxPlayers: game.maxPlayers,
        changes: {
          fields: ['announcement'],
          joinedUserIds: [],
          leftUserIds: [],
          promotedUserIds: [],
        },
      }),
    );
    return true;
  });
}
