// A local OTLP/HTTP sink, run as its own process by startOtlpSink(): accepts every export (200,
// empty protobuf body) and counts requests and bytes per signal, so exporting costs the service
// what it would against a collector without the sink competing inside the load generator.
import { createServer } from 'node:http';

const counts: Record<string, { requests: number; bytes: number }> = {};

const server = createServer((request, response) => {
  let bytes = 0;
  request.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  request.on('end', () => {
    const entry = (counts[request.url ?? '?'] ??= { requests: 0, bytes: 0 });
    entry.requests += 1;
    entry.bytes += bytes;
    response.writeHead(200, { 'content-type': 'application/x-protobuf' });
    response.end();
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.send?.({ port: address.port });
});
process.on('message', (message) => {
  if (message === 'counts') process.send?.({ counts });
});
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
