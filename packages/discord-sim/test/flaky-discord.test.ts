// failRequests: a flaky Discord answering 5xx or 429 to a share of the requests, for a while.
import { REST } from 'discord.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSim, demoScenario, type DiscordSim } from '../src/index.ts';

const generalId = '1300000000000000401';
const messagesRoute = '/channels/:channelId/messages';

describe('a flaky Discord', () => {
  let sim: DiscordSim;

  beforeAll(async () => {
    sim = await createDiscordSim({ scenario: demoScenario, rateLimits: { enabled: false } });
  });

  afterEach(() => {
    sim.clearActivity();
  });

  afterAll(async () => {
    await sim.close();
  });

  async function post(content: string): Promise<Response> {
    return fetch(`${sim.apiUrl}/channels/${generalId}/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bot ${sim.application.botToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ content }),
    });
  }

  it('fails every 1/share-th matching request, and what a failed request asked for does not happen', async () => {
    sim.failRequests({ route: messagesRoute, method: 'POST', share: 0.25 });
    const statuses = [];
    for (let n = 1; n <= 8; n += 1) statuses.push((await post(`message ${String(n)}`)).status);

    expect(statuses).toEqual([200, 200, 200, 503, 200, 200, 200, 503]);
    expect(sim.messages(generalId).map((m) => m.content)).toEqual(
      [1, 2, 3, 5, 6, 7].map((n) => `message ${String(n)}`),
    );
    // Other routes are untouched.
    const channel = await fetch(`${sim.apiUrl}/channels/${generalId}`, {
      headers: { authorization: `Bot ${sim.application.botToken}` },
    });
    expect(channel.status).toBe(200);
  });

  it("answers 429 the way Discord's shared limit does, and only for the window given", async () => {
    sim.failRequests({ status: 429, forMs: 300, retryAfterSeconds: 0.2 });
    const limited = await post('too soon');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('shared');
    expect(await limited.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 0.2,
      global: false,
    });
    await sleep(350);
    expect((await post('later')).status).toBe(200);
    expect(sim.messages(generalId).map((m) => m.content)).toEqual(['later']);
  });

  it('stays until cleared when no window is given', async () => {
    sim.failRequests({ status: 502 });
    expect((await post('one')).status).toBe(502);
    expect((await post('two')).status).toBe(502);
    sim.clearFaults();
    expect((await post('three')).status).toBe(200);
  });

  it('still lets @discordjs/rest deliver every message exactly once, retrying 5xx and waiting out 429s', async () => {
    const rest = new REST({ api: sim.apiUrl, retries: 3 }).setToken(sim.application.botToken);
    sim.failRequests({ route: messagesRoute, method: 'POST', share: 0.5, status: 503 });
    sim.failRequests({ route: messagesRoute, method: 'POST', share: 0.25, status: 429 });
    const contents = [1, 2, 3, 4, 5, 6].map((n) => `through the storm ${String(n)}`);
    await Promise.all(
      contents.map((content) =>
        rest.post(`/channels/${generalId}/messages`, { body: { content } }),
      ),
    );

    expect(
      sim
        .messages(generalId)
        .map((m) => String(m.content))
        .sort(),
    ).toEqual(contents);
    const statuses = sim.calls({ method: 'POST', route: messagesRoute }).map((c) => c.status);
    expect(statuses).toContain(503);
    expect(statuses).toContain(429);
  });

  it('lets the first `skip` matching requests through', async () => {
    sim.failRequests({ route: messagesRoute, method: 'POST', skip: 2 });
    const statuses = [];
    for (let n = 1; n <= 4; n += 1) statuses.push((await post(`message ${String(n)}`)).status);
    expect(statuses).toEqual([200, 200, 503, 503]);
  });

  it('answers a repeated enforce_nonce send with the message it already created', async () => {
    const send = (nonce: string) =>
      fetch(`${sim.apiUrl}/channels/${generalId}/messages`, {
        method: 'POST',
        headers: {
          authorization: `Bot ${sim.application.botToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ content: `hello ${nonce}`, nonce, enforce_nonce: true }),
      }).then((response) => response.json() as Promise<{ id: string }>);
    const first = await send('nonce-1');
    const again = await send('nonce-1');
    const other = await send('nonce-2');
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(sim.messages(generalId).map((m) => m.content)).toEqual([
      'hello nonce-1',
      'hello nonce-2',
    ]);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => {
      sim.failRequests({ share: 0 });
    }).toThrow(RangeError);
    expect(() => {
      sim.failRequests({ share: 1.5 });
    }).toThrow(RangeError);
  });
});
