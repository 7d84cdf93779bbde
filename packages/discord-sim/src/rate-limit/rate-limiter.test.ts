import { describe, expect, it } from 'vitest';
import { RateLimiter, bucketHash } from './rate-limiter.ts';

const route = '/channels/:channelId/messages';

describe('RateLimiter', () => {
  it('counts a bucket down and answers the request past the limit with a 429 until the window resets', () => {
    const limiter = new RateLimiter({
      global: false,
      routes: [{ route, method: 'POST', limit: 2, windowMs: 1000 }],
    });
    const first = limiter.take('POST', route, 'channel:1', 'bot', false, 10_000);
    const second = limiter.take('POST', route, 'channel:1', 'bot', false, 10_100);
    const third = limiter.take('POST', route, 'channel:1', 'bot', false, 10_400);
    const afterReset = limiter.take('POST', route, 'channel:1', 'bot', false, 11_000);

    expect(first).toMatchObject({
      allowed: true,
      headers: { 'X-RateLimit-Limit': '2', 'X-RateLimit-Remaining': '1' },
    });
    expect(second.headers).toMatchObject({
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset-After': '0.900',
      'X-RateLimit-Reset': '11.000',
    });
    expect(third).toMatchObject({
      allowed: false,
      status: 429,
      headers: {
        'Retry-After': '1',
        'X-RateLimit-Scope': 'user',
        'X-RateLimit-Bucket': bucketHash('POST', route),
      },
      body: { message: 'You are being rate limited.', retry_after: 0.6, global: false },
    });
    expect(afterReset).toMatchObject({ allowed: true, headers: { 'X-RateLimit-Remaining': '1' } });
  });

  it('keeps a separate counter per major parameter', () => {
    const limiter = new RateLimiter({
      global: false,
      routes: [{ route, limit: 1, windowMs: 1000 }],
    });
    expect(limiter.take('POST', route, 'channel:1', 'bot', false, 0).allowed).toBe(true);
    expect(limiter.take('POST', route, 'channel:2', 'bot', false, 0).allowed).toBe(true);
    expect(limiter.take('POST', route, 'channel:1', 'bot', false, 0).allowed).toBe(false);
  });

  it('applies the global limit per token but not to exempt routes', () => {
    const limiter = new RateLimiter({
      default: false,
      routes: [],
      global: { limit: 1, windowMs: 1000 },
    });
    expect(limiter.take('GET', '/users/@me', 'global', 'bot-a', false, 0).allowed).toBe(true);
    expect(limiter.take('GET', '/users/@me', 'global', 'bot-b', false, 0).allowed).toBe(true);
    expect(
      limiter.take('POST', '/interactions/:i/:t/callback', 'global', 'bot-a', true, 0).allowed,
    ).toBe(true);
    expect(limiter.take('GET', '/users/@me', 'global', 'bot-a', false, 0)).toMatchObject({
      allowed: false,
      headers: { 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
      body: { global: true },
    });
  });

  it('lets everything through when switched off', () => {
    const limiter = new RateLimiter({
      enabled: false,
      routes: [{ route, limit: 0, windowMs: 1000 }],
    });
    expect(limiter.take('POST', route, 'channel:1', 'bot', false, 0)).toEqual({
      allowed: true,
      headers: {},
    });
  });
});
