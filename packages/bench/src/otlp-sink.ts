// Starts the OTLP sink process (otlp-sink-process.ts) and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SinkCounts {
  readonly [path: string]: { readonly requests: number; readonly bytes: number };
}

export interface OtlpSink {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  counts(): Promise<SinkCounts>;
  stop(): Promise<void>;
}

export async function receive<T>(child: ChildProcess, key: string): Promise<T> {
  for (;;) {
    const [received] = (await once(child, 'message')) as [Record<string, unknown>];
    if (key in received) return received[key] as T;
  }
}

export async function startOtlpSink(): Promise<OtlpSink> {
  const own = fileURLToPath(import.meta.url);
  const child = fork(
    fileURLToPath(new URL(`./otlp-sink-process${extname(own)}`, import.meta.url)),
    [],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const port = await receive<number>(child, 'port');
  return {
    url: `http://127.0.0.1:${String(port)}`,
    counts: async () => {
      child.send('counts');
      return receive<SinkCounts>(child, 'counts');
    },
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** "/v1/traces 62 requests, 1.5 MB; /v1/logs 1 requests, 0.0 MB": what the sink received. */
export function describeSinkCounts(counts: SinkCounts): string {
  return Object.entries(counts)
    .map(
      ([signal, c]) =>
        `${signal} ${String(c.requests)} requests, ${(c.bytes / 2 ** 20).toFixed(1)} MB`,
    )
    .join('; ');
}
