import { DiscordErrors } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import { bodyObject, json, param } from './context.ts';
import type { RestRequest, RestRoute, SimContext } from './context.ts';
import {
  toApiChannel,
  toApiCurrentUser,
  toApiMember,
  toApiPartialGuild,
  toApiUser,
} from './serialize.ts';

/** The user behind the request: the bot for a bot token, the grant's user for a bearer token. */
function currentUserId(req: RestRequest, ctx: SimContext): string {
  return req.auth.kind === 'bearer' ? req.auth.token.userId : ctx.store.application.botUserId;
}

function requireScope(req: RestRequest, scope: string): void {
  if (req.auth.kind === 'bearer' && !req.auth.token.scopes.includes(scope)) {
    throw DiscordErrors.unauthorized();
  }
}

export function registerUserRoutes(router: Router<RestRoute>): void {
  router.add('GET', '/users/@me', {
    auth: 'bot-or-bearer',
    handle: (req, ctx) => {
      requireScope(req, 'identify');
      const user = ctx.store.users.get(currentUserId(req, ctx));
      if (!user) throw DiscordErrors.unknownUser();
      const withEmail = req.auth.kind === 'bearer' && req.auth.token.scopes.includes('email');
      return json(toApiCurrentUser(user, withEmail));
    },
  });

  router.add('GET', '/users/@me/guilds', {
    auth: 'bot-or-bearer',
    handle: (req, ctx) => {
      requireScope(req, 'guilds');
      const userId = currentUserId(req, ctx);
      const limit = Math.min(200, Math.max(1, Number(req.query.get('limit') ?? 200) || 200));
      const after = req.query.get('after');
      const guilds = ctx.store
        .userGuilds(userId)
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
        .filter((g) => after === null || BigInt(g.id) > BigInt(after))
        .slice(0, limit);
      return json(guilds.map((g) => toApiPartialGuild(ctx.store, g, userId)));
    },
  });

  router.add('GET', '/users/@me/guilds/:guildId/member', {
    auth: 'bearer',
    handle: (req, ctx) => {
      requireScope(req, 'guilds.members.read');
      const member = ctx.store.getMember(param(req, 'guildId'), currentUserId(req, ctx));
      if (!member) throw DiscordErrors.unknownGuild();
      return json(toApiMember(ctx.store, member));
    },
  });

  router.add('POST', '/users/@me/channels', {
    auth: 'bot',
    handle: (req, ctx) => {
      const recipientId = bodyObject(req).recipient_id;
      if (typeof recipientId !== 'string') {
        throw DiscordErrors.fieldError(
          'recipient_id',
          'BASE_TYPE_REQUIRED',
          'This field is required',
        );
      }
      if (!ctx.store.users.has(recipientId)) throw DiscordErrors.unknownUser();
      return json(toApiChannel(ctx.store, ctx.store.dmChannelFor(recipientId)));
    },
  });

  router.add('GET', '/users/:userId', {
    auth: 'bot',
    handle: (req, ctx) => {
      const user = ctx.store.users.get(param(req, 'userId'));
      if (!user) throw DiscordErrors.unknownUser();
      return json(toApiUser(user));
    },
  });
}
