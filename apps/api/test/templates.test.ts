import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, inHours } from './support/games.ts';
import {
  ANNOUNCEMENTS_CHANNEL,
  GENERAL_CHANNEL,
  GAME_HOST_ROLE,
  GUILD_ID,
  HANA,
  PAT,
  startHarness,
  type Harness,
} from './support/harness.ts';

let h: Harness;
let hana: ReturnType<typeof as>;
let pat: ReturnType<typeof as>;
let catanTemplate: string;
let hostsOnlyTemplate: string;
let otherGuildTemplate: string;

beforeAll(async () => {
  h = await startHarness();
  hana = as(h, await h.login(HANA));
  pat = as(h, await h.login(PAT));
  await h.prisma.guild.createMany({
    data: [
      { id: GUILD_ID, name: 'Game Night' },
      { id: '1399999999999999201', name: 'Elsewhere' },
    ],
  });
  await h.prisma.channel.create({
    data: { id: ANNOUNCEMENTS_CHANNEL, guildId: GUILD_ID, name: 'game-announcements' },
  });
  const catan = await h.prisma.gameTemplate.create({
    data: {
      guildId: GUILD_ID,
      channelId: ANNOUNCEMENTS_CHANNEL,
      name: 'Catan',
      description: 'Bring snacks',
      where: 'Voice 1',
      durationMinutes: 150,
      maxPlayers: 4,
      reminderMinutes: [1440, 60],
    },
  });
  const hostsOnly = await h.prisma.gameTemplate.create({
    data: {
      guildId: GUILD_ID,
      name: 'Raid',
      durationMinutes: 180,
      allowedRoleIds: [GAME_HOST_ROLE],
    },
  });
  const other = await h.prisma.gameTemplate.create({
    data: { guildId: '1399999999999999201', name: 'Chess', durationMinutes: 60 },
  });
  catanTemplate = catan.id;
  hostsOnlyTemplate = hostsOnly.id;
  otherGuildTemplate = other.id;
});

afterAll(async () => {
  await h.close();
});

describe('creating a game from a template', () => {
  it('takes every field the request leaves out from the template', async () => {
    const response = await pat('POST', '/api/v1/games', {
      guildId: GUILD_ID,
      templateId: catanTemplate,
      startsAt: inHours(30),
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      title: 'Catan',
      channelId: ANNOUNCEMENTS_CHANNEL,
      description: 'Bring snacks',
      where: 'Voice 1',
      durationMinutes: 150,
      maxPlayers: 4,
      reminderMinutes: [1440, 60],
    });
    const row = await h.prisma.game.findUnique({
      where: { id: response.json<{ id: string }>().id },
    });
    expect(row?.templateId).toBe(catanTemplate);
  });

  it('lets the request override the template', async () => {
    const response = await pat('POST', '/api/v1/games', {
      guildId: GUILD_ID,
      templateId: catanTemplate,
      startsAt: inHours(30),
      title: 'Catan: Seafarers',
      maxPlayers: null,
      channelId: GENERAL_CHANNEL,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      title: 'Catan: Seafarers',
      maxPlayers: null,
      channelId: GENERAL_CHANNEL,
      durationMinutes: 150,
    });
  });

  it('answers 400 naming the field a template without a channel cannot supply', async () => {
    const response = await hana('POST', '/api/v1/games', {
      guildId: GUILD_ID,
      templateId: hostsOnlyTemplate,
      startsAt: inHours(30),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { details: { field: 'channelId' } } });
  });

  it('answers 400 naming title when neither the request nor a template gives one', async () => {
    const response = await hana('POST', '/api/v1/games', {
      guildId: GUILD_ID,
      channelId: ANNOUNCEMENTS_CHANNEL,
      startsAt: inHours(30),
      durationMinutes: 60,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { details: { field: 'title' } } });
  });

  it('limits a template to its roles: 403 for other members', async () => {
    const body = {
      guildId: GUILD_ID,
      templateId: hostsOnlyTemplate,
      channelId: ANNOUNCEMENTS_CHANNEL,
      startsAt: inHours(30),
    };
    expect((await hana('POST', '/api/v1/games', body)).statusCode).toBe(201);
    const refused = await pat('POST', '/api/v1/games', body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('answers 404 for a template of another guild or one that does not exist', async () => {
    for (const templateId of [otherGuildTemplate, '00000000-0000-4000-8000-000000000000']) {
      const response = await hana('POST', '/api/v1/games', {
        guildId: GUILD_ID,
        templateId,
        startsAt: inHours(30),
      });
      expect(response.statusCode).toBe(404);
    }
  });
});
