import { createLogger } from '@game-scheduler/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createDiscordClient } from '../src/discord/discord-client.ts';
import {
  HANA,
  PAT,
  PUBLIC_URL,
  QUINN,
  RIO,
  cookieFrom,
  startHarness,
  type Harness,
} from './support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('signing in with Discord', () => {
  it('redirects to the Discord authorize URL with a state kept in Redis for ten minutes', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/auth/login' });
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${h.sim.url}/oauth2/authorize`);
    expect(location.searchParams.get('client_id')).toBe(h.sim.application.clientId);
    expect(location.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/api/v1/auth/callback`);
    expect(location.searchParams.get('scope')).toBe('identify guilds');
    const state = location.searchParams.get('state') ?? '';
    const ttl = await h.redis.ttl(`${h.prefix}oauth-state:${state}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('signs in end to end: authorize, callback with code and state, cookie, then /me', async () => {
    const start = await h.app.inject({
      method: 'GET',
      url: '/api/v1/auth/login?returnTo=/games',
    });
    const authorize = new URL(String(start.headers.location));
    const granted = await fetch(authorize, { redirect: 'manual' });
    expect(granted.status).toBe(302);
    const callback = new URL(String(granted.headers.get('location')));
    expect(callback.searchParams.get('code')).toBeTruthy();
    const done = await h.app.inject({
      method: 'GET',
      url: `${callback.pathname}${callback.search}`,
    });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/games');
    const setCookie = String(done.headers['set-cookie']);
    expect(setCookie).toMatch(/^gs_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const me = await h.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: cookieFrom(done) },
    });
    expect(me.statusCode).toBe(200);
    const body = me.json<{
      user: { id: string; username: string };
      guilds: { id: string; name: string }[];
    }>();
    expect(body.user).toMatchObject({ id: HANA, username: 'host_hana' });
    expect(body.guilds).toEqual([
      expect.objectContaining({ id: '1300000000000000201', name: 'Game Night' }),
    ]);
    const row = await h.prisma.user.findUnique({ where: { id: HANA } });
    expect(row?.username).toBe('host_hana');
  });

  it('rejects a callback whose state it never issued, naming the field', async () => {
    const response = await h.app.inject({
      method: 'GET',
      url: '/api/v1/auth/callback?code=abc&state=forged-state',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: { code: 'VALIDATION', details: { field: 'state' } },
    });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('accepts a state only once', async () => {
    const start = await h.app.inject({ method: 'GET', url: '/api/v1/auth/login' });
    const granted = await fetch(new URL(String(start.headers.location)), { redirect: 'manual' });
    const callback = new URL(String(granted.headers.get('location')));
    const url = `${callback.pathname}${callback.search}`;
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(302);
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(400);
  });

  it('does not follow a returnTo that leaves the site', async () => {
    const start = await h.app.inject({
      method: 'GET',
      url: '/api/v1/auth/login?returnTo=//evil.example/x',
    });
    const granted = await fetch(new URL(String(start.headers.location)), { redirect: 'manual' });
    const callback = new URL(String(granted.headers.get('location')));
    const done = await h.app.inject({
      method: 'GET',
      url: `${callback.pathname}${callback.search}`,
    });
    expect(done.headers.location).toBe('/');
  });

  it('answers 401 on /me without a session, and with a made-up cookie', async () => {
    const none = await h.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const forged = await h.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: 'gs_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('logs out: the session is gone and the cookie cleared', async () => {
    const cookie = await h.login(PAT);
    const logout = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie },
    });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/gs_session=;/);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  it('refreshes the Discord token when it has expired', async () => {
    const cookie = await h.login(PAT);
    const keys = await h.redis.keys(`${h.prefix}session:*`);
    for (const key of keys) {
      const record = JSON.parse((await h.redis.get(key)) ?? '{}') as Record<string, unknown>;
      if (record['userId'] !== PAT) continue;
      await h.redis.set(
        key,
        JSON.stringify({ ...record, expiresAt: Date.now() - 1000 }),
        'EX',
        600,
      );
    }
    await h.redis.del(`${h.prefix}guilds:${PAT}`);
    const seq = h.sim.lastCallSeq;
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    const refreshes = h.sim
      .calls({ afterSeq: seq, route: '/oauth2/token' })
      .filter(
        (call) =>
          String((call.body as Record<string, unknown> | null)?.['grant_type']) === 'refresh_token',
      );
    expect(refreshes).toHaveLength(1);
    const again = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(again.statusCode).toBe(200);
    expect(h.sim.calls({ afterSeq: seq, route: '/oauth2/token' })).toHaveLength(1);
  });

  it('refreshes an expired token once when requests arrive together, on two API replicas, and keeps the session', async () => {
    const cookie = await h.login(HANA);
    const keys = await h.redis.keys(`${h.prefix}session:*`);
    for (const key of keys) {
      const record = JSON.parse((await h.redis.get(key)) ?? '{}') as Record<string, unknown>;
      if (record['userId'] !== HANA) continue;
      await h.redis.set(
        key,
        JSON.stringify({ ...record, expiresAt: Date.now() - 1000 }),
        'EX',
        600,
      );
    }
    await h.redis.del(`${h.prefix}guilds:${HANA}`);
    const replica = await createApp({
      settings: h.settings,
      prisma: h.prisma,
      redis: h.redis,
      discord: createDiscordClient(h.settings.discord),
      readiness: {
        postgres: () => Promise.resolve(),
        redis: () => Promise.resolve(),
        rabbitmq: () => Promise.resolve(),
      },
      logger: createLogger({ name: 'api-replica', level: 'silent', pretty: false }),
    });
    try {
      const seq = h.sim.lastCallSeq;
      const answers = await Promise.all(
        [h.app, replica, h.app, replica, h.app, replica].map((app) =>
          app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } }),
        ),
      );
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(h.sim.calls({ afterSeq: seq, route: '/oauth2/token' })).toHaveLength(1);
      const later = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
      expect(later.statusCode).toBe(200);
    } finally {
      await replica.close();
    }
  });

  it('ends the session when Discord has revoked the token', async () => {
    const cookie = await h.login(RIO);
    const keys = await h.redis.keys(`${h.prefix}session:*`);
    let accessToken = '';
    for (const key of keys) {
      const record = JSON.parse((await h.redis.get(key)) ?? '{}') as Record<string, unknown>;
      if (record['userId'] === RIO) accessToken = String(record['accessToken']);
    }
    const revoked = await fetch(`${h.sim.apiUrl}/v10/oauth2/token/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: accessToken,
        client_id: h.sim.application.clientId,
        client_secret: h.sim.application.clientSecret,
      }).toString(),
    });
    expect(revoked.ok).toBe(true);
    await h.redis.del(`${h.prefix}guilds:${RIO}`);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    const seq = h.sim.lastCallSeq;
    const again = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(again.statusCode).toBe(401);
    expect(h.sim.calls({ afterSeq: seq })).toHaveLength(0);
  });

  it('ends the session when Discord refuses to refresh an expired token', async () => {
    const cookie = await h.login(QUINN);
    const keys = await h.redis.keys(`${h.prefix}session:*`);
    let sessionKey = '';
    for (const key of keys) {
      const record = JSON.parse((await h.redis.get(key)) ?? '{}') as Record<string, unknown>;
      if (record['userId'] !== QUINN) continue;
      sessionKey = key;
      await h.redis.set(
        key,
        JSON.stringify({ ...record, expiresAt: Date.now() - 1000, refreshToken: 'not-a-token' }),
        'EX',
        600,
      );
    }
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(await h.redis.exists(sessionKey)).toBe(0);
  });
});

describe('the session cookie outside development', () => {
  it('is Secure, httpOnly and SameSite=Lax in production', async () => {
    const production = await startHarness({ environment: 'production' });
    try {
      const start = await production.app.inject({ method: 'GET', url: '/api/v1/auth/login' });
      const authorize = new URL(String(start.headers.location));
      authorize.searchParams.set('user_id', PAT);
      const granted = await fetch(authorize, { redirect: 'manual' });
      const callback = new URL(String(granted.headers.get('location')));
      const done = await production.app.inject({
        method: 'GET',
        url: `${callback.pathname}${callback.search}`,
      });
      expect(done.statusCode).toBe(302);
      const setCookie = String(done.headers['set-cookie']);
      expect(setCookie).toMatch(/^gs_session=/);
      expect(setCookie).toMatch(/; Secure/i);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      const logout = await production.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie: cookieFrom(done) },
      });
      expect(String(logout.headers['set-cookie'])).toMatch(/; Secure/i);
    } finally {
      await production.close();
    }
  });

  it('is not Secure in test (as in development), where the API runs on plain http', async () => {
    const cookie = String(
      (
        await h.app.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: { cookie: await h.login(PAT) },
        })
      ).headers['set-cookie'],
    );
    expect(cookie).not.toMatch(/; Secure/i);
  });
});

describe("the user's own time zone", () => {
  it('is null until set, then shown by /me in its canonical IANA spelling', async () => {
    const cookie = await h.login(RIO);
    const me = async () =>
      (await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json<{
        user: { timeZone: string | null };
      }>().user.timeZone;
    expect(await me()).toBeNull();
    const set = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie },
      payload: { timeZone: 'america/new_york' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ id: RIO, timeZone: 'America/New_York' });
    expect(await me()).toBe('America/New_York');
    const row = await h.prisma.user.findUniqueOrThrow({ where: { id: RIO } });
    expect(row.timeZone).toBe('America/New_York');
    await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie },
      payload: { timeZone: null },
    });
    expect(await me()).toBeNull();
  });

  it('answers 400 naming timeZone for a zone that does not exist, 401 without a session', async () => {
    const cookie = await h.login(RIO);
    for (const payload of [{ timeZone: 'Atlantis/Capital' }, { timeZone: '-03:00' }, {}]) {
      const response = await h.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { cookie },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { details: { field: 'timeZone' } } });
    }
    const anonymous = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      payload: { timeZone: 'UTC' },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
