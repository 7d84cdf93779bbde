import { SimApiError } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import { bodyObject, json } from '../rest/context.ts';
import type { RestRequest, RestResponse, RestRoute, SimContext } from '../rest/context.ts';
import { toApiUser } from '../rest/serialize.ts';
import type { SimOAuthToken } from '../state/types.ts';
import { ACCESS_TOKEN_LIFETIME_S, issueCode, issueToken, revokeToken } from './oauth-grants.ts';

function oauthError(status: number, error: string, description?: string): SimApiError {
  return new SimApiError(
    status,
    description ? { error, error_description: description } : { error },
  );
}

/** Which user "logs in": ?user_id=… (a simulator extension), else the scenario's default OAuth2 user. */
function chooseUser(ctx: SimContext, req: RestRequest): string {
  const requested = req.query.get('user_id');
  if (requested !== null) {
    if (!ctx.store.users.has(requested))
      throw oauthError(400, 'invalid_request', 'Unknown user_id');
    return requested;
  }
  const fallback =
    ctx.store.oauthDefaultUserId ?? [...ctx.store.users.values()].find((u) => !u.bot)?.id ?? null;
  if (fallback === null) throw oauthError(400, 'invalid_request', 'No user to authorize as');
  return fallback;
}

function authorize(req: RestRequest, ctx: SimContext): RestResponse {
  const app = ctx.store.application;
  const q = req.query;
  if (q.get('client_id') !== app.id) throw oauthError(400, 'invalid_client', 'Unknown client_id');
  const redirectUri = q.get('redirect_uri') ?? app.redirectUris[0] ?? null;
  if (redirectUri === null) throw oauthError(400, 'invalid_request', 'redirect_uri is required');
  if (app.redirectUris.length > 0 && !app.redirectUris.includes(redirectUri)) {
    throw oauthError(400, 'invalid_request', 'Invalid "redirect_uri" in request.');
  }
  const location = new URL(redirectUri);
  const state = q.get('state');
  if (q.get('response_type') !== 'code') {
    location.searchParams.set('error', 'unsupported_response_type');
  } else if (q.get('sim_deny') === 'true') {
    location.searchParams.set('error', 'access_denied');
    location.searchParams.set(
      'error_description',
      'The resource owner or authorization server denied the request',
    );
  } else {
    const scopes = (q.get('scope') ?? 'identify').split(/[ +]/).filter((s) => s !== '');
    const code = issueCode(ctx.store, chooseUser(ctx, req), app.id, q.get('redirect_uri'), scopes);
    location.searchParams.set('code', code.code);
  }
  if (state !== null) location.searchParams.set('state', state);
  return { status: 302, headers: { Location: location.toString() } };
}

/** Client credentials from the form body or HTTP Basic auth, checked against the application. */
function checkClient(ctx: SimContext, req: RestRequest, form: Record<string, unknown>): void {
  let clientId = typeof form.client_id === 'string' ? form.client_id : undefined;
  let clientSecret = typeof form.client_secret === 'string' ? form.client_secret : undefined;
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, colon));
    clientSecret = decodeURIComponent(decoded.slice(colon + 1));
  }
  const app = ctx.store.application;
  if (clientId !== app.id || clientSecret !== app.clientSecret)
    throw oauthError(401, 'invalid_client');
}

function tokenBody(token: SimOAuthToken) {
  return {
    token_type: 'Bearer',
    access_token: token.accessToken,
    expires_in: ACCESS_TOKEN_LIFETIME_S,
    refresh_token: token.refreshToken,
    scope: token.scopes.join(' '),
  };
}

function exchange(req: RestRequest, ctx: SimContext): RestResponse {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('application/x-www-form-urlencoded')) {
    throw oauthError(
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
    );
  }
  const form = bodyObject(req);
  checkClient(ctx, req, form);
  const { store } = ctx;
  switch (form.grant_type) {
    case 'authorization_code': {
      const code = typeof form.code === 'string' ? store.oauthCodes.get(form.code) : undefined;
      if (!code || code.expiresAt <= Date.now()) {
        throw oauthError(400, 'invalid_grant', `Invalid "code" in request.`);
      }
      if (code.redirectUri !== null && form.redirect_uri !== code.redirectUri) {
        throw oauthError(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
      }
      store.oauthCodes.delete(code.code);
      return json(tokenBody(issueToken(store, code.userId, code.scopes)));
    }
    case 'refresh_token': {
      const old =
        typeof form.refresh_token === 'string'
          ? store.oauthRefreshTokens.get(form.refresh_token)
          : undefined;
      if (!old) throw oauthError(400, 'invalid_grant');
      revokeToken(store, old);
      return json(tokenBody(issueToken(store, old.userId, old.scopes)));
    }
    default:
      throw oauthError(400, 'unsupported_grant_type');
  }
}

function revoke(req: RestRequest, ctx: SimContext): RestResponse {
  const form = bodyObject(req);
  checkClient(ctx, req, form);
  const value = typeof form.token === 'string' ? form.token : '';
  const token = ctx.store.oauthAccessTokens.get(value) ?? ctx.store.oauthRefreshTokens.get(value);
  if (token) revokeToken(ctx.store, token);
  return json({});
}

export function registerOAuthRoutes(router: Router<RestRoute>): void {
  router.add('GET', '/oauth2/authorize', { auth: 'none', handle: authorize });
  router.add('POST', '/oauth2/token', { auth: 'none', handle: exchange });
  router.add('POST', '/oauth2/token/revoke', { auth: 'none', handle: revoke });
  router.add('GET', '/oauth2/@me', {
    auth: 'bearer',
    handle: (req, ctx) => {
      if (req.auth.kind !== 'bearer') throw oauthError(401, 'invalid_token');
      const token = req.auth.token;
      const user = ctx.store.users.get(token.userId);
      const app = ctx.store.application;
      return json({
        application: { id: app.id, name: app.name, icon: null, description: '', bot_public: true },
        scopes: token.scopes,
        expires: new Date(token.expiresAt).toISOString(),
        user: user ? toApiUser(user) : null,
      });
    },
  });
}
