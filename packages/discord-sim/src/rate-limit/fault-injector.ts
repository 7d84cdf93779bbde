import { SimApiError } from '../http/errors.ts';
import type { JsonObject } from '../state/types.ts';

export interface FaultSpec {
  /** Route template, e.g. "/channels/:channelId/messages". */
  route: string;
  /** HTTP method; any when omitted. */
  method?: string;
  /** Status to answer with. Default 500. */
  status?: number;
  /** How many matching requests fail before the route works again. Default 1. */
  times?: number;
  /** Body to answer with. Default Discord's `{ message: "500: Internal Server Error", code: 0 }`. */
  body?: JsonObject;
}

/**
 * A flaky Discord: a share of the requests (every route, or one) answered with a 5xx or a 429, for a
 * while or until cleared. Nothing the failed requests asked for happens, as with Discord's own
 * errors before a request reaches its handler.
 */
export interface FlakySpec {
  /** Status to answer with. Default 503. A 429 looks like Discord's (`retry_after`, `Retry-After`, scope "shared"). */
  status?: number;
  /**
   * Share of the matching requests that fail, above 0 and at most 1. Default 1 (all). Deterministic:
   * with 0.25, the 4th, 8th, 12th… matching request fails.
   */
  share?: number;
  /** Route template, e.g. "/channels/:channelId/messages"; every route when omitted. */
  route?: string;
  /** HTTP method; any when omitted. */
  method?: string;
  /** How long the mode lasts, in milliseconds from now; until `clearFaults()` when omitted. */
  forMs?: number;
  /** How many matching requests pass before the failures start. Default 0. */
  skip?: number;
  /** A 429's `retry_after`, in seconds (the `Retry-After` header is it rounded up, at least 1, as Discord sends it). Default 1. */
  retryAfterSeconds?: number;
}

interface ActiveFlaky {
  readonly route: string | undefined;
  readonly method: string | undefined;
  readonly status: number;
  readonly share: number;
  readonly until: number;
  readonly retryAfterSeconds: number;
  readonly skip: number;
  seen: number;
}

interface ActiveFault {
  route: string;
  method: string | undefined;
  status: number;
  remaining: number;
  body: JsonObject;
}

/** Makes chosen routes fail N times, for retry and fault-handling tests. */
export class FaultInjector {
  #faults: ActiveFault[] = [];
  #flaky: ActiveFlaky[] = [];

  add(spec: FaultSpec): void {
    const status = spec.status ?? 500;
    this.#faults.push({
      route: spec.route,
      method: spec.method?.toUpperCase(),
      status,
      remaining: spec.times ?? 1,
      body: spec.body ?? { message: `${status}: ${statusText(status)}`, code: 0 },
    });
  }

  addFlaky(spec: FlakySpec, now = Date.now()): void {
    const share = spec.share ?? 1;
    if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
    this.#flaky.push({
      route: spec.route,
      method: spec.method?.toUpperCase(),
      status: spec.status ?? 503,
      share,
      until: spec.forMs === undefined ? Number.POSITIVE_INFINITY : now + spec.forMs,
      retryAfterSeconds: spec.retryAfterSeconds ?? 1,
      skip: spec.skip ?? 0,
      seen: 0,
    });
  }

  clear(): void {
    this.#faults = [];
    this.#flaky = [];
  }

  /** The error to answer with, consuming one failure, or null. */
  take(method: string, route: string, now = Date.now()): SimApiError | null {
    const fault = this.#faults.find(
      (f) =>
        f.route === route && (f.method === undefined || f.method === method) && f.remaining > 0,
    );
    if (!fault) return this.#takeFlaky(method, route, now);
    fault.remaining -= 1;
    this.#faults = this.#faults.filter((f) => f.remaining > 0);
    return new SimApiError(fault.status, fault.body);
  }

  #takeFlaky(method: string, route: string, now: number): SimApiError | null {
    this.#flaky = this.#flaky.filter((f) => f.until > now);
    for (const flaky of this.#flaky) {
      if (flaky.route !== undefined && flaky.route !== route) continue;
      if (flaky.method !== undefined && flaky.method !== method) continue;
      flaky.seen += 1;
      const counted = flaky.seen - flaky.skip;
      if (counted <= 0) continue;
      if (Math.floor(counted * flaky.share) > Math.floor((counted - 1) * flaky.share)) {
        return flakyError(flaky);
      }
    }
    return null;
  }
}

function flakyError(flaky: ActiveFlaky): SimApiError {
  if (flaky.status !== 429) {
    return new SimApiError(flaky.status, {
      message: `${flaky.status}: ${statusText(flaky.status)}`,
      code: 0,
    });
  }
  return new SimApiError(
    429,
    { message: 'You are being rate limited.', retry_after: flaky.retryAfterSeconds, global: false },
    {
      'Retry-After': String(Math.max(1, Math.ceil(flaky.retryAfterSeconds))),
      'X-RateLimit-Scope': 'shared',
    },
  );
}

function statusText(status: number): string {
  switch (status) {
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    case 503:
      return 'Service Unavailable';
    case 504:
      return 'Gateway Timeout';
    default:
      return 'Error';
  }
}
