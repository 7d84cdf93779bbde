// OAuth2 `state` values: random, single use, kept in Redis for ten minutes with where to go after.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export const STATE_TTL_SECONDS = 600;

export interface OAuthStateStore {
  issue(returnTo: string): Promise<string>;
  /** The returnTo stored with the state, once; null for an unknown, used or expired state. */
  consume(state: string): Promise<string | null>;
}

export function createOAuthStateStore(redis: Redis, prefix: string): OAuthStateStore {
  const key = (state: string) => `${prefix}oauth-state:${state}`;
  return {
    async issue(returnTo) {
      const state = randomBytes(24).toString('base64url');
      await redis.set(key(state), returnTo, 'EX', STATE_TTL_SECONDS);
      return state;
    },
    async consume(state) {
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(state)) return null;
      return redis.getdel(key(state));
    },
  };
}
