// One of our services as a real process, started the way `npm run dev` starts it: from its sources,
// with the telemetry preload (`--import @game-scheduler/telemetry/register`).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export type ServiceName = 'api' | 'notification-daemon' | 'status-transition-daemon';

/** The log message each service writes once it is serving. */
const STARTED: Record<ServiceName, string> = {
  api: 'API started',
  'notification-daemon': 'Notification daemon started',
  'status-transition-daemon': 'Status-transition daemon started',
};

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly child: ChildProcess;
  /** Everything it wrote so far (pino JSON lines). */
  output(): string;
  /** SIGTERM, then resolves with the exit code once it has exited. */
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

export async function startService(
  name: ServiceName,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@game-scheduler/source',
      '--import',
      '@game-scheduler/telemetry/register',
      'src/main.ts',
    ],
    {
      cwd: fileURLToPath(new URL(`../../../../apps/${name}/`, import.meta.url)),
      env: { PATH: process.env.PATH ?? '', OTEL_SERVICE_NAME: name, ...env },
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
      reject(new Error(`${name} did not start:\n${all}`));
    }, 60_000);
    const check = (): void => {
      if (all.includes(`"msg":"${STARTED[name]}"`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${String(code)} before it started:\n${all}`));
    });
  });
  return {
    name,
    child,
    output: () => all,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
