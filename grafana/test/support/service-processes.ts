// Starts the real services as processes, exactly as their containers do but from sources:
// `node --conditions=@game-scheduler/source --import @game-scheduler/telemetry/register src/main.ts`.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { paths } from '../../src/index.ts';

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startServiceProcess(
  app: string,
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
      cwd: join(paths.packageRoot, '..', 'apps', app),
      env: { PATH: process.env.PATH ?? '', OTEL_SERVICE_NAME: app, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let all = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (all += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (all += chunk));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${app} did not start within 90 s:\n${all}`));
    }, 90_000);
    const check = (): void => {
      if (/"msg":"[^"]* started"/i.test(all)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${app} exited before it started:\n${all}`));
    });
  });
  return {
    name: app,
    child,
    output: () => all,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Runs a one-shot script of an app (e.g. the bot's deploy-commands) to its exit. */
export async function runToExit(
  app: string,
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@game-scheduler/source',
      '--import',
      '@game-scheduler/telemetry/register',
      script,
    ],
    {
      cwd: join(paths.packageRoot, '..', 'apps', app),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let all = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (all += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (all += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output: all };
}
