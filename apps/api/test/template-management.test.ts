import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, inHours, newGame } from './support/games.ts';
import {
  ANNOUNCEMENTS_CHANNEL,
  GAME_HOST_ROLE,
  GENERAL_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  PLAYER_ROLE,
  QUINN,
  RIO,
  startHarness,
  type Harness,
} from './support/harness.ts';

type Requester = ReturnType<typeof as>;

interface TemplateBody {
  id: string;
  name: string;
  sortOrder: number;
  isDefault: boolean;
  channelId: string | null;
  allowedRoleIds: string[];
  maxPlayers: number | null;
  description: string | null;
}

let h: Harness;
let hana: Requester; // owner (administrator)
let pat: Requester; // player
let rio: Requester; // player and bot manager (Organiser)
let quinn: Requester; // player
let outsider: Requester;
let otherGuildTemplate: string;
const OTHER_GUILD = '1399999999999999201';
const base = `/api/v1/guilds/${GUILD_ID}/templates`;

beforeAll(async () => {
  h = await startHarness();
  const organiser = h.sim.addRole(GUILD_ID, { name: 'Organiser' });
  h.sim.addMember(GUILD_ID, { userId: RIO, roles: [PLAYER_ROLE, organiser] });
  const stranger = h.sim.addUser({ username: 'stranger' });
  await h.prisma.guild.createMany({
    data: [
      { id: GUILD_ID, name: 'Game Night', botManagerRoleIds: [organiser] },
      { id: OTHER_GUILD, name: 'Elsewhere' },
    ],
  });
  await h.prisma.channel.create({
    data: { id: ANNOUNCEMENTS_CHANNEL, guildId: GUILD_ID, name: 'game-announcements' },
  });
  otherGuildTemplate = (
    await h.prisma.gameTemplate.create({ data: { guildId: OTHER_GUILD, name: 'Chess' } })
  ).id;
  hana = as(h, await h.login(HANA));
  pat = as(h, await h.login(PAT));
  rio = as(h, await h.login(RIO));
  quinn = as(h, await h.login(QUINN));
  outsider = as(h, await h.login(stranger));
});

afterAll(async () => {
  await h.close();
});

async function create(who: Requester, body: Record<string, unknown>): Promise<TemplateBody> {
  const response = await who('POST', base, body);
  expect(response.statusCode).toBe(201);
  return response.json<TemplateBody>();
}

async function names(): Promise<string[]> {
  const response = await pat('GET', base);
  return response.json<{ items: TemplateBody[] }>().items.map((t) => t.name);
}

describe('creating templates', () => {
  it('lets a bot manager create a template, appended to the order, with its location', async () => {
    const response = await rio('POST', base, {
      name: 'Catan',
      channelId: ANNOUNCEMENTS_CHANNEL,
      description: 'Bring snacks',
      durationMinutes: 150,
      maxPlayers: 4,
      reminderMinutes: [15, 1440, 15],
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<TemplateBody & { reminderMinutes: number[] }>();
    expect(response.headers.location).toBe(`${base}/${body.id}`);
    expect(body).toMatchObject({
      guildId: GUILD_ID,
      name: 'Catan',
      sortOrder: 0,
      isDefault: false,
      reminderMinutes: [1440, 15],
      allowedRoleIds: [],
      where: null,
    });
    const second = await create(hana, { name: 'Chess' });
    expect(second.sortOrder).toBe(1);
  });

  it('refuses a player with 403 and a non-member with 404', async () => {
    expect((await pat('POST', base, { name: 'Mine' })).statusCode).toBe(403);
    expect((await outsider('POST', base, { name: 'Mine' })).statusCode).toBe(404);
    expect(await names()).not.toContain('Mine');
  });

  it('answers 409 naming name when the guild already has a template of that name', async () => {
    const response = await hana('POST', base, { name: 'Catan' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      error: { code: 'CONFLICT', details: { field: 'name' } },
    });
  });

  it('answers 400 naming the field for a channel or role outside the guild, a blank name, a bad cap', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'A', channelId: '1399999999999999401' }, 'channelId'],
      [{ name: 'A', allowedRoleIds: ['1399999999999999301'] }, 'allowedRoleIds'],
      [{ name: '   ' }, 'name'],
      [{ name: 'A', maxPlayers: 0 }, 'maxPlayers'],
      [{ name: 'A', reminderMinutes: [-5] }, 'reminderMinutes.0'],
      [{ description: 'no name' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const response = await hana('POST', base, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'VALIDATION', details: { field } } });
    }
  });

  it('refuses a channel disabled for games, naming channelId', async () => {
    await h.prisma.channel.create({
      data: { id: GENERAL_CHANNEL, guildId: GUILD_ID, name: 'general', isEnabled: false },
    });
    const response = await hana('POST', base, { name: 'Chat games', channelId: GENERAL_CHANNEL });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { details: { field: 'channelId' } } });
    await h.prisma.channel.update({ where: { id: GENERAL_CHANNEL }, data: { isEnabled: true } });
  });
});

describe('the default template', () => {
  it('keeps one default per guild: a new default replaces the old one', async () => {
    const first = await create(hana, { name: 'Weekly', isDefault: true });
    const second = await create(hana, { name: 'Monthly', isDefault: true });
    expect(second.isDefault).toBe(true);
    const defaults = await h.prisma.gameTemplate.findMany({
      where: { guildId: GUILD_ID, isDefault: true },
    });
    expect(defaults.map((t) => t.id)).toEqual([second.id]);
    const moved = await hana('PATCH', `${base}/${first.id}`, { isDefault: true });
    expect(moved.json()).toMatchObject({ isDefault: true });
    const after = await h.prisma.gameTemplate.findMany({
      where: { guildId: GUILD_ID, isDefault: true },
    });
    expect(after.map((t) => t.id)).toEqual([first.id]);
  });

  it('never ends with two defaults when managers set them at the same time', async () => {
    const ids = await Promise.all(
      ['Race 1', 'Race 2', 'Race 3', 'Race 4'].map(
        async (name) => (await create(hana, { name })).id,
      ),
    );
    const answers = await Promise.all(
      ids.map((id) => hana('PATCH', `${base}/${id}`, { isDefault: true })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(
      await h.prisma.gameTemplate.count({ where: { guildId: GUILD_ID, isDefault: true } }),
    ).toBe(1);
  });
});

describe('reading, editing, ordering and deleting templates', () => {
  it('lists the templates in their order to every member, 404 to a non-member', async () => {
    expect((await names()).slice(0, 2)).toEqual(['Catan', 'Chess']);
    expect((await outsider('GET', base)).statusCode).toBe(404);
  });

  it('reads one template; 404 for a template of another guild or one that does not exist', async () => {
    const [catan] = (await pat('GET', base)).json<{ items: TemplateBody[] }>().items;
    expect((await quinn('GET', `${base}/${catan?.id ?? ''}`)).json()).toMatchObject({
      name: 'Catan',
    });
    for (const id of [otherGuildTemplate, '00000000-0000-4000-8000-000000000000']) {
      expect((await hana('GET', `${base}/${id}`)).statusCode).toBe(404);
      expect((await hana('PATCH', `${base}/${id}`, { name: 'Mine now' })).statusCode).toBe(404);
      expect((await hana('DELETE', `${base}/${id}`)).statusCode).toBe(404);
    }
    expect((await outsider('GET', `${base}/${catan?.id ?? ''}`)).statusCode).toBe(404);
  });

  it('edits a template (null clears a field); 409 naming name for a taken name; 403 to a player', async () => {
    const [catan] = (await pat('GET', base)).json<{ items: TemplateBody[] }>().items;
    const url = `${base}/${catan?.id ?? ''}`;
    const edited = await rio('PATCH', url, { description: null, maxPlayers: 6, name: 'Catan+' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ name: 'Catan+', description: null, maxPlayers: 6 });
    const taken = await rio('PATCH', url, { name: 'Chess' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: { details: { field: 'name' } } });
    expect((await pat('PATCH', url, { maxPlayers: 2 })).statusCode).toBe(403);
    expect((await rio('PATCH', url, {})).statusCode).toBe(400);
  });

  it('reorders the templates when given each of them once, 400 naming templateIds otherwise', async () => {
    const items = (await pat('GET', base)).json<{ items: TemplateBody[] }>().items;
    const reversed = items.map((t) => t.id).reverse();
    const response = await rio('PUT', `${base}/order`, { templateIds: reversed });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ items: TemplateBody[] }>().items.map((t) => t.id)).toEqual(reversed);
    expect(response.json<{ items: TemplateBody[] }>().items.map((t) => t.sortOrder)).toEqual(
      reversed.map((_, index) => index),
    );
    for (const templateIds of [
      reversed.slice(1),
      [...reversed, reversed[0]],
      [otherGuildTemplate],
    ]) {
      const refused = await rio('PUT', `${base}/order`, { templateIds });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ error: { details: { field: 'templateIds' } } });
    }
    expect((await pat('PUT', `${base}/order`, { templateIds: reversed })).statusCode).toBe(403);
  });

  it('deletes a template; games made from it stay, no longer linked', async () => {
    const template = await create(hana, {
      name: 'One-off',
      channelId: ANNOUNCEMENTS_CHANNEL,
      durationMinutes: 60,
    });
    const game = await pat('POST', '/api/v1/games', {
      guildId: GUILD_ID,
      templateId: template.id,
      startsAt: inHours(10),
    });
    expect(game.statusCode).toBe(201);
    expect((await pat('DELETE', `${base}/${template.id}`)).statusCode).toBe(403);
    const deleted = await hana('DELETE', `${base}/${template.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await hana('GET', `${base}/${template.id}`)).statusCode).toBe(404);
    const row = await h.prisma.game.findUniqueOrThrow({
      where: { id: game.json<{ id: string }>().id },
    });
    expect(row.templateId).toBeNull();
  });

  it('writes no outbox event for template changes (only the game created above)', async () => {
    const events = await h.prisma.outboxEvent.findMany();
    expect(events.map((e) => e.eventType)).toEqual(['game.created']);
  });
});

describe('templates limited to roles', () => {
  let raid: TemplateBody;
  let gameId: string;

  beforeAll(async () => {
    raid = await create(hana, {
      name: 'Raid',
      channelId: ANNOUNCEMENTS_CHANNEL,
      durationMinutes: 180,
      maxPlayers: 10,
      allowedRoleIds: [GAME_HOST_ROLE],
    });
    const created = await hana('POST', '/api/v1/games', {
      guildId: GUILD_ID,
      templateId: raid.id,
      startsAt: inHours(48),
    });
    gameId = created.json<{ id: string }>().id;
  });

  it('lets only the allowed roles (and managers) join a game made from the template', async () => {
    const refused = await pat('POST', `/api/v1/games/${gameId}/join`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await rio('POST', `/api/v1/games/${gameId}/join`)).statusCode).toBe(200);
    expect((await hana('POST', `/api/v1/games/${gameId}/join`)).statusCode).toBe(200);
    const game = await h.prisma.participant.findMany({ where: { gameId } });
    expect(game.map((p) => p.userId).sort()).toEqual([HANA, RIO].sort());
  });

  it('answers 404, not 403, to a non-member joining such a game', async () => {
    expect((await outsider('POST', `/api/v1/games/${gameId}/join`)).statusCode).toBe(404);
  });

  it('follows the template: once its roles are cleared, everyone may join', async () => {
    await hana('PATCH', `${base}/${raid.id}`, { allowedRoleIds: [] });
    expect((await pat('POST', `/api/v1/games/${gameId}/join`)).statusCode).toBe(200);
  });

  it('keeps games made from scratch open to every member', async () => {
    const created = await hana('POST', '/api/v1/games', newGame());
    const joined = await quinn('POST', `/api/v1/games/${created.json<{ id: string }>().id}/join`);
    expect(joined.statusCode).toBe(200);
  });
});

describe('bad input on the guild routes', () => {
  it('answers 400 naming the field, in the path, the body or the order', async () => {
    const guild = `/api/v1/guilds/${GUILD_ID}`;
    const cases: [Parameters<Requester>[0], string, Record<string, unknown> | undefined, string][] =
      [
        ['GET', `${guild}/templates/not-a-uuid`, undefined, 'templateId'],
        ['PATCH', `${guild}/channels/general`, { isEnabled: true }, 'channelId'],
        ['PUT', `${guild}/templates/order`, { templateIds: ['x'] }, 'templateIds.0'],
        ['PUT', `${guild}/templates/order`, {}, 'templateIds'],
        ['POST', `${guild}/templates`, { name: 'Ok', colour: 'red' }, 'colour'],
        ['POST', `${guild}/templates`, { name: 'Ok', isDefault: 'yes' }, 'isDefault'],
        ['POST', `${guild}/templates`, { name: 'Ok', durationMinutes: 0 }, 'durationMinutes'],
        ['POST', `${guild}/templates`, { name: 'a\u0000b' }, 'name'],
        [
          'POST',
          `${guild}/templates`,
          { name: 'Ok', allowedRoleIds: ['role'] },
          'allowedRoleIds.0',
        ],
        ['PATCH', guild, { botManagerRoleIds: 'all' }, 'botManagerRoleIds.0'],
      ];
    for (const [method, url, body, field] of cases) {
      const response = await hana(method, url, body);
      expect(response.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'VALIDATION', details: { field } } });
    }
  });
});
