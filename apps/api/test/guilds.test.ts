import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, newGame } from './support/games.ts';
import {
  ANNOUNCEMENTS_CHANNEL,
  GAME_HOST_ROLE,
  GENERAL_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  PLAYER_ROLE,
  RIO,
  startHarness,
  type Harness,
} from './support/harness.ts';

type Requester = ReturnType<typeof as>;

let h: Harness;
let hana: Requester; // owner of Game Night (an administrator)
let pat: Requester; // a player
let rio: Requester; // a player holding the Organiser role, made a bot-manager role below
let quinn: Requester; // a player with MANAGE_GUILD through a role (an administrator)
let outsider: Requester; // in no guild of ours
let organiserRole: string;
let otherGuild: string;
let unconfiguredGuild: string;
let quietChannel: string;

beforeAll(async () => {
  h = await startHarness();
  organiserRole = h.sim.addRole(GUILD_ID, { name: 'Organiser' });
  const moderatorRole = h.sim.addRole(GUILD_ID, { name: 'Moderator', permissions: '32' });
  h.sim.addMember(GUILD_ID, { userId: RIO, roles: [PLAYER_ROLE, organiserRole] });
  h.sim.addMember(GUILD_ID, { userId: '1300000000000000103', roles: [moderatorRole] });
  quietChannel = h.sim.addChannel(GUILD_ID, { name: 'quiet-corner' });
  otherGuild = h.sim.addGuild({ name: 'Board Games', members: [{ userId: PAT }] }).id;
  unconfiguredGuild = h.sim.addGuild({ name: 'Not Set Up', members: [{ userId: PAT }] }).id;
  const stranger = h.sim.addUser({ username: 'stranger' });
  await h.prisma.guild.createMany({
    data: [
      { id: GUILD_ID, name: 'Game Night', botManagerRoleIds: [organiserRole] },
      { id: otherGuild, name: 'Board Games' },
      { id: '1399999999999999201', name: 'Somebody Else’s' },
    ],
  });
  await h.prisma.channel.createMany({
    data: [
      { id: ANNOUNCEMENTS_CHANNEL, guildId: GUILD_ID, name: 'game-announcements' },
      { id: GENERAL_CHANNEL, guildId: GUILD_ID, name: 'general' },
    ],
  });
  hana = as(h, await h.login(HANA));
  pat = as(h, await h.login(PAT));
  rio = as(h, await h.login(RIO));
  quinn = as(h, await h.login('1300000000000000103'));
  outsider = as(h, await h.login(stranger));
});

afterAll(async () => {
  await h.close();
});

interface GuildBody {
  id: string;
  name: string;
  timeZone: string;
  botManagerRoleIds: string[];
  roles: { id: string; name: string }[];
  access: { manage: boolean; administer: boolean };
}

describe('listing guilds', () => {
  it('lists the configured guilds the user is in, and no other', async () => {
    const response = await pat('GET', '/api/v1/guilds');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        { id: otherGuild, name: 'Board Games', timeZone: 'UTC', icon: null },
        { id: GUILD_ID, name: 'Game Night', timeZone: 'UTC', icon: null },
      ],
    });
  });

  it('lists nothing for a user whose guilds are not configured, and 401 without a session', async () => {
    expect((await outsider('GET', '/api/v1/guilds')).json()).toEqual({ items: [] });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/guilds' })).statusCode).toBe(401);
  });
});

describe('reading a guild', () => {
  it('shows a member the settings, the roles to choose from and what they may change', async () => {
    const response = await pat('GET', `/api/v1/guilds/${GUILD_ID}`);
    expect(response.statusCode).toBe(200);
    const body = response.json<GuildBody>();
    expect(body).toMatchObject({
      id: GUILD_ID,
      name: 'Game Night',
      timeZone: 'UTC',
      botManagerRoleIds: [organiserRole],
      access: { manage: false, administer: false },
    });
    expect(body.roles.map((role) => role.name).sort()).toEqual([
      'Game Host',
      'Moderator',
      'Organiser',
      'Player',
    ]);
  });

  it('tells the owner, a MANAGE_GUILD holder and a bot manager what each may change', async () => {
    const access = async (who: Requester) =>
      (await who('GET', `/api/v1/guilds/${GUILD_ID}`)).json<GuildBody>().access;
    expect(await access(hana)).toEqual({ manage: true, administer: true });
    expect(await access(quinn)).toEqual({ manage: true, administer: true });
    expect(await access(rio)).toEqual({ manage: true, administer: false });
  });

  it('answers 404 to a non-member, for a guild that is not configured, and for an unknown one', async () => {
    for (const [who, guildId] of [
      [outsider, GUILD_ID],
      [pat, unconfiguredGuild],
      [pat, '1399999999999999201'],
      [pat, '1399999999999999999'],
    ] as const) {
      const response = await who('GET', `/api/v1/guilds/${guildId}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it('answers 400 naming guildId when it is not a snowflake', async () => {
    const response = await pat('GET', '/api/v1/guilds/game-night');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { details: { field: 'guildId' } } });
  });
});

describe('changing guild settings', () => {
  it('lets a bot manager set the time zone, stored in its canonical IANA spelling', async () => {
    const response = await rio('PATCH', `/api/v1/guilds/${GUILD_ID}`, {
      timeZone: 'europe/berlin',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ timeZone: 'Europe/Berlin' });
    const row = await h.prisma.guild.findUniqueOrThrow({ where: { id: GUILD_ID } });
    expect(row.timeZone).toBe('Europe/Berlin');
  });

  it('answers 400 naming timeZone for a zone that does not exist and for a bare offset', async () => {
    for (const timeZone of ['Mars/Olympus_Mons', '+05:00', ' ']) {
      const response = await hana('PATCH', `/api/v1/guilds/${GUILD_ID}`, { timeZone });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        error: { code: 'VALIDATION', details: { field: 'timeZone' } },
      });
    }
  });

  it('lets only an administrator choose the bot-manager roles', async () => {
    const refused = await rio('PATCH', `/api/v1/guilds/${GUILD_ID}`, {
      botManagerRoleIds: [organiserRole, PLAYER_ROLE],
    });
    expect(refused.statusCode).toBe(403);
    const changed = await quinn('PATCH', `/api/v1/guilds/${GUILD_ID}`, {
      botManagerRoleIds: [GAME_HOST_ROLE, organiserRole, GAME_HOST_ROLE],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ botManagerRoleIds: [GAME_HOST_ROLE, organiserRole] });
  });

  it('answers 400 naming botManagerRoleIds for a role of another guild or @everyone', async () => {
    for (const role of ['1399999999999999301', GUILD_ID]) {
      const response = await hana('PATCH', `/api/v1/guilds/${GUILD_ID}`, {
        botManagerRoleIds: [role],
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { details: { field: 'botManagerRoleIds' } } });
    }
  });

  it('refuses a player with 403 and a non-member with 404', async () => {
    const body = { timeZone: 'Asia/Tokyo' };
    expect((await pat('PATCH', `/api/v1/guilds/${GUILD_ID}`, body)).statusCode).toBe(403);
    expect((await outsider('PATCH', `/api/v1/guilds/${GUILD_ID}`, body)).statusCode).toBe(404);
    const row = await h.prisma.guild.findUniqueOrThrow({ where: { id: GUILD_ID } });
    expect(row.timeZone).toBe('Europe/Berlin');
  });

  it('answers 400 for an empty change and naming a field it does not know', async () => {
    expect((await hana('PATCH', `/api/v1/guilds/${GUILD_ID}`, {})).statusCode).toBe(400);
    const unknown = await hana('PATCH', `/api/v1/guilds/${GUILD_ID}`, { name: 'Renamed' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { details: { field: 'name' } } });
  });

  it('writes no outbox event: other services read the settings when they act', async () => {
    expect(await h.prisma.outboxEvent.count()).toBe(0);
  });
});

describe('channels', () => {
  it('lists the known channels of the guild to a member, 404 to a non-member', async () => {
    const response = await pat('GET', `/api/v1/guilds/${GUILD_ID}/channels`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        {
          id: ANNOUNCEMENTS_CHANNEL,
          guildId: GUILD_ID,
          name: 'game-announcements',
          isEnabled: true,
        },
        { id: GENERAL_CHANNEL, guildId: GUILD_ID, name: 'general', isEnabled: true },
      ],
    });
    expect((await outsider('GET', `/api/v1/guilds/${GUILD_ID}/channels`)).statusCode).toBe(404);
  });

  it('lets a manager disable a channel, after which games cannot be created in it', async () => {
    const disabled = await rio('PATCH', `/api/v1/guilds/${GUILD_ID}/channels/${GENERAL_CHANNEL}`, {
      isEnabled: false,
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ id: GENERAL_CHANNEL, isEnabled: false });
    const refused = await pat('POST', '/api/v1/games', newGame({ channelId: GENERAL_CHANNEL }));
    expect(refused.statusCode).toBe(403);
    await rio('PATCH', `/api/v1/guilds/${GUILD_ID}/channels/${GENERAL_CHANNEL}`, {
      isEnabled: true,
    });
    const allowed = await pat('POST', '/api/v1/games', newGame({ channelId: GENERAL_CHANNEL }));
    expect(allowed.statusCode).toBe(201);
  });

  it('adds a channel of the guild it has not seen yet', async () => {
    const response = await hana('PATCH', `/api/v1/guilds/${GUILD_ID}/channels/${quietChannel}`, {
      isEnabled: false,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: quietChannel,
      guildId: GUILD_ID,
      name: 'quiet-corner',
      isEnabled: false,
    });
  });

  it('answers 404 for a channel outside the guild, 403 to a player, 404 to a non-member', async () => {
    const url = (channelId: string) => `/api/v1/guilds/${GUILD_ID}/channels/${channelId}`;
    expect((await hana('PATCH', url('1399999999999999401'), { isEnabled: true })).statusCode).toBe(
      404,
    );
    expect((await pat('PATCH', url(GENERAL_CHANNEL), { isEnabled: false })).statusCode).toBe(403);
    expect((await outsider('PATCH', url(GENERAL_CHANNEL), { isEnabled: false })).statusCode).toBe(
      404,
    );
  });

  it('answers 400 naming isEnabled when it is missing or not a boolean', async () => {
    const url = `/api/v1/guilds/${GUILD_ID}/channels/${GENERAL_CHANNEL}`;
    for (const body of [{}, { isEnabled: 'maybe' }]) {
      const response = await hana('PATCH', url, body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { details: { field: 'isEnabled' } } });
    }
  });
});

describe('the guild and role cache', () => {
  it("asks Discord once per guild and member within the cache's lifetime", async () => {
    const before = h.sim.lastCallSeq;
    await pat('GET', `/api/v1/guilds/${otherGuild}`);
    await pat('GET', `/api/v1/guilds/${otherGuild}/channels`);
    await pat('GET', `/api/v1/guilds/${otherGuild}/templates`);
    const calls = h.sim.calls({ afterSeq: before });
    expect(calls.filter((call) => call.route === '/guilds/:guildId/members/:userId')).toHaveLength(
      1,
    );
    expect(calls.filter((call) => call.route === '/guilds/:guildId')).toHaveLength(1);
  });

  it('keeps a role change on Discord out until the cached roles expire', async () => {
    const key = `${h.prefix}member:${GUILD_ID}:${PAT}`;
    expect(await h.redis.ttl(key)).toBeGreaterThan(0);
    expect(await h.redis.ttl(key)).toBeLessThanOrEqual(h.settings.guildCacheTtlSeconds);
    h.sim.addMember(GUILD_ID, { userId: PAT, roles: [PLAYER_ROLE, organiserRole] });
    const cached = await pat('GET', `/api/v1/guilds/${GUILD_ID}`);
    expect(cached.json<GuildBody>().access.manage).toBe(false);
    await h.redis.del(key);
    const fresh = await pat('GET', `/api/v1/guilds/${GUILD_ID}`);
    expect(fresh.json<GuildBody>().access.manage).toBe(true);
    h.sim.addMember(GUILD_ID, { userId: PAT, roles: [PLAYER_ROLE] });
    await h.redis.del(key);
  });
});
