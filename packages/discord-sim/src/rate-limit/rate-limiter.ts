import { createHash } from 'node:crypto';
import type { JsonObject } from '../state/types.ts';

export interface RateLimitWindow {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RouteRateLimit extends RateLimitWindow {
  /** Route template as the simulator names it, e.g. "/channels/:channelId/messages". */
  route: string;
  /** HTTP method; any when omitted. */
  method?: string;
}

export interface RateLimitOptions {
  /** Master switch; false turns every limit off. Default true. */
  enabled?: boolean;
  /** Per-token global limit (Discord: 50 per second); false for none. */
  global?: RateLimitWindow | false;
  /** Bucket for routes without an entry in `routes`; false for none. */
  default?: RateLimitWindow | false;
  /** Per-route buckets (each major parameter — channel, guild, webhook — gets its own counter). */
  routes?: RouteRateLimit[];
}

export const defaultRateLimits: Required<RateLimitOptions> = {
  enabled: true,
  global: { limit: 50, windowMs: 1000 },
  default: { limit: 50, windowMs: 1000 },
  routes: [
    { method: 'POST', route: '/channels/:channelId/messages', limit: 5, windowMs: 5000 },
    {
      method: 'PATCH',
      route: '/channels/:channelId/messages/:messageId',
      limit: 5,
      windowMs: 5000,
    },
  ],
};

interface Counter {
  count: number;
  resetAt: number;
}

export type RateLimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; status: 429; headers: Record<string, string>; body: JsonObject };

/** Fixed-window counters per route bucket and per token, answering with Discord's headers. */
export class RateLimiter {
  #options: Required<RateLimitOptions> = structuredClone(defaultRateLimits);
  readonly #buckets = new Map<string, Counter>();
  readonly #global = new Map<string, Counter>();

  constructor(options?: RateLimitOptions) {
    if (options) this.configure(options);
  }

  get options(): Required<RateLimitOptions> {
    return structuredClone(this.#options);
  }

  /** Replaces the given parts of the configuration and forgets current counters. */
  configure(options: RateLimitOptions): void {
    this.#options = {
      enabled: options.enabled ?? this.#options.enabled,
      global: options.global ?? this.#options.global,
      default: options.default ?? this.#options.default,
      routes: options.routes ?? this.#options.routes,
    };
    this.#buckets.clear();
    this.#global.clear();
  }

  /**
   * Counts a request. `exemptFromGlobal` is for interaction callbacks, interaction webhooks and OAuth2,
   * which Discord keeps out of the global limit; they also skip the default bucket.
   */
  take(
    method: string,
    route: string,
    majorParameter: string,
    identity: string,
    exemptFromGlobal: boolean,
    now = Date.now(),
  ): RateLimitDecision {
    const options = this.#options;
    if (!options.enabled) return { allowed: true, headers: {} };

    if (options.global && !exemptFromGlobal) {
      const counter = this.#counter(this.#global, identity, options.global.windowMs, now);
      if (counter.count >= options.global.limit) {
        const retryAfter = Math.max(0, counter.resetAt - now) / 1000;
        return {
          allowed: false,
          status: 429,
          headers: {
            'Retry-After': String(Math.max(1, Math.ceil(retryAfter))),
            'X-RateLimit-Global': 'true',
            'X-RateLimit-Scope': 'global',
          },
          body: {
            message: 'You are being rate limited.',
            retry_after: Number(retryAfter.toFixed(3)),
            global: true,
          },
        };
      }
    }

    const window = this.#windowFor(method, route, exemptFromGlobal);
    let headers: Record<string, string> = {};
    if (window) {
      const hash = bucketHash(method, route);
      const counter = this.#counter(
        this.#buckets,
        `${hash}:${majorParameter}`,
        window.windowMs,
        now,
      );
      const resetAfter = Math.max(0, counter.resetAt - now) / 1000;
      headers = {
        'X-RateLimit-Limit': String(window.limit),
        'X-RateLimit-Reset': (counter.resetAt / 1000).toFixed(3),
        'X-RateLimit-Reset-After': resetAfter.toFixed(3),
        'X-RateLimit-Bucket': hash,
      };
      if (counter.count >= window.limit) {
        return {
          allowed: false,
          status: 429,
          headers: {
            ...headers,
            'X-RateLimit-Remaining': '0',
            'X-RateLimit-Scope': 'user',
            'Retry-After': String(Math.max(1, Math.ceil(resetAfter))),
          },
          body: {
            message: 'You are being rate limited.',
            retry_after: Number(resetAfter.toFixed(3)),
            global: false,
          },
        };
      }
      counter.count += 1;
      headers['X-RateLimit-Remaining'] = String(window.limit - counter.count);
    }
    if (options.global && !exemptFromGlobal) {
      const counter = this.#counter(this.#global, identity, options.global.windowMs, now);
      counter.count += 1;
    }
    return { allowed: true, headers };
  }

  #windowFor(method: string, route: string, exempt: boolean): RateLimitWindow | null {
    const specific = this.#options.routes.find(
      (r) => r.route === route && (r.method === undefined || r.method.toUpperCase() === method),
    );
    if (specific) return specific;
    // Exempt routes (interaction callbacks, OAuth2) only get a bucket when one is configured for them.
    if (exempt) return null;
    return this.#options.default || null;
  }

  #counter(map: Map<string, Counter>, key: string, windowMs: number, now: number): Counter {
    let counter = map.get(key);
    if (!counter || counter.resetAt <= now) {
      counter = { count: 0, resetAt: now + windowMs };
      map.set(key, counter);
    }
    return counter;
  }
}

/** An opaque, stable bucket id per method and route, like Discord's X-RateLimit-Bucket. */
export function bucketHash(method: string, route: string): string {
  return createHash('sha1').update(`${method} ${route}`).digest('hex').slice(0, 32);
}
