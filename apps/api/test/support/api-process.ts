// Runs src/main.ts as a child process with the real telemetry preload, as in production but from
// sources, and collects its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ApiProcess {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/** A port that was free a moment ago (the API needs its public URL before it listens). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startApiProcess(
  port: number,
  env: Record<string, string>,
): Promise<ApiProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@game-scheduler/source', '--import', '@game-scheduler/telemetry/register', MAIN],
    {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { ...process.env, API_HOST: '127.0.0.1', API_PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let all = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    all += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    all += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the API did not start:\n${all}`));
    }, 30_000);
    const check = (): void => {
      if (all.includes('"API started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with ${String(code)} before listening:\n${all}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${String(port)}`,
    child,
    output: () => all,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs the API expecting it to exit on its own (bad configuration); resolves with code and output. */
export async function runApiProcessToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@game-scheduler/source', '--import', '@game-scheduler/telemetry/register', MAIN],
    {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { ...process.env, OTEL_SDK_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}
