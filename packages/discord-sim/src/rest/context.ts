import type { IncomingHttpHeaders } from 'node:http';
import type { CallLog } from '../http/call-log.ts';
import type { SimLogger } from '../logger.ts';
import type { FaultInjector } from '../rate-limit/fault-injector.ts';
import type { RateLimiter } from '../rate-limit/rate-limiter.ts';
import type { SimStore } from '../state/store.ts';
import type { JsonObject, SimOAuthToken } from '../state/types.ts';

/** Sends a dispatch (op 0) to every gateway session whose intents include `intent` (if given). */
export type GatewayDispatch = (event: string, data: JsonObject, intent?: number) => void;

export interface SimContext {
  store: SimStore;
  calls: CallLog;
  limiter: RateLimiter;
  faults: FaultInjector;
  logger: SimLogger;
  dispatch: GatewayDispatch;
  /** http://host:port of the running server. */
  baseUrl: () => string;
  /** The gateway's ws:// URL, using the Host the client reached us by when given. */
  gatewayUrl: (host?: string) => string;
  /** Milliseconds an interaction may wait for its initial callback (Discord: 3000); null: forever. */
  interactionDeadlineMs: number | null;
}

export type AuthInfo =
  { kind: 'bot' } | { kind: 'bearer'; token: SimOAuthToken } | { kind: 'none' };

export interface RestRequest {
  method: string;
  path: string;
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  auth: AuthInfo;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestRoute {
  /** Who may call: the bot token, an OAuth2 bearer token, either, or anyone. */
  auth: 'bot' | 'bearer' | 'bot-or-bearer' | 'none';
  /** Kept out of the global rate limit (interaction callbacks and interaction webhooks). */
  globalExempt?: boolean;
  handle: (req: RestRequest, ctx: SimContext) => RestResponse | Promise<RestResponse>;
}

export function json(body: unknown, status = 200): RestResponse {
  return { status, body };
}

export function noContent(): RestResponse {
  return { status: 204 };
}

/** The request body as an object (Discord rejects non-object JSON bodies for these routes). */
export function bodyObject(req: RestRequest): JsonObject {
  const body = req.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as JsonObject;
  return {};
}

export function param(req: RestRequest, name: string): string {
  const value = req.params[name];
  if (value === undefined) throw new Error(`Route parameter ${name} is missing`);
  return value;
}
