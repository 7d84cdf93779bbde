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
  it('deliver every reminder exactly once between them', async () => {
    const players = await addPlayers(h.prisma, h.sim, 24);
    const games = [];
    for (let i = 0; i < 6; i += 1) {
      games.push(
        await createGame(h.prisma, {
          startsAt: new Date(Date.now() + 2 * 60 * 60_000),
          reminderMinutes: [1],
          userIds: players.slice(i * 4, i * 4 + 4),
          title: `Game ${String(i)}`,
        }),
      );
    }
    const first = h.daemon({ batchSize: 1 });
    const second = h.daemon({ batchSize: 1 });
    await Promise.all([first.start(), second.start()]);
    const dueAt = new Date(Date.now() - 1_000);
    await h.prisma.reminderSchedule.createMany({
      data: games.map((game) => ({ gameId: game.id, reminderMinutes: 1, dueAt })),
    });
    await eventually(async () =>
      (await h.prisma.reminderSchedule.count({ where: { status: 'SENT' } })) === games.length
        ? true
        : undefined,
    );
    for (const player of players) expect(h.sim.dms(player)).toHaveLength(1);
    expect(
      h.sim.calls({ method: 'POST', route: '/channels/:channelId/messages', status: 200 }),
    ).toHaveLength(players.length);
    expect(await h.prisma.reminderDelivery.count()).toBe(players.length);
  });
});
