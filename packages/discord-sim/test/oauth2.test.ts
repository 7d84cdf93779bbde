import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordSim, demoScenario } from '../src/index.ts';
import type { DiscordSim } from '../src/index.ts';
import { players } from './helpers.ts';

const redirectUri = 'http://localhost:3000/api/v1/auth/callback';

interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

describe('OAuth2 authorization-code login against the simulator', () => {
  let sim: DiscordSim;

  beforeAll(async () => {
    sim = await createDiscordSim({
      scenario: demoScenario,
      application: { redirectUris: [redirectUri] },
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  function authorizeUrl(extra: Record<string, string> = {}): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: sim.application.clientId,
      redirect_uri: redirectUri,
      scope: 'identify guilds email',
      state: 'state-123',
      ...extra,
    });
    return `${sim.url}/oauth2/authorize?${query.toString()}`;
  }

  function exchange(form: Record<string, string>): Promise<Response> {
    return fetch(`${sim.apiUrl}/v10/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: sim.application.clientId,
        client_secret: sim.application.clientSecret,
        ...form,
      }),
    });
  }

  async function authorize(extra: Record<string, string> = {}): Promise<URL> {
    const response = await fetch(authorizeUrl(extra), { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location') ?? '');
  }

  it('logs the default user in: redirect with state, token exchange, /users/@me, /users/@me/guilds, refresh', async () => {
    const callback = await authorize();
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('state-123');
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const tokenResponse = await exchange({
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: redirectUri,
    });
    expect(tokenResponse.status).toBe(200);
    const tokens = (await tokenResponse.json()) as TokenResponse;
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 604800,
      scope: 'identify guilds email',
    });

    const bearer = { Authorization: `Bearer ${tokens.access_token}` };
    const me = (await (
      await fetch(`${sim.apiUrl}/v10/users/@me`, { headers: bearer })
    ).json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      id: players.host.id,
      username: players.host.username,
      email: 'host_hana@example.test',
    });
    const guilds = (await (
      await fetch(`${sim.apiUrl}/v10/users/@me/guilds`, { headers: bearer })
    ).json()) as Record<string, unknown>[];
    expect(guilds).toEqual([
      expect.objectContaining({ id: '1300000000000000201', name: 'Game Night', owner: true }),
    ]);

    const refreshed = await exchange({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as TokenResponse;
    expect(next.access_token).not.toBe(tokens.access_token);
    const withNew = await fetch(`${sim.apiUrl}/v10/users/@me`, {
      headers: { Authorization: `Bearer ${next.access_token}` },
    });
    expect(withNew.status).toBe(200);
    const withOld = await fetch(`${sim.apiUrl}/v10/users/@me`, { headers: bearer });
    expect(withOld.status).toBe(401);

    expect(sim.calls({ route: '/oauth2/token' }).map((c) => c.body)).toEqual([
      expect.objectContaining({ grant_type: 'authorization_code', code }),
      expect.objectContaining({ grant_type: 'refresh_token' }),
    ]);
  });

  it('logs in as the user named by user_id, with that user’s guild permissions', async () => {
    const callback = await authorize({ user_id: players.pat.id });
    const tokens = (await (
      await exchange({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: redirectUri,
      })
    ).json()) as TokenResponse;

    const guilds = (await (
      await fetch(`${sim.apiUrl}/v10/users/@me/guilds`, {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      })
    ).json()) as Record<string, unknown>[];

    expect(guilds).toEqual([expect.objectContaining({ id: '1300000000000000201', owner: false })]);
    expect(guilds[0]?.permissions).toBe('2248473465835073');
  });

  it('refuses a wrong client secret, a reused code and an unregistered redirect URI', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const wrongSecret = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_secret: 'nope',
    });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({ error: 'invalid_client' });

    expect(
      (await exchange({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }))
        .status,
    ).toBe(200);
    const reused = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });

    const badRedirect = await fetch(authorizeUrl({ redirect_uri: 'http://evil.test/cb' }), {
      redirect: 'manual',
    });
    expect(badRedirect.status).toBe(400);
  });

  it('redirects with error=access_denied and the state when the user declines', async () => {
    const callback = await authorize({ sim_deny: 'true' });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.has('code')).toBe(false);
  });
});
