// Cookie parsing and serialising (the session cookie).
import cookie from '@fastify/cookie';
import fp from 'fastify-plugin';

export const cookiesPlugin = fp(
  async (app) => {
    await app.register(cookie);
  },
  { name: 'cookies' },
);
