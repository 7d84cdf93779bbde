// Sign in with Discord (OAuth2 authorization-code flow), and sign out.
import { DomainError } from '@game-scheduler/domain';
import type { FastifyPluginCallback } from 'fastify';
import { errorResponses } from '../http/schemas.ts';

const SCOPES = 'identify guilds';

/** Only same-site paths are followed after login (no open redirect). */
function safeReturnTo(value: string | undefined): string {
  if (
    value === undefined ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.includes('\\')
  ) {
    return '/';
  }
  return value;
}

export const authRoutes: FastifyPluginCallback = (app, _options, done) => {
  const { settings, discord, prisma } = app.deps;
  const redirectUri = `${settings.publicUrl}/api/v1/auth/callback`;

  app.get<{ Querystring: { returnTo?: string } }>(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start signing in with Discord (redirects to Discord)',
        querystring: {
          type: 'object',
          properties: { returnTo: { type: 'string', maxLength: 2000 } },
          additionalProperties: false,
        },
        response: { 302: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const state = await app.oauthStates.issue(safeReturnTo(request.query.returnTo));
      const url = new URL(settings.discord.authorizeUrl);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: settings.discord.clientId,
        redirect_uri: redirectUri,
        scope: SCOPES,
        state,
        prompt: 'none',
      }).toString();
      return reply.redirect(url.toString(), 302);
    },
  );

  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>(
    '/auth/callback',
    {
      schema: {
        tags: ['auth'],
        summary: 'Discord redirects here with the authorization code',
        querystring: {
          type: 'object',
          required: ['state'],
          properties: {
            code: { type: 'string', minLength: 1, maxLength: 512 },
            state: { type: 'string', minLength: 1, maxLength: 256 },
            error: { type: 'string', maxLength: 200 },
          },
        },
        response: { 302: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { code, state, error } = request.query;
      const returnTo = await app.oauthStates.consume(state ?? '');
      if (returnTo === null) {
        throw new DomainError('VALIDATION', 'state is unknown, used or expired; sign in again', {
          details: { field: 'state' },
        });
      }
      if (error !== undefined) {
        throw new DomainError('UNAUTHENTICATED', 'Discord sign-in was not granted');
      }
      if (code === undefined) {
        throw new DomainError('VALIDATION', 'code is required', { details: { field: 'code' } });
      }
      const tokens = await discord.exchangeCode(code, redirectUri);
      const user = await discord.currentUser(tokens.accessToken);
      await prisma.user.upsert({
        where: { id: user.id },
        create: {
          id: user.id,
          username: user.username,
          globalName: user.globalName,
          avatar: user.avatar,
        },
        update: { username: user.username, globalName: user.globalName, avatar: user.avatar },
      });
      await app.sessions.start(reply, {
        userId: user.id,
        username: user.username,
        globalName: user.globalName,
        avatar: user.avatar,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
      });
      return reply.redirect(returnTo, 302);
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends the session)',
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await app.sessions.end(request, reply);
      return reply.code(204).send();
    },
  );
  done();
};
