// The real bot process while Discord answers 5xx and 429s (issue #6): the announcement still ends
// up right (a write that fails past @discordjs/rest's retries is tried again by the announcer), and
// a promoted player gets the DM, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@game-scheduler/testing';
import { ANNOUNCEMENTS, HANA, PAT, RIO, createWorld, type World } from './support/world.ts';

const EDIT = '/channels/:channelId/messages/:messageId';
const POST = '/channels/:channelId/messages';

let world: World;

beforeAll(async () => {
  world = await createWorld('bot_flaky');
}, 90_000);

afterAll(async () => {
  await world.close();
});

describe('the bot while Discord answers errors', () => {
  it('keeps the announcement in step and DMs the promoted player once, through 503s and 429s', async () => {
    const game = await world.createGame('Flaky night', { 'max-players': 1 });
    const since = world.sim.lastCallSeq;
    // Edits: two seconds of 429s (each one waited out), then every second one a 503. The first DM
    // sent: a 503.
    world.sim.failRequests({ route: EDIT, method: 'PATCH', status: 429, forMs: 2_000 });
    world.sim.failRequests({ route: EDIT, method: 'PATCH', share: 1 / 2, status: 503 });
    world.sim.failRoute({ route: POST, method: 'POST', status: 503 });

    const join = `game:join:${game.id}`;
    expect(await world.click(PAT, game.messageId, join)).toBe(
      "You're in **Flaky night** (1/1 players).",
    );
    expect(await world.click(RIO, game.messageId, join)).toMatch(/waitlist/);
    expect(await world.click(PAT, game.messageId, `game:leave:${game.id}`)).toBe(
      'You left **Flaky night**.',
    );

    await world.sim.waitForDm(RIO, (message) => String(message.content).includes('Flaky night'));
    await eventually(
      () =>
        world.embedField(game.messageId, 'Players')?.value === `1. <@${RIO}>` ? true : undefined,
      { timeoutMs: 30_000 },
    );
    expect(world.embedField(game.messageId, 'Waitlist')).toBeUndefined();
    world.sim.clearFaults();

    const calls = world.sim.calls({ afterSeq: since });
    expect(
      calls.map((call) => call.status),
      calls.map((call) => `${call.method} ${String(call.route)} ${String(call.status)}`).join('\n'),
    ).toEqual(expect.arrayContaining([503, 429]));
    const dms = world.sim.dms(RIO).filter((m) => String(m.content).includes('Flaky night'));
    expect(dms).toHaveLength(1);
    // The announcement was edited, never posted a second time.
    const reposts = calls.filter(
      (call) =>
        call.method === 'POST' && call.route === POST && call.params['channelId'] === ANNOUNCEMENTS,
    );
    expect(reposts).toEqual([]);
  }, 60_000);

  it('tells each player of a cancelled game once, when a DM fails long enough for the event to be handled again', async () => {
    const game = await world.createGame('Doomed night', { 'max-players': 1 });
    await world.click(PAT, game.messageId, `game:join:${game.id}`);
    await world.click(RIO, game.messageId, `game:join:${game.id}`);
    // The first DM goes through; then every send fails for three seconds, past @discordjs/rest's
    // own retries, so the event fails and is handled again (the broker's retry, 1 s then 5 s later).
    world.sim.failRequests({ route: POST, method: 'POST', skip: 1, status: 500, forMs: 3_000 });

    expect(await world.command(HANA, 'cancel-game', { game: game.id })).toBe(
      'Cancelled **Doomed night**. The players will be told.',
    );
    for (const player of [PAT, RIO]) {
      await world.sim.waitForDm(
        player,
        (message) => String(message.content).includes('Doomed night'),
        { timeoutMs: 20_000 },
      );
    }
    expect(world.sim.calls({ method: 'POST', route: POST, status: 500 }).length).toBeGreaterThan(0);
    for (const player of [PAT, RIO]) {
      const dms = world.sim.dms(player).filter((m) => String(m.content).includes('Doomed night'));
      expect(dms, player).toHaveLength(1);
    }
  }, 60_000);

  it('edits the announcement once Discord is back, after three seconds of nothing but 500s on edits', async () => {
    const game = await world.createGame('Dark night', { 'max-players': 1 });
    world.sim.failRequests({ route: EDIT, method: 'PATCH', status: 500, forMs: 3_000 });

    expect(await world.click(PAT, game.messageId, `game:join:${game.id}`)).toBe(
      "You're in **Dark night** (1/1 players).",
    );
    await eventually(
      () =>
        world.embedField(game.messageId, 'Players')?.value === `1. <@${PAT}>` ? true : undefined,
      { timeoutMs: 30_000 },
    );
    expect(world.sim.calls({ method: 'PATCH', route: EDIT, status: 500 }).length).toBeGreaterThan(
      0,
    );
    const announcements = world.sim
      .calls({ method: 'POST', route: POST, status: 200 })
      .filter((call) => JSON.stringify(call.body).includes('Dark night'));
    expect(announcements).toHaveLength(1);
  }, 60_000);
});
