import { describe, expect, it } from 'vitest';
import { restRouteTemplate } from './rest-route.ts';

describe('restRouteTemplate', () => {
  it('replaces channel and message ids with named placeholders', () => {
    expect(restRouteTemplate('/channels/1300000000000000402/messages/1300000000000009999')).toBe(
      '/channels/:channel_id/messages/:message_id',
    );
  });

  it('hides the interaction token as well as its id', () => {
    expect(
      restRouteTemplate('/interactions/1300000000000000777/aW50ZXJhY3Rpb246:abc/callback'),
    ).toBe('/interactions/:interaction_id/:interaction_token/callback');
  });

  it('keeps @me and @original, which are names rather than ids', () => {
    expect(restRouteTemplate('/users/@me/channels')).toBe('/users/@me/channels');
    expect(restRouteTemplate('/webhooks/1300000000000000001/tok.en/messages/@original')).toBe(
      '/webhooks/:webhook_id/:webhook_token/messages/@original',
    );
  });

  it('reads a percent-encoded @original as discord.js sends it', () => {
    expect(restRouteTemplate('/webhooks/1300000000000000001/tok.en/messages/%40original')).toBe(
      '/webhooks/:webhook_id/:webhook_token/messages/@original',
    );
  });

  it('drops the query string', () => {
    expect(restRouteTemplate('/guilds/1300000000000000201/members?limit=10')).toBe(
      '/guilds/:guild_id/members',
    );
  });
});
