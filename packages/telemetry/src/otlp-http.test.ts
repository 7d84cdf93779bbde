import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postOtlp } from './otlp-http.ts';

const servers: Server[] = [];

async function serve(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}/v1/traces`);
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('postOtlp', () => {
  it('sends the body as protobuf and resolves with nothing on a 2xx', async () => {
    const received: { type: string | undefined; body: Buffer }[] = [];
    const url = await serve((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ type: request.headers['content-type'], body: Buffer.concat(chunks) });
        response.end();
      });
    });
    expect(await postOtlp(url, new Uint8Array([1, 2, 3]), 2_000)).toBeUndefined();
    expect(received).toEqual([{ type: 'application/x-protobuf', body: Buffer.from([1, 2, 3]) }]);
  });

  it('says what went wrong: an HTTP error, a refused connection, a collector that never answers', async () => {
    const failing = await serve((_request, response) => {
      response.statusCode = 503;
      response.end();
    });
    expect(await postOtlp(failing, new Uint8Array([1]), 2_000)).toBe('HTTP 503');

    expect(
      await postOtlp(new URL('http://127.0.0.1:1/v1/traces'), new Uint8Array([1]), 2_000),
    ).toMatch(/ECONNREFUSED/);

    const silent = await serve(() => {
      // never answers
    });
    const started = Date.now();
    expect(await postOtlp(silent, new Uint8Array([1]), 300)).toBe('OTLP export timed out');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('sends again on a fresh connection when the collector dropped the kept-alive one', async () => {
    const served = new Set<unknown>();
    let answered = 0;
    let dropped = 0;
    const url = await serve((request, response) => {
      // a collector that closes a connection once it has served one export (as one that restarted
      // or timed the idle connection out does, without the client having noticed yet)
      if (served.has(request.socket)) {
        dropped += 1;
        request.socket.destroy();
        return;
      }
      served.add(request.socket);
      request.resume();
      request.on('end', () => {
        answered += 1;
        response.end();
      });
    });
    expect(await postOtlp(url, new Uint8Array([1]), 2_000)).toBeUndefined();
    expect(await postOtlp(url, new Uint8Array([2]), 2_000)).toBeUndefined();
    expect({ answered, dropped }).toEqual({ answered: 2, dropped: 1 });
  });
});
