import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscordSim } from '../discord-sim.ts';
import { parseBody, readRawBody } from '../http/body.ts';
import type { CallFilter } from '../http/call-log.ts';
import { Router } from '../http/router.ts';
import type { FaultSpec } from '../rate-limit/fault-injector.ts';
import type { RateLimitOptions } from '../rate-limit/rate-limiter.ts';
import type { JsonObject } from '../state/types.ts';
import type {
  ChannelInput,
  GuildInput,
  MemberInput,
  RoleInput,
  ScenarioDefinition,
  UserInput,
} from './declarations.ts';
import type { ButtonClickInput, SlashCommandInput } from './interactions.ts';

interface ScenarioRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

type ScenarioHandler = (req: ScenarioRequest, sim: DiscordSim) => unknown;

function p(req: ScenarioRequest, name: string): string {
  return req.params[name] ?? '';
}

function body(req: ScenarioRequest): unknown {
  return req.body ?? {};
}

function timeoutOf(req: ScenarioRequest): number | undefined {
  const fromQuery = req.query.get('timeoutMs');
  if (fromQuery !== null) return Number(fromQuery);
  const value = (req.body as { timeoutMs?: unknown } | undefined)?.timeoutMs;
  return typeof value === 'number' ? value : undefined;
}

function callFilterFrom(query: URLSearchParams): CallFilter {
  const filter: CallFilter = {};
  const method = query.get('method');
  const route = query.get('route');
  const path = query.get('path');
  const status = query.get('status');
  const afterSeq = query.get('afterSeq');
  if (method !== null) filter.method = method;
  if (route !== null) filter.route = route;
  if (path !== null) filter.path = path;
  if (status !== null) filter.status = Number(status);
  if (afterSeq !== null) filter.afterSeq = Number(afterSeq);
  return filter;
}

/** The scenario API over HTTP (under /_sim), mirroring DiscordSim's methods for other processes. */
const router = new Router<ScenarioHandler>()
  .add('GET', '/health', (_req, sim) => ({
    ok: true,
    url: sim.url,
    gatewayConnections: sim.gatewayConnectionCount,
  }))
  .add('GET', '/application', (_req, sim) => sim.application)
  .add('GET', '/state', (_req, sim) => sim.snapshot())
  .add('POST', '/scenario', (req, sim) => sim.loadScenario(body(req) as ScenarioDefinition))
  .add('POST', '/users', (req, sim) => ({ id: sim.addUser(body(req) as UserInput) }))
  .add('PATCH', '/users/:userId', (req, sim) => {
    const { dmsClosed } = body(req) as { dmsClosed?: boolean };
    if (typeof dmsClosed === 'boolean') sim.setDmsClosed(p(req, 'userId'), dmsClosed);
    return { id: p(req, 'userId') };
  })
  .add('GET', '/users/:userId/dms', (req, sim) => sim.dms(p(req, 'userId')))
  .add('POST', '/guilds', (req, sim) => sim.addGuild(body(req) as GuildInput))
  .add('POST', '/guilds/:guildId/channels', (req, sim) => ({
    id: sim.addChannel(p(req, 'guildId'), body(req) as ChannelInput),
  }))
  .add('POST', '/guilds/:guildId/roles', (req, sim) => ({
    id: sim.addRole(p(req, 'guildId'), body(req) as RoleInput),
  }))
  .add('POST', '/guilds/:guildId/members', (req, sim) => ({
    userId: sim.addMember(p(req, 'guildId'), body(req) as MemberInput),
  }))
  .add('PUT', '/oauth/user', (req, sim) => {
    const { userId } = body(req) as { userId?: string | null };
    sim.setOAuthUser(userId ?? null);
    return { userId: userId ?? null };
  })
  .add('POST', '/interactions/slash-command', (req, sim) =>
    sim.runSlashCommand(body(req) as SlashCommandInput),
  )
  .add('POST', '/interactions/button', (req, sim) => sim.clickButton(body(req) as ButtonClickInput))
  .add('GET', '/interactions/:interactionId', (req, sim) => {
    const interaction = sim.interaction(p(req, 'interactionId'));
    if (!interaction) throw new NotFound(`unknown interaction ${p(req, 'interactionId')}`);
    return { ...interaction, original: sim.originalResponse(interaction.id) ?? null };
  })
  .add('GET', '/interactions/:interactionId/response', async (req, sim) => {
    const interaction = await sim.waitForInteractionResponse(p(req, 'interactionId'), {
      timeoutMs: timeoutOf(req),
    });
    return { ...interaction, original: sim.originalResponse(interaction.id) ?? null };
  })
  .add('GET', '/calls', (req, sim) => sim.calls(callFilterFrom(req.query)))
  .add('POST', '/clear-activity', (_req, sim) => {
    sim.clearActivity();
    return { cleared: true };
  })
  .add('DELETE', '/calls', (_req, sim) => {
    sim.clearCalls();
    return { cleared: true };
  })
  .add('POST', '/calls/wait', (req, sim) => {
    const { filter } = body(req) as { filter?: CallFilter };
    return sim.waitForCall(filter ?? {}, { timeoutMs: timeoutOf(req) });
  })
  .add('GET', '/channels/:channelId/messages', (req, sim) => sim.messages(p(req, 'channelId')))
  .add('GET', '/messages/:messageId', (req, sim) => {
    const message = sim.message(p(req, 'messageId'));
    if (!message) throw new NotFound(`unknown message ${p(req, 'messageId')}`);
    return message;
  })
  .add('GET', '/commands', (req, sim) => sim.commands(req.query.get('guildId') ?? undefined))
  .add('GET', '/rate-limits', (_req, sim) => sim.rateLimits)
  .add('PUT', '/rate-limits', (req, sim) => {
    sim.setRateLimits(body(req) as RateLimitOptions);
    return sim.rateLimits;
  })
  .add('POST', '/faults', (req, sim) => {
    sim.failRoute(body(req) as FaultSpec);
    return { added: true };
  })
  .add('DELETE', '/faults', (_req, sim) => {
    sim.clearFaults();
    return { cleared: true };
  })
  .add('POST', '/gateway/reconnect', (_req, sim) => {
    sim.requestGatewayReconnect();
    return { requested: true };
  })
  .add('POST', '/gateway/drop', (req, sim) => {
    const { code } = body(req) as { code?: number };
    sim.dropGatewayConnections(code);
    return { dropped: true };
  })
  .add('GET', '/gateway/log', (_req, sim) => sim.gatewayLog())
  .add('GET', '/gateway/wait', async (req, sim) => {
    await sim.waitForGateway(Number(req.query.get('count') ?? 1), { timeoutMs: timeoutOf(req) });
    return { gatewayConnections: sim.gatewayConnectionCount };
  });

class NotFound extends Error {}

function write(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(payload ?? null));
}

export async function handleScenarioRequest(
  sim: DiscordSim,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const { match, methodMismatch } = router.match(req.method ?? 'GET', path);
  if (!match) {
    write(res, methodMismatch ? 405 : 404, {
      error: `no scenario endpoint ${req.method ?? 'GET'} /_sim${path}`,
    });
    return;
  }
  try {
    const parsed = parseBody(
      await readRawBody(req),
      req.headers['content-type'] ?? 'application/json',
    );
    const result = await match.handler({ params: match.params, query, body: parsed }, sim);
    write(res, 200, result);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const status = error instanceof NotFound ? 404 : message.includes('timed out') ? 408 : 400;
    write(res, status, { error: message } satisfies JsonObject);
  }
}
