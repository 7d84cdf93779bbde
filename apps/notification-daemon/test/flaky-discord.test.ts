// Discord answering 5xx and 429s (issue #6): reminders are still delivered, each exactly once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '@game-scheduler/testing';
import type { App } from '../src/app.ts';
import { createHarness, type Harness } from './support/harness.ts';
import { CHANNEL_ID, QUINN_ID, addPlayers, createGame } from './support/world.ts';

const MESSAGES = '/channels/:channelId/messages';

let h: Harness;
let app: App;

beforeAll(async () => {
  h = await createHarness('notif_flaky');
  // As in production: @discordjs/rest retries a 5xx three times and waits out 429s; the job retries
  // with backoff on top (sooner and more often than production's, to fit a test).
  app = h.daemon({ maxAttempts: 8, retryBaseMs: 200, retryMaxMs: 1_000 }, { retries: 3 });
  await app.start();
});

afterAll(async () => {
  await h.close();
});

beforeEach(() => {
  h.sim.clearActivity();
});

/** Games of four players each with one reminder due now; Quinn (DMs closed) plays in the first. */
async function dueGames(count: number, title: string) {
  const players = await addPlayers(h.prisma, h.sim, count * 4 - 1);
  const seats = [QUINN_ID, ...players];
  const games = [];
  for (let i = 0; i < count; i += 1) {
    games.push(
      await createGame(h.prisma, {
        startsAt: new Date(Date.now() + 2 * 60 * 60_000),
        reminderMinutes: [1],
        userIds: seats.slice(i * 4, i * 4 + 4),
        title: `${title} ${String(i)}`,
      }),
    );
  }
  await h.prisma.reminderSchedule.createMany({
    data: games.map((game) => ({ gameId: game.id, reminderMinutes: 1, dueAt: new Date() })),
  });
  return { games, players, title };
}

async function allSent(gameIds: string[]) {
  await eventually(
    async () => {
      const rows = await h.prisma.reminderSchedule.findMany({ where: { gameId: { in: gameIds } } });
      return rows.every((row) => row.status === 'SENT') ? rows : undefined;
    },
    { timeoutMs: 60_000 },
  );
}

function expectEachRemindedOnce(players: string[], title: string) {
  for (const player of players) {
    expect(
      h.sim.dms(player).filter((m) => String(m.content).includes(title)),
      player,
    ).toHaveLength(1);
  }
  const mentions = h.sim
    .messages(CHANNEL_ID)
    .filter((m) => String(m.content).startsWith(`<@${QUINN_ID}>`));
  expect(mentions).toHaveLength(1);
}

describe('reminders while Discord answers errors', () => {
  it('are all delivered once when a third of the calls get a 503 and a sixth a 429', async () => {
    h.sim.failRequests({ share: 1 / 3, status: 503 });
    h.sim.failRequests({ share: 1 / 6, status: 429, retryAfterSeconds: 0.1 });
    const { games, players, title } = await dueGames(3, 'Stormy night');

    await allSent(games.map((game) => game.id));
    h.sim.clearFaults();

    expectEachRemindedOnce(players, title);
    const statuses = h.sim.calls().map((call) => call.status);
    expect(statuses).toContain(503);
    expect(statuses).toContain(429);
    // One successful message per player: no send was repeated after a failure.
    expect(h.sim.calls({ method: 'POST', route: MESSAGES, status: 200 })).toHaveLength(
      players.length + 1,
    );
    expect(
      await h.prisma.reminderDelivery.count({
        where: { gameId: { in: games.map((game) => game.id) } },
      }),
    ).toBe(players.length + 1);
  });

  it('wait out a Discord that answers nothing but 500s for three seconds, then are delivered once', async () => {
    h.sim.failRequests({ status: 500, forMs: 3_000 });
    const { games, players, title } = await dueGames(2, 'Outage party');

    await allSent(games.map((game) => game.id));

    expectEachRemindedOnce(players, title);
    const rows = await h.prisma.reminderSchedule.findMany({
      where: { gameId: { in: games.map((game) => game.id) } },
    });
    // The first attempts failed (retried by the job, not parked), the later one delivered.
    expect(rows.some((row) => row.attempts > 1)).toBe(true);
    expect(h.sim.calls({ status: 500 }).length).toBeGreaterThan(0);
    expect(h.sim.calls({ method: 'POST', route: MESSAGES, status: 200 })).toHaveLength(
      players.length + 1,
    );
  });
});
