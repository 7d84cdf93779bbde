import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RestRoute, SimContext } from '../rest/context.ts';
import { handleRestRequest } from './rest-handler.ts';
import type { Router } from './router.ts';

export interface DispatchTargets {
  router: Router<RestRoute>;
  ctx: SimContext;
  /** Serves /_sim/*; `path` is the part after /_sim. */
  scenario: (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ) => Promise<void>;
  /** Takes over a WebSocket upgrade for the gateway. */
  gateway: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

const API_PREFIX = /^\/api(?:\/v\d+)?(\/.*)$/;

/** Routes each request by path: /_sim → scenario API, /api[/vN] and /oauth2/authorize → REST. */
export function createRequestDispatcher(targets: DispatchTargets) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/_sim' || path.startsWith('/_sim/')) {
      await targets.scenario(req, res, path.slice('/_sim'.length) || '/', url.searchParams);
      return;
    }
    const api = API_PREFIX.exec(path)?.[1];
    if (api !== undefined || path === '/oauth2/authorize') {
      await handleRestRequest(req, res, api ?? path, url.searchParams, targets.router, targets.ctx);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: '404: Not Found', code: 0 }));
  };
}

/** Accepts gateway upgrades on / and /gateway; anything else is refused. */
export function createUpgradeDispatcher(targets: DispatchTargets) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/' || path === '/gateway' || path === '/gateway/')
      targets.gateway(req, socket, head);
    else socket.destroy();
  };
}
