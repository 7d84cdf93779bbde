// Every endpoint under one rule: no session → 401; not a member of the resource's guild → 404
// (nothing disclosed, the same answer as for a resource that does not exist); a member without the
// right → 403; a member with it gets past authorization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, inHours, newGame, type Method } from './support/games.ts';
import {
  ANNOUNCEMENTS_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  GAME_HOST_ROLE,
  startHarness,
  type Harness,
} from './support/harness.ts';

interface Endpoint {
  readonly method: Method;
  readonly url: string;
  readonly body?: Record<string, unknown>;
  /** What a plain member (a player: neither host, bot manager nor administrator) may do. */
  readonly member: 'allowed' | 'forbidden';
}

let h: Harness;
let endpoints: Endpoint[];
let player: ReturnType<typeof as>;
let outsider: ReturnType<typeof as>;

beforeAll(async () => {
  h = await startHarness();
  const hana = as(h, await h.login(HANA));
  player = as(h, await h.login(PAT));
  outsider = as(h, await h.login(h.sim.addUser({ username: 'outsider_olli' })));
  const game = (await hana('POST', '/api/v1/games', newGame())).json<{ id: string }>().id;
  await hana('POST', `/api/v1/games/${game}/join`);
  const template = (
    await hana('POST', `/api/v1/guilds/${GUILD_ID}/templates`, { name: 'Catan' })
  ).json<{ id: string }>().id;
  const guild = `/api/v1/guilds/${GUILD_ID}`;
  endpoints = [
    { method: 'POST', url: '/api/v1/games', body: newGame(), member: 'allowed' },
    { method: 'GET', url: `/api/v1/games?guildId=${GUILD_ID}`, member: 'allowed' },
    { method: 'GET', url: `/api/v1/games/${game}`, member: 'allowed' },
    { method: 'GET', url: `/api/v1/games/${game}/calendar.ics`, member: 'allowed' },
    { method: 'PATCH', url: `/api/v1/games/${game}`, body: { title: 'x' }, member: 'forbidden' },
    { method: 'POST', url: `/api/v1/games/${game}/cancel`, body: {}, member: 'forbidden' },
    { method: 'POST', url: `/api/v1/games/${game}/join`, member: 'allowed' },
    { method: 'POST', url: `/api/v1/games/${game}/leave`, member: 'allowed' },
    { method: 'DELETE', url: `/api/v1/games/${game}/participants/${HANA}`, member: 'forbidden' },
    { method: 'GET', url: guild, member: 'allowed' },
    { method: 'PATCH', url: guild, body: { timeZone: 'Asia/Tokyo' }, member: 'forbidden' },
    { method: 'GET', url: `${guild}/channels`, member: 'allowed' },
    {
      method: 'PATCH',
      url: `${guild}/channels/${ANNOUNCEMENTS_CHANNEL}`,
      body: { isEnabled: false },
      member: 'forbidden',
    },
    { method: 'GET', url: `${guild}/templates`, member: 'allowed' },
    { method: 'POST', url: `${guild}/templates`, body: { name: 'Mine' }, member: 'forbidden' },
    {
      method: 'PUT',
      url: `${guild}/templates/order`,
      body: { templateIds: [template] },
      member: 'forbidden',
    },
    { method: 'GET', url: `${guild}/templates/${template}`, member: 'allowed' },
    {
      method: 'PATCH',
      url: `${guild}/templates/${template}`,
      body: { maxPlayers: 3 },
      member: 'forbidden',
    },
    { method: 'DELETE', url: `${guild}/templates/${template}`, member: 'forbidden' },
  ];
});

afterAll(async () => {
  await h.close();
});

const label = (e: Endpoint) => `${e.method} ${e.url}`;

describe('authorization on every endpoint', () => {
  it('answers 401 without a session, everywhere but login, callback, logout and health', async () => {
    const all = [
      ...endpoints,
      { method: 'GET', url: '/api/v1/me' },
      { method: 'PATCH', url: '/api/v1/me', body: { timeZone: 'UTC' } },
      { method: 'GET', url: '/api/v1/guilds' },
    ] as const;
    for (const e of all) {
      const response = await h.app.inject({
        method: e.method,
        url: e.url,
        ...('body' in e && e.body !== undefined ? { payload: e.body } : {}),
      });
      expect(response.statusCode, `${e.method} ${e.url}`).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('answers 404 to someone outside the guild on every guild resource, and changes nothing', async () => {
    const before = await h.prisma.outboxEvent.count();
    for (const e of endpoints) {
      const response = await outsider(e.method, e.url, e.body);
      expect(response.statusCode, label(e)).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    expect(await h.prisma.outboxEvent.count()).toBe(before);
  });

  it('answers 403 to a member without the right, and lets a member do what members may', async () => {
    for (const e of endpoints) {
      const response = await player(e.method, e.url, e.body);
      if (e.member === 'forbidden') {
        expect(response.statusCode, label(e)).toBe(403);
        expect(response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      } else {
        expect([200, 201], label(e)).toContain(response.statusCode);
      }
    }
  });

  it('answers a member 404 for a game that does not exist, as it does an outsider for one that does', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const response = await player('GET', `/api/v1/games/${missing}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Game not found' } });
  });

  it('gives a role-limited template and its games the same 403 on both paths that add a player', async () => {
    const hana = as(h, await h.login(HANA));
    const raid = (
      await hana('POST', `/api/v1/guilds/${GUILD_ID}/templates`, {
        name: 'Raid',
        channelId: ANNOUNCEMENTS_CHANNEL,
        durationMinutes: 120,
        allowedRoleIds: [GAME_HOST_ROLE],
      })
    ).json<{ id: string }>().id;
    const fromTemplate = { guildId: GUILD_ID, templateId: raid, startsAt: inHours(5) };
    expect((await player('POST', '/api/v1/games', fromTemplate)).statusCode).toBe(403);
    const game = (await hana('POST', '/api/v1/games', fromTemplate)).json<{ id: string }>().id;
    expect((await player('POST', `/api/v1/games/${game}/join`)).statusCode).toBe(403);
  });
});
