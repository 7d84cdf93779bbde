import { Router } from '../http/router.ts';
import { registerOAuthRoutes } from '../oauth/oauth-routes.ts';
import { registerChannelRoutes } from './channel-routes.ts';
import { registerCommandRoutes } from './command-routes.ts';
import type { RestRoute } from './context.ts';
import { registerGatewayRoutes } from './gateway-routes.ts';
import { registerGuildRoutes } from './guild-routes.ts';
import { registerInteractionRoutes } from './interaction-routes.ts';
import { registerUserRoutes } from './user-routes.ts';

/** Every REST v10 route the simulator serves (paths below /api/v10). */
export function createRestRouter(): Router<RestRoute> {
  const router = new Router<RestRoute>();
  registerGatewayRoutes(router);
  registerUserRoutes(router);
  registerGuildRoutes(router);
  registerChannelRoutes(router);
  registerCommandRoutes(router);
  registerInteractionRoutes(router);
  registerOAuthRoutes(router);
  return router;
}
