import { DiscordAPIError } from 'discord.js';
import type { Client, TextChannel } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSim, demoScenario } from '../src/index.ts';
import type { DiscordSim, RecordedCall } from '../src/index.ts';
import { loginClient, players } from './helpers.ts';

const generalId = '1300000000000000401';
const messagesRoute = '/channels/:channelId/messages';

function header(call: RecordedCall, name: string): number {
  return Number(call.responseHeaders[name]);
}

describe('faithful failures against discord.js', () => {
  let sim: DiscordSim;
  let client: Client<true>;
  let channel: TextChannel;

  beforeAll(async () => {
    sim = await createDiscordSim({ scenario: demoScenario });
    client = await loginClient(sim);
    channel = (await client.channels.fetch(generalId)) as TextChannel;
  });

  afterEach(() => {
    sim.setRateLimits({ routes: [], default: false, global: false });
  });

  afterAll(async () => {
    await client.destroy();
    await sim.close();
  });

  it('lets discord.js send six messages under a 2-per-second bucket without ever hitting a 429', async () => {
    sim.setRateLimits({
      routes: [{ method: 'POST', route: messagesRoute, limit: 2, windowMs: 1000 }],
    });
    const since = sim.lastCallSeq;

    const sent = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => channel.send(`message ${n}`)));

    expect(sent.map((m) => m.content)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `message ${n}`));
    const calls = sim.calls({ method: 'POST', route: messagesRoute, afterSeq: since });
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(calls.map((c) => c.responseHeaders['X-RateLimit-Remaining'])).toEqual([
      '1',
      '0',
      '1',
      '0',
      '1',
      '0',
    ]);
    for (const [index, call] of calls.entries()) {
      const previous = calls[index - 1];
      if (previous?.responseHeaders['X-RateLimit-Remaining'] !== '0') continue;
      // The bucket was exhausted: the next request waited at least Reset-After.
      expect(call.time).toBeGreaterThanOrEqual(
        previous.time + header(previous, 'X-RateLimit-Reset-After') * 1000,
      );
    }
  });

  it('answers an exhausted bucket with a 429 that discord.js waits out before retrying', async () => {
    sim.setRateLimits({
      routes: [{ method: 'POST', route: messagesRoute, limit: 1, windowMs: 800 }],
    });
    const since = sim.lastCallSeq;
    // Another process using the same token spends the bucket, so discord.js has not seen it empty.
    const other = await fetch(`${sim.apiUrl}/v10/channels/${generalId}/messages`, {
      method: 'POST',
      headers: {
        Authorization: `Bot ${sim.application.botToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ content: 'from elsewhere' }),
    });
    expect(other.status).toBe(200);

    const message = await channel.send('after the limit');

    expect(message.content).toBe('after the limit');
    const [, limited, retried] = sim.calls({
      method: 'POST',
      route: messagesRoute,
      afterSeq: since,
    });
    expect(limited?.status).toBe(429);
    expect(limited?.response).toMatchObject({
      message: 'You are being rate limited.',
      global: false,
    });
    expect(limited?.responseHeaders).toMatchObject({
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Scope': 'user',
    });
    expect(Number(limited?.responseHeaders['Retry-After'])).toBeGreaterThan(0);
    expect(retried?.status).toBe(200);
    expect(retried!.time).toBeGreaterThanOrEqual(
      limited!.time + header(limited!, 'X-RateLimit-Reset-After') * 1000,
    );
  });

  it('applies a global limit with the global 429 body and headers', async () => {
    sim.setRateLimits({ global: { limit: 1, windowMs: 60_000 } });
    const auth = { Authorization: `Bot ${sim.application.botToken}` };
    expect((await fetch(`${sim.apiUrl}/v10/users/@me`, { headers: auth })).status).toBe(200);

    const limited = await fetch(`${sim.apiUrl}/v10/users/@me`, { headers: auth });

    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({
      message: 'You are being rate limited.',
      global: true,
    });
  });

  it('rejects a DM to a user who closed DMs with DiscordAPIError 50007', async () => {
    const user = await client.users.fetch(players.quinn.id);

    const error: unknown = await user.send('Reminder: game in 1 hour').then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({
      code: 50007,
      status: 403,
      message: 'Cannot send messages to this user',
    });
    expect(sim.dms(players.quinn.id)).toEqual([]);
  });

  it('answers unknown messages and channels with 10008 and 10003', async () => {
    await expect(channel.messages.fetch('1300000000000009999')).rejects.toMatchObject({
      code: 10008,
      status: 404,
    });
    await expect(client.channels.fetch('1300000000000009998')).rejects.toMatchObject({
      code: 10003,
      status: 404,
    });
  });

  it('answers a bad or missing bot token with 401 and code 0', async () => {
    for (const headers of [{ Authorization: 'Bot wrong-token' }, {}]) {
      const response = await fetch(`${sim.apiUrl}/v10/channels/${generalId}/messages`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    }
  });

  it('fails a route with a 5xx the chosen number of times, and discord.js retries through it', async () => {
    sim.failRoute({ method: 'POST', route: messagesRoute, status: 502, times: 2 });
    const since = sim.lastCallSeq;

    const message = await channel.send('through the outage');

    expect(message.content).toBe('through the outage');
    expect(sim.calls({ route: messagesRoute, afterSeq: since }).map((c) => c.status)).toEqual([
      502, 502, 200,
    ]);
  });
});

describe('permissions and clearing activity', () => {
  it('answers 50013 Missing Permissions when the bot may view but not send, and 50001 when it may not view', async () => {
    const sim = await createDiscordSim();
    try {
      const owner = { user: { username: 'owner_olga' } };
      const readOnly = sim.addGuild({
        name: 'Read only',
        everyonePermissions: String(1 << 10),
        channels: [{ name: 'news' }],
        members: [owner],
      });
      const hidden = sim.addGuild({
        name: 'Hidden',
        everyonePermissions: '0',
        channels: [{ name: 'secret' }],
        members: [owner],
      });
      const post = (channelId: string) =>
        fetch(`${sim.apiUrl}/v10/channels/${channelId}/messages`, {
          method: 'POST',
          headers: {
            Authorization: `Bot ${sim.application.botToken}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ content: 'hello' }),
        });

      const denied = await post(readOnly.channels.news!);
      const invisible = await post(hidden.channels.secret!);

      expect(denied.status).toBe(403);
      expect(await denied.json()).toEqual({ message: 'Missing Permissions', code: 50013 });
      expect(invisible.status).toBe(403);
      expect(await invisible.json()).toEqual({ message: 'Missing Access', code: 50001 });
    } finally {
      await sim.close();
    }
  });

  it('forgets messages, interactions and calls but keeps the world on clearActivity', async () => {
    const sim = await createDiscordSim({ scenario: demoScenario });
    try {
      await fetch(`${sim.apiUrl}/v10/channels/${generalId}/messages`, {
        method: 'POST',
        headers: {
          Authorization: `Bot ${sim.application.botToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ content: 'hello' }),
      });
      expect(sim.messages(generalId)).toHaveLength(1);

      sim.clearActivity();

      expect(sim.messages(generalId)).toEqual([]);
      expect(sim.calls()).toEqual([]);
      expect(sim.store.guilds.size).toBe(1);
      expect(sim.store.users.get(players.pat.id)?.username).toBe(players.pat.username);
    } finally {
      await sim.close();
    }
  });
});
