// Sessions: an httpOnly, SameSite=Lax cookie (Secure outside development) naming a record in Redis.
// `app.sessions.require(request)` gives the signed-in user (401 otherwise); `accessToken` refreshes
// the Discord access token when it has expired, once across requests and replicas (token-refresh.ts).
import { DomainError } from '@game-scheduler/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Session, SessionRecord } from '../auth/session-store.ts';
import { createTokenRefresher } from '../auth/token-refresh.ts';

export const SESSION_COOKIE = 'gs_session';

export interface Sessions {
  current(request: FastifyRequest): Promise<Session | null>;
  require(request: FastifyRequest): Promise<Session>;
  /** A valid Discord access token for the session, refreshed (and saved) when expired. */
  accessToken(session: Session): Promise<string>;
  start(reply: FastifyReply, record: SessionRecord): Promise<void>;
  end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Sessions;
  }
}

export const sessionsPlugin = fp(
  (app) => {
    const { settings, discord } = app.deps;
    const store = app.sessionStore;
    const refresher = createTokenRefresher({
      redis: app.deps.redis,
      store,
      discord,
      prefix: settings.redisKeyPrefix,
    });
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: settings.environment !== 'development' && settings.environment !== 'test',
    };

    const sessions: Sessions = {
      async current(request) {
        const id = request.cookies[SESSION_COOKIE];
        if (id === undefined || id === '') return null;
        return store.get(id);
      },
      async require(request) {
        const session = await sessions.current(request);
        if (session === null) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
        return session;
      },
      accessToken: (session) => refresher.accessToken(session),
      async start(reply, record) {
        const id = await store.create(record);
        void reply.setCookie(SESSION_COOKIE, id, {
          ...cookieOptions,
          maxAge: settings.sessionTtlSeconds,
        });
      },
      async end(request, reply) {
        const id = request.cookies[SESSION_COOKIE];
        if (id !== undefined && id !== '') await store.destroy(id);
        void reply.clearCookie(SESSION_COOKIE, cookieOptions);
      },
    };
    app.decorate('sessions', sessions);
  },
  { name: 'sessions', dependencies: ['deps', 'cookies'] },
);
