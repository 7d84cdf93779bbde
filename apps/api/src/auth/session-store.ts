// Sessions in Redis: an opaque random id in the cookie, the record under the SHA-256 of that id (a
// leaked Redis dump holds no usable cookie). The record keeps the Discord tokens for refreshes.
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface SessionRecord {
  readonly userId: string;
  readonly username: string;
  readonly globalName: string | null;
  readonly avatar: string | null;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms when the Discord access token expires. */
  readonly expiresAt: number;
}

export interface Session extends SessionRecord {
  readonly id: string;
}

export interface SessionStore {
  create(record: SessionRecord): Promise<string>;
  get(id: string): Promise<Session | null>;
  update(id: string, record: SessionRecord): Promise<void>;
  destroy(id: string): Promise<void>;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function isRecord(value: unknown): value is SessionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['userId'] === 'string' &&
    typeof v['accessToken'] === 'string' &&
    typeof v['refreshToken'] === 'string' &&
    typeof v['expiresAt'] === 'number'
  );
}

export function createSessionStore(
  redis: Redis,
  options: { prefix: string; ttlSeconds: number },
): SessionStore {
  const key = (id: string) =>
    `${options.prefix}session:${createHash('sha256').update(id).digest('base64url')}`;
  return {
    async create(record) {
      const id = randomBytes(32).toString('base64url');
      await redis.set(key(id), JSON.stringify(record), 'EX', options.ttlSeconds);
      return id;
    },
    async get(id) {
      if (!ID_PATTERN.test(id)) return null;
      const text = await redis.get(key(id));
      if (text === null) return null;
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? { ...parsed, id } : null;
    },
    async update(id, record) {
      await redis.set(key(id), JSON.stringify(record), 'EX', options.ttlSeconds);
    },
    async destroy(id) {
      if (ID_PATTERN.test(id)) await redis.del(key(id));
    },
  };
}
