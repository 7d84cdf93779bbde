// The traffic generator only makes demo traffic when the API logs users in through the local
// Discord's application; with a real Discord configured it stays idle.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrafficGenerator } from '../src/traffic.ts';

const silent = { info: () => undefined, warn: () => undefined, debug: () => undefined };
let apiClientId = '1300000000000000001';
const servers: Server[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
}

let apiUrl = '';
let simUrl = '';

beforeAll(async () => {
  // The API's login redirects to the authorize page of the application it is configured with.
  apiUrl = await listen((_request, response) => {
    response
      .writeHead(302, {
        location: `http://localhost:4100/oauth2/authorize?response_type=code&client_id=${apiClientId}&scope=identify`,
      })
      .end();
  });
  simUrl = await listen((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: '1300000000000000001', clientId: '1300000000000000001' }));
  });
});

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

describe('the traffic generator', () => {
  it('makes traffic when the API uses the local Discord’s application', async () => {
    apiClientId = '1300000000000000001';
    const traffic = createTrafficGenerator({ apiUrl, simUrl, logger: silent });
    expect(await traffic.usesLocalDiscord()).toBe(true);
  });

  it('stays idle when the API uses a real Discord application', async () => {
    apiClientId = '987654321098765432';
    const traffic = createTrafficGenerator({ apiUrl, simUrl, logger: silent });
    expect(await traffic.usesLocalDiscord()).toBe(false);
  });
});
