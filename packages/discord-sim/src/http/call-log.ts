import { EventEmitter } from 'node:events';

/** One HTTP request the simulator received (REST and OAuth2; the /_sim scenario API is not recorded). */
export interface RecordedCall {
  /** 1-based order of arrival. */
  seq: number;
  method: string;
  /** Route template, e.g. "/channels/:channelId/messages"; null when no route matched. */
  route: string | null;
  /** Path below /api/v10 (or the full path for /oauth2/authorize). */
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** Response body as sent (JSON-decoded), undefined for 204s and redirects. */
  response: unknown;
  /** Headers the simulator answered with (rate-limit headers, Location, …). */
  responseHeaders: Record<string, string>;
  /** When the request arrived, ms since the Unix epoch. */
  time: number;
  /** The same instant to a fraction of a millisecond (simNow), for benchmarks timing short round trips. */
  preciseTime: number;
  /** Who called: the bot token, an OAuth2 bearer token, or nobody. */
  auth: 'bot' | 'bearer' | 'none';
}

export interface CallFilter {
  method?: string;
  route?: string;
  /** Substring or pattern the path must match. */
  path?: string | RegExp;
  status?: number;
  /** Only calls with seq greater than this. */
  afterSeq?: number;
}

export type CallPredicate = (call: RecordedCall) => boolean;

export function callMatches(call: RecordedCall, filter: CallFilter | CallPredicate): boolean {
  if (typeof filter === 'function') return filter(call);
  if (filter.method !== undefined && call.method !== filter.method.toUpperCase()) return false;
  if (filter.route !== undefined && call.route !== filter.route) return false;
  if (filter.status !== undefined && call.status !== filter.status) return false;
  if (filter.afterSeq !== undefined && call.seq <= filter.afterSeq) return false;
  if (filter.path !== undefined) {
    if (
      typeof filter.path === 'string'
        ? !call.path.includes(filter.path)
        : !filter.path.test(call.path)
    )
      return false;
  }
  return true;
}

/** Keeps recorded calls in order (the newest `limit`) and announces each one ('call' event). */
export class CallLog extends EventEmitter {
  #calls: RecordedCall[] = [];
  #seq = 0;
  readonly #limit: number;

  constructor(limit = 100_000) {
    super();
    this.setMaxListeners(0);
    this.#limit = limit;
  }

  record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    this.#seq += 1;
    const recorded: RecordedCall = { ...call, seq: this.#seq };
    this.#calls.push(recorded);
    if (this.#calls.length > this.#limit) this.#calls.splice(0, this.#calls.length - this.#limit);
    this.emit('call', recorded);
    return recorded;
  }

  list(filter?: CallFilter | CallPredicate): RecordedCall[] {
    return filter ? this.#calls.filter((c) => callMatches(c, filter)) : [...this.#calls];
  }

  get lastSeq(): number {
    return this.#seq;
  }

  clear(): void {
    this.#calls = [];
  }
}
