import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@game-scheduler/testing';
import { createHarness, type Harness } from './support/harness.ts';
import { addPlayers, createGame } from './support/world.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('notif2');
});

afterAll(async () => {
  await h.close();
});

describe('two daemons on one database', () => {
  it.each([
    { name: 'one claim each', batchSize: 1, concurrency: 1, games: 6 },
    { name: 'batches of 2, three claims each at once', batchSize: 2, concurrency: 3, games: 16 },
  ])(
    'deliver every reminder exactly once between them ($name)',
    async ({ batchSize, concurrency, games: gameCount }) => {
      const players = await addPlayers(h.prisma, h.sim, gameCount * 4);
      const games = [];
      for (let i = 0; i < gameCount; i += 1) {
        games.push(
          await createGame(h.prisma, {
            startsAt: new Date(Date.now() + 2 * 60 * 60_000),
            reminderMinutes: [1],
            userIds: players.slice(i * 4, i * 4 + 4),
            title: `Game ${String(i)}`,
          }),
        );
      }
      const sendsBefore = h.sim.calls({
        method: 'POST',
        route: '/channels/:channelId/messages',
        status: 200,
      }).length;
      const deliveriesBefore = await h.prisma.reminderDelivery.count();
      const first = h.daemon({ batchSize, concurrency });
      const second = h.daemon({ batchSize, concurrency });
      await Promise.all([first.start(), second.start()]);
      const dueAt = new Date(Date.now() - 1_000);
      await h.prisma.reminderSchedule.createMany({
        data: games.map((game) => ({ gameId: game.id, reminderMinutes: 1, dueAt })),
      });
      const ids = games.map((game) => game.id);
      await eventually(async () =>
        (await h.prisma.reminderSchedule.count({
          where: { status: 'SENT', gameId: { in: ids } },
        })) === games.length
          ? true
          : undefined,
      );
      await Promise.all([first.stop(), second.stop()]);
      for (const player of players) expect(h.sim.dms(player)).toHaveLength(1);
      expect(
        h.sim.calls({ method: 'POST', route: '/channels/:channelId/messages', status: 200 }),
      ).toHaveLength(sendsBefore + players.length);
      expect(await h.prisma.reminderDelivery.count()).toBe(deliveriesBefore + players.length);
    },
  );
});
