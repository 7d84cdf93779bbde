import { DiscordErrors } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import type { SimGuild } from '../state/types.ts';
import { json, param } from './context.ts';
import type { RestRequest, RestRoute, SimContext } from './context.ts';
import { toApiChannel, toApiGuild, toApiMember, toApiRole } from './serialize.ts';

/** A guild the bot is in (Discord answers Unknown Guild otherwise). */
export function requireGuild(ctx: SimContext, req: RestRequest): SimGuild {
  const guild = ctx.store.guilds.get(param(req, 'guildId'));
  if (!guild) throw DiscordErrors.unknownGuild();
  if (!ctx.store.getMember(guild.id, ctx.store.application.botUserId))
    throw DiscordErrors.missingAccess();
  return guild;
}

export function registerGuildRoutes(router: Router<RestRoute>): void {
  router.add('GET', '/guilds/:guildId', {
    auth: 'bot',
    handle: (req, ctx) =>
      json(toApiGuild(ctx.store, requireGuild(ctx, req), req.query.get('with_counts') === 'true')),
  });

  router.add('GET', '/guilds/:guildId/channels', {
    auth: 'bot',
    handle: (req, ctx) =>
      json(
        ctx.store.guildChannels(requireGuild(ctx, req).id).map((c) => toApiChannel(ctx.store, c)),
      ),
  });

  router.add('GET', '/guilds/:guildId/roles', {
    auth: 'bot',
    handle: (req, ctx) => json(ctx.store.guildRoles(requireGuild(ctx, req).id).map(toApiRole)),
  });

  router.add('GET', '/guilds/:guildId/roles/:roleId', {
    auth: 'bot',
    handle: (req, ctx) => {
      const guild = requireGuild(ctx, req);
      const role = ctx.store.roles.get(param(req, 'roleId'));
      if (role?.guildId !== guild.id) throw DiscordErrors.unknownRole();
      return json(toApiRole(role));
    },
  });

  router.add('GET', '/guilds/:guildId/members', {
    auth: 'bot',
    handle: (req, ctx) => {
      const guild = requireGuild(ctx, req);
      const limit = Math.min(1000, Math.max(1, Number(req.query.get('limit') ?? 1) || 1));
      const after = BigInt(req.query.get('after') ?? '0');
      const members = ctx.store
        .guildMembers(guild.id)
        .filter((m) => BigInt(m.userId) > after)
        .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
        .slice(0, limit);
      return json(members.map((m) => toApiMember(ctx.store, m)));
    },
  });

  router.add('GET', '/guilds/:guildId/members/:userId', {
    auth: 'bot',
    handle: (req, ctx) => {
      const guild = requireGuild(ctx, req);
      const member = ctx.store.getMember(guild.id, param(req, 'userId'));
      if (!member) throw DiscordErrors.unknownMember();
      return json(toApiMember(ctx.store, member));
    },
  });
}
