// HTTP load for benchmarks: open-loop at a fixed rate (each latency measured from the request's
// scheduled send time, so a stall delays every request behind it and is not hidden: no coordinated
// omission) or closed-loop with N connections (saturation). autocannon reports whole milliseconds,
// too coarse for requests that take a fraction of one, so this is our own.
import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly latenciesMs: Float64Array;
  readonly completed: number;
  readonly errors: number;
  readonly seconds: number;
}

export interface LoadOptions {
  /** Sent with every request (a session cookie, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

function once(agent: Agent, url: URL, options: LoadOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers: options.headers }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode !== undefined && res.statusCode < 400);
      });
    });
    req.on('error', () => {
      resolve(false);
    });
    req.end();
  });
}

export async function fixedRate(
  url: URL,
  rate: number,
  seconds: number,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  const intervalNs = 1e9 / rate;
  const start = process.hrtime.bigint();
  let sent = 0;
  let completed = 0;
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const elapsed = Number(process.hrtime.bigint() - start);
      while (sent < total && sent * intervalNs <= elapsed) {
        const index = sent;
        const scheduled = start + BigInt(Math.round(index * intervalNs));
        sent += 1;
        inFlight.push(
          once(agent, url, options).then((ok) => {
            latencies[index] = Number(process.hrtime.bigint() - scheduled) / 1e6;
            if (ok) completed += 1;
            else errors += 1;
          }),
        );
      }
      if (sent >= total) resolve();
      else setImmediate(tick);
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();
  return { latenciesMs: latencies, completed, errors, seconds };
}

export async function saturate(
  url: URL,
  connections: number,
  seconds: number,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let completed = 0;
  let errors = 0;
  const deadline = process.hrtime.bigint() + BigInt(seconds * 1e9);
  const worker = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline) {
      const started = process.hrtime.bigint();
      const ok = await once(agent, url, options);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (ok) completed += 1;
      else errors += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return { latenciesMs: Float64Array.from(latencies), completed, errors, seconds };
}
