import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSim, createDiscordSimClient } from '../src/index.ts';
import type { DiscordSim, GuildHandle, RecordedCall } from '../src/index.ts';

describe('the scenario API over HTTP', () => {
  let sim: DiscordSim;

  beforeAll(async () => {
    sim = await createDiscordSim({ rateLimits: { enabled: false } });
  });

  afterAll(async () => {
    await sim.close();
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${sim.url}/_sim${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  function botRest(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${sim.apiUrl}/v10${path}`, {
      method,
      headers: {
        Authorization: `Bot ${sim.application.botToken}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it('declares a guild, clicks a button as a member and reads back the calls and the state', async () => {
    const guild = (
      await call('POST', '/guilds', {
        name: 'Bench Guild',
        roles: [{ name: 'Player' }],
        channels: [{ name: 'games' }],
        members: [{ user: { username: 'bench_ben' }, nick: 'Ben', roles: ['Player'] }],
      })
    ).body as GuildHandle;
    const channelId = guild.channels.games!;
    const userId = guild.members.bench_ben!;
    expect((await call('PATCH', `/users/${userId}`, { dmsClosed: true })).status).toBe(200);

    const posted = (await (
      await botRest('POST', `/channels/${channelId}/messages`, {
        content: 'Game night',
        components: [
          { type: 1, components: [{ type: 2, style: 1, label: 'Join', custom_id: 'join:1' }] },
        ],
      })
    ).json()) as { id: string };

    const click = (
      await call('POST', '/interactions/button', {
        userId,
        messageId: posted.id,
        customId: 'join:1',
      })
    ).body as { id: string; token: string; payload: Record<string, unknown> };
    expect(click.payload).toMatchObject({
      type: 3,
      guild_id: guild.id,
      channel_id: channelId,
      data: { custom_id: 'join:1', component_type: 2 },
      member: { user: { id: userId }, nick: 'Ben', roles: [guild.roles.Player] },
      message: { id: posted.id },
      version: 1,
    });

    const callback = await fetch(
      `${sim.apiUrl}/v10/interactions/${click.id}/${click.token}/callback`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 7, data: { content: 'Game night (1 player)' } }),
      },
    );
    expect(callback.status).toBe(204);
    const answered = (await call('GET', `/interactions/${click.id}/response?timeoutMs=1000`))
      .body as {
      responses: { type: number }[];
      original: { content: string };
    };
    expect(answered.responses.map((r) => r.type)).toEqual([7]);
    expect(answered.original.content).toBe('Game night (1 player)');

    const dmChannel = (await (
      await botRest('POST', '/users/@me/channels', { recipient_id: userId })
    ).json()) as { id: string };
    const dm = await botRest('POST', `/channels/${dmChannel.id}/messages`, { content: 'hi' });
    expect(dm.status).toBe(403);
    expect(await dm.json()).toEqual({ message: 'Cannot send messages to this user', code: 50007 });

    const calls = (await call('GET', '/calls?method=POST&route=/channels/:channelId/messages'))
      .body as RecordedCall[];
    expect(calls.map((c) => c.status)).toEqual([200, 403]);
    const messages = (await call('GET', `/channels/${channelId}/messages`)).body as {
      content: string;
    }[];
    expect(messages.map((m) => m.content)).toEqual(['Game night (1 player)']);
  });

  it('waits for a call that arrives later', async () => {
    const waiting = call('POST', '/calls/wait', {
      filter: { route: '/users/@me' },
      timeoutMs: 2000,
    });
    await botRest('GET', '/users/@me');
    const { status, body } = await waiting;
    expect(status).toBe(200);
    expect(body).toMatchObject({ method: 'GET', route: '/users/@me', status: 200 });
  });

  it('reports a bad scenario request as a 400 with the reason', async () => {
    const { status, body } = await call('POST', '/interactions/button', {
      userId: '1',
      messageId: '2',
      customId: 'x',
    });
    expect(status).toBe(400);
    expect((body as { error: string }).error).toMatch(/unknown message/);
  });
});

describe('the scenario client for other processes', () => {
  let sim: DiscordSim;

  beforeAll(async () => {
    sim = await createDiscordSim();
  });

  afterAll(async () => {
    await sim.close();
  });

  it('declares a world, runs a registered slash command and reads it back through /_sim', async () => {
    const remote = createDiscordSimClient(sim.url);
    const { guilds } = await remote.loadScenario({
      guilds: [
        {
          name: 'Remote',
          channels: [{ name: 'lobby' }],
          members: [{ user: { username: 'remote_rae' } }],
        },
      ],
    });
    const guild = guilds.Remote!;
    await fetch(`${sim.apiUrl}/v10/applications/${sim.application.id}/commands`, {
      method: 'PUT',
      headers: {
        Authorization: `Bot ${sim.application.botToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify([{ name: 'hello', description: 'Say hello' }]),
    });

    const handle = await remote.runSlashCommand({
      userId: guild.members.remote_rae!,
      channelId: guild.channels.lobby!,
      name: 'hello',
    });
    await fetch(`${sim.apiUrl}/v10/interactions/${handle.id}/${handle.token}/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'Hello!' } }),
    });

    const answered = await remote.waitForInteractionResponse(handle.id, 1000);
    expect(answered.original).toMatchObject({ content: 'Hello!', type: 20 });
    expect((await remote.messages(guild.channels.lobby!)).map((m) => m.content)).toEqual([
      'Hello!',
    ]);
    expect(
      (await remote.calls({ route: '/applications/:applicationId/commands' })).map((c) => c.status),
    ).toEqual([200]);
    await expect(remote.message('1')).rejects.toThrow(/404/);
  });
});
