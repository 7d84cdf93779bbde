import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('the traffic generator configuration', () => {
  it('defaults to the compose services and a round every five seconds', () => {
    expect(loadConfig({})).toMatchObject({
      apiUrl: 'http://api:3000',
      simUrl: 'http://discord-sim:4100',
      intervalMs: 5000,
      logLevel: 'info',
    });
  });

  it('takes the URLs without a trailing slash, and empty values as unset', () => {
    expect(
      loadConfig({
        TRAFFIC_API_URL: 'http://127.0.0.1:3000/',
        TRAFFIC_DISCORD_SIM_URL: 'http://127.0.0.1:4100',
        TRAFFIC_INTERVAL_MS: '',
      }),
    ).toMatchObject({
      apiUrl: 'http://127.0.0.1:3000',
      simUrl: 'http://127.0.0.1:4100',
      intervalMs: 5000,
    });
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ TRAFFIC_API_URL: 'ftp://x', TRAFFIC_INTERVAL_MS: '-1' })).toThrow(
      /TRAFFIC_API_URL.*TRAFFIC_INTERVAL_MS|TRAFFIC_INTERVAL_MS.*TRAFFIC_API_URL/,
    );
  });
});
