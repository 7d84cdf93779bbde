import { randomBytes } from 'node:crypto';
import type { SimStore } from '../state/store.ts';
import type { SimOAuthCode, SimOAuthToken } from '../state/types.ts';

export const ACCESS_TOKEN_LIFETIME_S = 604_800;
const CODE_LIFETIME_MS = 10 * 60 * 1000;

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function issueCode(
  store: SimStore,
  userId: string,
  clientId: string,
  redirectUri: string | null,
  scopes: string[],
): SimOAuthCode {
  const code: SimOAuthCode = {
    code: randomToken(20),
    userId,
    clientId,
    redirectUri,
    scopes,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  };
  store.oauthCodes.set(code.code, code);
  store.changed();
  return code;
}

export function issueToken(store: SimStore, userId: string, scopes: string[]): SimOAuthToken {
  const token: SimOAuthToken = {
    accessToken: randomToken(24),
    refreshToken: randomToken(24),
    userId,
    scopes,
    expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_S * 1000,
  };
  store.oauthAccessTokens.set(token.accessToken, token);
  store.oauthRefreshTokens.set(token.refreshToken, token);
  store.changed();
  return token;
}

export function revokeToken(store: SimStore, token: SimOAuthToken): void {
  store.oauthAccessTokens.delete(token.accessToken);
  store.oauthRefreshTokens.delete(token.refreshToken);
  store.changed();
}

/** The live grant behind a bearer access token, or undefined. */
export function findAccessToken(store: SimStore, accessToken: string): SimOAuthToken | undefined {
  const token = store.oauthAccessTokens.get(accessToken);
  if (!token || token.expiresAt <= Date.now()) return undefined;
  return token;
}
