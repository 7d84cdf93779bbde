import { describe, expect, it } from 'vitest';
import { Router } from './router.ts';

describe('Router', () => {
  const router = new Router<string>()
    .add('GET', '/users/@me', 'me')
    .add('GET', '/users/:userId', 'user')
    .add('PATCH', '/webhooks/:applicationId/:token/messages/:messageId', 'edit');

  it('prefers a literal segment registered first and extracts parameters', () => {
    expect(router.match('GET', '/users/@me').match?.handler).toBe('me');
    expect(router.match('GET', '/users/42').match).toMatchObject({
      handler: 'user',
      params: { userId: '42' },
    });
    expect(router.match('PATCH', '/webhooks/1/abc/messages/@original').match?.params).toEqual({
      applicationId: '1',
      token: 'abc',
      messageId: '@original',
    });
  });

  it('tells an unknown path from a known path with another method', () => {
    expect(router.match('GET', '/nope')).toEqual({ match: null, methodMismatch: false });
    expect(router.match('DELETE', '/users/42')).toEqual({ match: null, methodMismatch: true });
  });
});
