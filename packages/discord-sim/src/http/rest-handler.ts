import type { IncomingMessage, ServerResponse } from 'node:http';
import { findAccessToken } from '../oauth/oauth-grants.ts';
import type {
  AuthInfo,
  RestRequest,
  RestResponse,
  RestRoute,
  SimContext,
} from '../rest/context.ts';
import { parseBody, readRawBody } from './body.ts';
import { DiscordErrors, SimApiError } from './errors.ts';
import type { Router } from './router.ts';
import { simNow } from '../clock.ts';

function resolveAuth(
  header: string | undefined,
  ctx: SimContext,
): { auth: AuthInfo; identity: string } {
  if (header?.startsWith('Bot ')) {
    const token = header.slice(4);
    if (token === ctx.store.application.botToken)
      return { auth: { kind: 'bot' }, identity: `bot:${token}` };
    return { auth: { kind: 'none' }, identity: 'invalid' };
  }
  if (header?.startsWith('Bearer ')) {
    const token = findAccessToken(ctx.store, header.slice(7));
    if (token) return { auth: { kind: 'bearer', token }, identity: `bearer:${token.accessToken}` };
  }
  return { auth: { kind: 'none' }, identity: 'anonymous' };
}

function authorized(route: RestRoute, auth: AuthInfo): boolean {
  switch (route.auth) {
    case 'none':
      return true;
    case 'bot':
      return auth.kind === 'bot';
    case 'bearer':
      return auth.kind === 'bearer';
    case 'bot-or-bearer':
      return auth.kind !== 'none';
  }
}

/** The rate-limit major parameter, as Discord scopes buckets: channel, guild or webhook. */
function majorParameter(params: Record<string, string>): string {
  if (params.channelId !== undefined) return `channel:${params.channelId}`;
  if (params.guildId !== undefined) return `guild:${params.guildId}`;
  if (params.interactionToken !== undefined) return `webhook:${params.interactionToken}`;
  return 'global';
}

function send(res: ServerResponse, response: RestResponse, headers: Record<string, string>): void {
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  res.writeHead(response.status, { ...headers, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(response.body));
}

/**
 * Serves one REST (or OAuth2) request: route → auth → injected fault → rate limit → handler, then
 * records the call. `path` is the path below /api/v10.
 */
export async function handleRestRequest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  router: Router<RestRoute>,
  ctx: SimContext,
): Promise<void> {
  const time = Date.now();
  const preciseTime = simNow();
  const method = (req.method ?? 'GET').toUpperCase();
  const { auth, identity } = resolveAuth(req.headers.authorization, ctx);
  const { match, methodMismatch } = router.match(method, path);
  let body: unknown;
  let response: RestResponse;
  let rateHeaders: Record<string, string> = {};
  try {
    body = parseBody(await readRawBody(req), req.headers['content-type']);
    if (!match) {
      ctx.logger.warn({ method, path }, 'discord-sim does not simulate this route');
      throw methodMismatch ? DiscordErrors.methodNotAllowed() : DiscordErrors.notFound();
    }
    const route = match.handler;
    if (!authorized(route, auth)) throw DiscordErrors.unauthorized();
    const fault = ctx.faults.take(method, match.template);
    if (fault) throw fault;
    const exempt = route.globalExempt === true || route.auth === 'none';
    const decision = ctx.limiter.take(
      method,
      match.template,
      majorParameter(match.params),
      identity,
      exempt,
      time,
    );
    rateHeaders = decision.headers;
    if (!decision.allowed) throw new SimApiError(decision.status, decision.body, decision.headers);
    const restRequest: RestRequest = {
      method,
      path,
      route: match.template,
      params: match.params,
      query,
      headers: req.headers,
      body,
      auth,
    };
    response = await route.handle(restRequest, ctx);
  } catch (error) {
    if (error instanceof SimApiError) {
      response = { status: error.status, body: error.body, headers: error.headers };
    } else {
      ctx.logger.error({ err: error, method, path }, 'discord-sim route failed');
      response = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
    }
  }
  const headers: Record<string, string> = { ...rateHeaders, ...response.headers };
  ctx.calls.record({
    method,
    route: match?.template ?? null,
    path,
    params: match?.params ?? {},
    query: Object.fromEntries(query),
    body,
    status: response.status,
    response: response.body,
    responseHeaders: headers,
    time,
    preciseTime,
    auth: auth.kind,
  });
  send(res, response, headers);
  ctx.logger.debug({ method, path, status: response.status }, 'discord-sim request');
}
