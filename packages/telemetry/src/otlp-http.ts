// Sends one OTLP/HTTP protobuf export. Used by every exporter of ours (spans on the main thread or in
// the span worker, log lines in the log worker): node's http client on a keep-alive connection,
// which costs the event loop less per export than fetch or the SDK's exporter transport.
//
// On the main thread the batch span processor calls exporters inside a context that suppresses
// tracing, so the http client instrumentation records no span for the export itself.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 4 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 4 }),
};

function attempt(
  url: URL,
  body: Uint8Array,
  deadline: number,
): Promise<{ error?: string; retry: boolean }> {
  return new Promise((resolve) => {
    const secure = url.protocol === 'https:';
    let settled = false;
    const timer = setTimeout(
      () => {
        request.destroy(new Error('OTLP export timed out'));
      },
      Math.max(0, deadline - Date.now()),
    );
    timer.unref();
    const settle = (outcome: { error?: string; retry: boolean }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: {
          'content-type': 'application/x-protobuf',
          'content-length': body.byteLength,
        },
      },
      (response) => {
        response.resume();
        response.on('error', (error) => {
          settle({ error: error.message, retry: false });
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          settle(
            status >= 200 && status < 300
              ? { retry: false }
              : { error: `HTTP ${String(status)}`, retry: false },
          );
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the collector closed while idle: send again on a fresh one.
      settle({ error: error.message, retry: request.reusedSocket && error.code === 'ECONNRESET' });
    });
    request.end(body);
  });
}

/** POSTs an encoded export request; resolves with undefined on success or with what went wrong. */
export async function postOtlp(
  url: URL,
  body: Uint8Array,
  timeoutMillis: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMillis;
  let outcome = await attempt(url, body, deadline);
  if (outcome.retry && Date.now() < deadline) outcome = await attempt(url, body, deadline);
  return outcome.error;
}
