// Decorates the instance with the dependencies and the services built from them, so routes reach
// them as `app.deps`, `app.sessions`, `app.guildAccess`, `app.games`, `app.guilds`, `app.templates`.
import {
  createGameService,
  createGuildService,
  createTemplateService,
  type GameService,
  type GuildService,
  type TemplateService,
} from '@game-scheduler/games';
import fp from 'fastify-plugin';
import type { AppDeps } from '../app-deps.ts';
import { createGuildAccess, type GuildAccess } from '../auth/guild-access.ts';
import { createOAuthStateStore, type OAuthStateStore } from '../auth/oauth-state.ts';
import { createSessionStore, type SessionStore } from '../auth/session-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    sessionStore: SessionStore;
    oauthStates: OAuthStateStore;
    guildAccess: GuildAccess;
    games: GameService;
    guilds: GuildService;
    templates: TemplateService;
  }
}

export const depsPlugin = fp<{ deps: AppDeps }>(
  (app, { deps }) => {
    const prefix = deps.settings.redisKeyPrefix;
    const guildAccess = createGuildAccess(deps.redis, deps.discord, {
      prefix,
      ttlSeconds: deps.settings.guildCacheTtlSeconds,
    });
    app.decorate('deps', deps);
    app.decorate(
      'sessionStore',
      createSessionStore(deps.redis, { prefix, ttlSeconds: deps.settings.sessionTtlSeconds }),
    );
    app.decorate('oauthStates', createOAuthStateStore(deps.redis, prefix));
    app.decorate('guildAccess', guildAccess);
    app.decorate(
      'games',
      createGameService({
        prisma: deps.prisma,
        directory: guildAccess,
        guildAccess,
        source: 'api',
      }),
    );
    const guildDeps = { prisma: deps.prisma, guildAccess, directory: guildAccess };
    app.decorate('guilds', createGuildService(guildDeps));
    app.decorate('templates', createTemplateService(guildDeps));
  },
  { name: 'deps' },
);
