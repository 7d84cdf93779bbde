import type { Router } from '../http/router.ts';
import { json } from './context.ts';
import type { RestRoute } from './context.ts';

export function registerGatewayRoutes(router: Router<RestRoute>): void {
  router.add('GET', '/gateway', {
    auth: 'none',
    handle: (req, ctx) => json({ url: ctx.gatewayUrl(req.headers.host) }),
  });

  router.add('GET', '/gateway/bot', {
    auth: 'bot',
    handle: (req, ctx) =>
      json({
        url: ctx.gatewayUrl(req.headers.host),
        shards: 1,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 86_400_000,
          max_concurrency: 1,
        },
      }),
  });
}
