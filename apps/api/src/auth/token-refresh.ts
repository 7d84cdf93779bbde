// Refreshing a session's Discord access token exactly once, however many requests (on however many
// replicas) find it expired together. Discord rotates the refresh token on every refresh, so a
// second refresh with the old one is refused and would end the session: the first request takes a
// Redis lock and refreshes; the others (here or on another replica) wait for the stored record to
// carry the new token. Requests in this process share one refresh promise.
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '@game-scheduler/domain';
import type { Redis } from 'ioredis';
import type { DiscordClient } from '../discord/discord-client.ts';
import { DiscordUnauthorizedError } from '../discord/discord-client.ts';
import type { Session, SessionStore } from './session-store.ts';

/** Refresh a little before Discord's expiry so a token never dies mid-request. */
export const REFRESH_MARGIN_MS = 60_000;
const LOCK_MS = 10_000;
const WAIT_STEP_MS = 50;
const WAIT_LIMIT_MS = 8_000;

const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export interface TokenRefresher {
  /** A valid access token for the session, refreshed (and saved) when it has expired. */
  accessToken(session: Session): Promise<string>;
}

function fresh(session: Session): boolean {
  return session.expiresAt - REFRESH_MARGIN_MS > Date.now();
}

function signedOut(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'Your Discord sign-in expired; sign in again');
}

export function createTokenRefresher(options: {
  redis: Redis;
  store: SessionStore;
  discord: DiscordClient;
  prefix: string;
}): TokenRefresher {
  const { redis, store, discord, prefix } = options;
  const inFlight = new Map<string, Promise<string>>();

  const lockKey = (id: string) =>
    `${prefix}session-refresh:${createHash('sha256').update(id).digest('base64url')}`;

  async function refreshHolding(session: Session): Promise<string> {
    // Another replica may have refreshed between our read and the lock.
    const current = await store.get(session.id);
    if (current === null) throw signedOut();
    if (fresh(current)) return current.accessToken;
    try {
      const tokens = await discord.refresh(current.refreshToken);
      const { id, ...record } = current;
      await store.update(id, {
        ...record,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
      });
      return tokens.accessToken;
    } catch (error) {
      if (
        error instanceof DiscordUnauthorizedError ||
        (error instanceof DomainError && error.code === 'UNAUTHENTICATED')
      ) {
        await store.destroy(session.id);
        throw signedOut();
      }
      throw error;
    }
  }

  /** Waits for the replica holding the lock to store the new token (or to end the session). */
  async function awaitOther(session: Session): Promise<string> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (Date.now() < deadline) {
      await sleep(WAIT_STEP_MS);
      const current = await store.get(session.id);
      if (current === null) throw signedOut();
      if (fresh(current)) return current.accessToken;
    }
    throw new DomainError('DEPENDENCY_UNAVAILABLE', 'Refreshing the Discord token took too long');
  }

  async function refresh(session: Session): Promise<string> {
    const key = lockKey(session.id);
    const owner = randomBytes(16).toString('base64url');
    const locked = await redis.set(key, owner, 'PX', LOCK_MS, 'NX');
    if (locked === null) return awaitOther(session);
    try {
      return await refreshHolding(session);
    } finally {
      await redis.eval(RELEASE, 1, key, owner);
    }
  }

  return {
    async accessToken(session) {
      if (fresh(session)) return session.accessToken;
      let pending = inFlight.get(session.id);
      if (pending === undefined) {
        pending = refresh(session).finally(() => inFlight.delete(session.id));
        inFlight.set(session.id, pending);
      }
      return pending;
    },
  };
}
