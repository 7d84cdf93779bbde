import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GENERAL_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  QUINN,
  RIO,
  startHarness,
  type Harness,
} from './support/harness.ts';
import { as, ids, inHours, newGame, outboxFor, type GameBody } from './support/games.ts';

let h: Harness;
let hana: ReturnType<typeof as>;
let pat: ReturnType<typeof as>;
let quinn: ReturnType<typeof as>;
let rio: ReturnType<typeof as>;
let outsider: ReturnType<typeof as>;
let outsiderId: string;
const MANAGER_ROLE_NAME = 'Organisers';

async function create(overrides: Record<string, unknown> = {}): Promise<GameBody> {
  const response = await hana('POST', '/api/v1/games', newGame(overrides));
  expect(response.statusCode).toBe(201);
  return response.json<GameBody>();
}

beforeAll(async () => {
  h = await startHarness();
  const managerRole = h.sim.addRole(GUILD_ID, { name: MANAGER_ROLE_NAME });
  h.sim.addMember(GUILD_ID, { userId: QUINN, roles: ['Player', managerRole] });
  outsiderId = h.sim.addUser({ username: 'outsider_olli' });
  hana = as(h, await h.login(HANA));
  pat = as(h, await h.login(PAT));
  quinn = as(h, await h.login(QUINN));
  rio = as(h, await h.login(RIO));
  outsider = as(h, await h.login(outsiderId));
  // The guild row exists once the first game is created; make Organisers bot managers.
  await create();
  await h.prisma.guild.update({
    where: { id: GUILD_ID },
    data: { botManagerRoleIds: [managerRole] },
  });
});

afterAll(async () => {
  await h.close();
});

describe('creating a game', () => {
  it('creates the game and writes game.created to the outbox in the same transaction', async () => {
    const response = await hana('POST', '/api/v1/games', newGame({ title: 'Wingspan' }));
    expect(response.statusCode).toBe(201);
    const game = response.json<GameBody>();
    expect(response.headers.location).toBe(`/api/v1/games/${game.id}`);
    expect(game).toMatchObject({ title: 'Wingspan', status: 'SCHEDULED', maxPlayers: 4 });
    expect(game.roster).toEqual({ confirmed: [], waitlist: [] });
    const events = await outboxFor(h, game.id);
    expect(events.map((e) => e.type)).toEqual(['game.created']);
    expect(events[0]?.payload).toMatchObject({
      hostUserId: HANA,
      guildId: GUILD_ID,
      createdVia: 'api',
      reminderMinutesBefore: [60, 15],
    });
  });

  it('records the guild and channel it learnt from Discord', async () => {
    await create({ channelId: GENERAL_CHANNEL });
    const channel = await h.prisma.channel.findUnique({ where: { id: GENERAL_CHANNEL } });
    expect(channel).toMatchObject({ guildId: GUILD_ID, name: 'general' });
    const guild = await h.prisma.guild.findUnique({ where: { id: GUILD_ID } });
    expect(guild?.name).toBe('Game Night');
  });

  it('creates the first games of a new channel side by side, all of them', async () => {
    const channelId = h.sim.addChannel(GUILD_ID, { name: 'raid-night' });
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        hana('POST', '/api/v1/games', newGame({ channelId, title: `Raid ${String(i + 1)}` })),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(await h.prisma.game.count({ where: { channelId } })).toBe(6);
    expect(await h.prisma.channel.findUnique({ where: { id: channelId } })).toMatchObject({
      guildId: GUILD_ID,
      name: 'raid-night',
    });
  });

  it.each([
    ['title', newGame({ title: undefined })],
    ['title', newGame({ title: '' })],
    ['title', newGame({ title: 'a\u0000b' })],
    ['description', newGame({ description: 'a\u0000b' })],
    ['guildId', newGame({ guildId: 'not-a-snowflake' })],
    ['startsAt', newGame({ startsAt: 'tomorrow' })],
    ['durationMinutes', newGame({ durationMinutes: 0 })],
    ['maxPlayers', newGame({ maxPlayers: 0 })],
    ['reminderMinutes.0', newGame({ reminderMinutes: [-5] })],
    ['colour', newGame({ colour: 'red' })],
  ])('answers 400 naming %s for a bad body', async (field, body) => {
    const response = await hana('POST', '/api/v1/games', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'VALIDATION', details: { field } } });
  });

  it('answers 400 naming startsAt for a time in the past', async () => {
    const response = await hana('POST', '/api/v1/games', newGame({ startsAt: inHours(-1) }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { details: { field: 'startsAt' } } });
  });

  it('answers 400 naming channelId for a channel outside the guild', async () => {
    const response = await hana(
      'POST',
      '/api/v1/games',
      newGame({ channelId: '1399999999999999999' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { details: { field: 'channelId' } } });
  });

  it('answers 404 to someone outside the guild, disclosing nothing', async () => {
    const response = await outsider('POST', '/api/v1/games', newGame());
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('answers 401 without a session', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/games',
      payload: newGame(),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('listing games', () => {
  it('lists a guild soonest first, pages with a cursor, and filters by channel and time', async () => {
    const first = await create({ title: 'List A', startsAt: inHours(200) });
    const second = await create({ title: 'List B', startsAt: inHours(201) });
    const third = await create({
      title: 'List C',
      startsAt: inHours(202),
      channelId: GENERAL_CHANNEL,
    });
    const window = `from=${encodeURIComponent(inHours(199))}&to=${encodeURIComponent(inHours(203))}`;
    const page1 = await pat('GET', `/api/v1/games?guildId=${GUILD_ID}&${window}&limit=2`);
    expect(page1.statusCode).toBe(200);
    const body1 = page1.json<{ items: GameBody[]; nextCursor: string | null }>();
    expect(body1.items.map((g) => g.id)).toEqual([first.id, second.id]);
    expect(body1.nextCursor).not.toBeNull();
    const page2 = await pat(
      'GET',
      `/api/v1/games?guildId=${GUILD_ID}&${window}&limit=2&cursor=${String(body1.nextCursor)}`,
    );
    const body2 = page2.json<{ items: GameBody[]; nextCursor: string | null }>();
    expect(body2.items.map((g) => g.id)).toEqual([third.id]);
    expect(body2.nextCursor).toBeNull();
    const inGeneral = await pat(
      'GET',
      `/api/v1/games?guildId=${GUILD_ID}&${window}&channelId=${GENERAL_CHANNEL}`,
    );
    expect(inGeneral.json<{ items: GameBody[] }>().items.map((g) => g.id)).toEqual([third.id]);
  });

  it('filters by status', async () => {
    const game = await create({ title: 'To cancel', startsAt: inHours(300) });
    await hana('POST', `/api/v1/games/${game.id}/cancel`, {});
    const response = await pat('GET', `/api/v1/games?guildId=${GUILD_ID}&status=CANCELLED`);
    expect(response.json<{ items: GameBody[] }>().items.map((g) => g.id)).toContain(game.id);
    const scheduled = await pat(
      'GET',
      `/api/v1/games?guildId=${GUILD_ID}&status=SCHEDULED&limit=100`,
    );
    expect(scheduled.json<{ items: GameBody[] }>().items.map((g) => g.id)).not.toContain(game.id);
  });

  it('answers 400 naming guildId when it is missing, and cursor when it is not ours', async () => {
    const missing = await pat('GET', '/api/v1/games');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { details: { field: 'guildId' } } });
    const cursor = await pat('GET', `/api/v1/games?guildId=${GUILD_ID}&cursor=bm9wZQ`);
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toMatchObject({ error: { details: { field: 'cursor' } } });
  });

  it('answers 404 for a guild the user is not in', async () => {
    const response = await outsider('GET', `/api/v1/games?guildId=${GUILD_ID}`);
    expect(response.statusCode).toBe(404);
  });
});

describe('reading a game', () => {
  it('shows the roster with confirmed players and the waitlist', async () => {
    const game = await create({ maxPlayers: 1 });
    await pat('POST', `/api/v1/games/${game.id}/join`);
    await rio('POST', `/api/v1/games/${game.id}/join`);
    const response = await quinn('GET', `/api/v1/games/${game.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json<GameBody>();
    expect(ids(body.roster.confirmed)).toEqual([PAT]);
    expect(ids(body.roster.waitlist)).toEqual([RIO]);
  });

  it('answers 404 to a non-member and for an unknown game, 400 naming gameId for a bad id', async () => {
    const game = await create();
    expect((await outsider('GET', `/api/v1/games/${game.id}`)).statusCode).toBe(404);
    const unknown = await pat('GET', '/api/v1/games/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    const bad = await pat('GET', '/api/v1/games/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: { field: 'gameId' } } });
  });
});

describe('exporting a game to a calendar', () => {
  it('serves the game as text/calendar to members and 404 to outsiders', async () => {
    const game = await create({ title: 'Calendar game' });
    const response = await pat('GET', `/api/v1/games/${game.id}/calendar.ics`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.body).toContain(`UID:${game.id}@game-scheduler`);
    expect(response.body).toContain('SUMMARY:Calendar game');
    expect(response.body).toContain('BEGIN:VALARM\r\nACTION:DISPLAY');
    expect(response.body).toContain('TRIGGER:-PT60M\r\n');
    expect(response.body).toContain('TRIGGER:-PT15M\r\n');
    expect((await outsider('GET', `/api/v1/games/${game.id}/calendar.ics`)).statusCode).toBe(404);
  });
});

describe('editing a game', () => {
  it('lets the host edit and writes game.updated naming the changed fields', async () => {
    const game = await create();
    const startsAt = inHours(48);
    const response = await hana('PATCH', `/api/v1/games/${game.id}`, {
      title: 'Catan (base game)',
      startsAt,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<GameBody>()).toMatchObject({ title: 'Catan (base game)', startsAt });
    const events = await outboxFor(h, game.id);
    expect(events.map((e) => e.type)).toEqual(['game.created', 'game.updated']);
    expect(events[1]?.payload['changes']).toMatchObject({ fields: ['title', 'startsAt'] });
  });

  it('lets a bot manager edit, refuses other members with 403 and non-members with 404', async () => {
    const game = await create();
    expect(
      (await quinn('PATCH', `/api/v1/games/${game.id}`, { title: 'By a manager' })).statusCode,
    ).toBe(200);
    const player = await pat('PATCH', `/api/v1/games/${game.id}`, { title: 'Mine now' });
    expect(player.statusCode).toBe(403);
    expect(player.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await outsider('PATCH', `/api/v1/games/${game.id}`, { title: 'x' })).statusCode).toBe(
      404,
    );
  });

  it('moves the latest confirmed players to the waitlist when the cap is lowered, and back when raised', async () => {
    const game = await create({ maxPlayers: 3 });
    for (const player of [pat, quinn, rio]) await player('POST', `/api/v1/games/${game.id}/join`);
    const lowered = await hana('PATCH', `/api/v1/games/${game.id}`, { maxPlayers: 1 });
    expect(lowered.statusCode).toBe(200);
    const body = lowered.json<GameBody>();
    expect(ids(body.roster.confirmed)).toEqual([PAT]);
    expect(ids(body.roster.waitlist)).toEqual([QUINN, RIO]);
    const raised = await hana('PATCH', `/api/v1/games/${game.id}`, { maxPlayers: 2 });
    expect(ids(raised.json<GameBody>().roster.confirmed)).toEqual([PAT, QUINN]);
    const events = await outboxFor(h, game.id);
    expect(events.at(-1)?.payload['changes']).toMatchObject({
      fields: ['maxPlayers', 'roster'],
      promotedUserIds: [QUINN],
    });
  });

  it('answers 400 for an empty edit and naming the field for a bad one', async () => {
    const game = await create();
    expect((await hana('PATCH', `/api/v1/games/${game.id}`, {})).statusCode).toBe(400);
    const bad = await hana('PATCH', `/api/v1/games/${game.id}`, { durationMinutes: 'long' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: { field: 'durationMinutes' } } });
  });
});

describe('cancelling a game', () => {
  it('lets the host cancel once, writing game.cancelled, then answers 409', async () => {
    const game = await create();
    await pat('POST', `/api/v1/games/${game.id}/join`);
    const response = await hana('POST', `/api/v1/games/${game.id}/cancel`, { reason: 'Rain' });
    expect(response.statusCode).toBe(200);
    expect(response.json<GameBody>().status).toBe('CANCELLED');
    const events = await outboxFor(h, game.id);
    expect(events.at(-1)).toMatchObject({
      type: 'game.cancelled',
      payload: { reason: 'Rain', cancelledByUserId: HANA, participantUserIds: [PAT] },
    });
    const again = await hana('POST', `/api/v1/games/${game.id}/cancel`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'INVALID_TRANSITION' } });
  });

  it('refuses a player with 403 and an outsider with 404', async () => {
    const game = await create();
    expect((await pat('POST', `/api/v1/games/${game.id}/cancel`, {})).statusCode).toBe(403);
    expect((await outsider('POST', `/api/v1/games/${game.id}/cancel`, {})).statusCode).toBe(404);
  });

  it('refuses joining a cancelled game with 409', async () => {
    const game = await create();
    await hana('POST', `/api/v1/games/${game.id}/cancel`, {});
    const response = await pat('POST', `/api/v1/games/${game.id}/join`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'GAME_NOT_JOINABLE' } });
  });
});

describe('joining and leaving', () => {
  it('puts the player past the cap on the waitlist and promotes them when a spot opens', async () => {
    const game = await create({ maxPlayers: 2 });
    const first = await pat('POST', `/api/v1/games/${game.id}/join`);
    expect(first.json()).toMatchObject({ list: 'confirmed' });
    await quinn('POST', `/api/v1/games/${game.id}/join`);
    const third = await rio('POST', `/api/v1/games/${game.id}/join`);
    expect(third.statusCode).toBe(200);
    expect(third.json()).toMatchObject({ list: 'waitlist' });
    const left = await pat('POST', `/api/v1/games/${game.id}/leave`);
    expect(left.statusCode).toBe(200);
    const roster = left.json<GameBody>().roster;
    expect(ids(roster.confirmed)).toEqual([QUINN, RIO]);
    expect(roster.waitlist).toEqual([]);
    const events = await outboxFor(h, game.id);
    expect(events.at(-1)).toMatchObject({
      type: 'game.updated',
      payload: { changes: { leftUserIds: [PAT], promotedUserIds: [RIO], fields: ['roster'] } },
    });
  });

  it('answers 409 ALREADY_JOINED to a second join and NOT_JOINED to leaving a game one is not in', async () => {
    const game = await create();
    await pat('POST', `/api/v1/games/${game.id}/join`);
    const again = await pat('POST', `/api/v1/games/${game.id}/join`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'ALREADY_JOINED' } });
    const leave = await rio('POST', `/api/v1/games/${game.id}/leave`);
    expect(leave.statusCode).toBe(409);
    expect(leave.json()).toMatchObject({ error: { code: 'NOT_JOINED' } });
  });

  it('answers 404 to an outsider joining', async () => {
    const game = await create();
    expect((await outsider('POST', `/api/v1/games/${game.id}/join`)).statusCode).toBe(404);
  });

  it('never confirms more players than the cap when many join at once', async () => {
    const players: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const userId = h.sim.addUser({ username: `crowd_${String(i)}` });
      h.sim.addMember(GUILD_ID, { userId, roles: ['Player'] });
      players.push(await h.login(userId));
    }
    const game = await create({ maxPlayers: 3 });
    const responses = await Promise.all(
      players.map((cookie) => as(h, cookie)('POST', `/api/v1/games/${game.id}/join`)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(players.map(() => 200));
    const lists = responses.map((r) => r.json<{ list: string }>().list);
    expect(lists.filter((l) => l === 'confirmed')).toHaveLength(3);
    const final = (await hana('GET', `/api/v1/games/${game.id}`)).json<GameBody>();
    expect(final.roster.confirmed).toHaveLength(3);
    expect(final.roster.waitlist).toHaveLength(9);
  });
});

describe('removing a player', () => {
  it('lets the host remove a player, promoting the next, and writes game.player_removed', async () => {
    const game = await create({ maxPlayers: 1 });
    await pat('POST', `/api/v1/games/${game.id}/join`);
    await rio('POST', `/api/v1/games/${game.id}/join`);
    const response = await hana('DELETE', `/api/v1/games/${game.id}/participants/${PAT}`);
    expect(response.statusCode).toBe(200);
    expect(ids(response.json<GameBody>().roster.confirmed)).toEqual([RIO]);
    const events = await outboxFor(h, game.id);
    expect(events.at(-1)).toMatchObject({
      type: 'game.player_removed',
      payload: { removedUserId: PAT, removedByUserId: HANA, promotedUserIds: [RIO] },
    });
  });

  it('refuses a player with 403, an outsider with 404, and answers 409 for someone not in the game', async () => {
    const game = await create();
    await pat('POST', `/api/v1/games/${game.id}/join`);
    expect((await rio('DELETE', `/api/v1/games/${game.id}/participants/${PAT}`)).statusCode).toBe(
      403,
    );
    expect(
      (await outsider('DELETE', `/api/v1/games/${game.id}/participants/${PAT}`)).statusCode,
    ).toBe(404);
    expect((await hana('DELETE', `/api/v1/games/${game.id}/participants/${RIO}`)).statusCode).toBe(
      409,
    );
    const bad = await hana('DELETE', `/api/v1/games/${game.id}/participants/nobody`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: { field: 'userId' } } });
  });
});
