// One of our entry points as a real child process, started the way `npm run dev` starts it: from its
// sources (`--conditions=@game-scheduler/source`), with the telemetry preload
// (`--import @game-scheduler/telemetry/register`) unless told otherwise. Tests, benchmarks and the
// end-to-end suite all start services through this.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface ServiceProcessOptions {
  /** The folder the entry runs in (an app's root: see appDirectory). */
  readonly cwd: string;
  /** The entry, relative to `cwd`; default `src/main.ts`. */
  readonly entry?: string;
  /** Preload the telemetry (default true). */
  readonly preload?: boolean;
  /**
   * The child's environment. Only PATH is passed on from the test process, so a variable a test
   * does not set is really unset (CI exports DATABASE_URL, for one), unless `inheritEnv` is true.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly inheritEnv?: boolean;
}

export interface ProcessRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they arrived. */
  readonly output: string;
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far, as they arrived. */
  readonly output: () => string;
  readonly stdout: () => string;
  readonly exited: Promise<ProcessRun>;
  /**
   * Resolves with the first match of `pattern` in stdout (a string matches a pino line whose msg
   * is exactly it); rejects when the process exits first or after `timeoutMs`.
   */
  readonly waitForOutput: (
    pattern: string | RegExp,
    timeoutMs?: number,
  ) => Promise<RegExpExecArray>;
  /** Sends `signal` (default SIGTERM) unless it has exited; resolves with the exit code. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** An app's root folder, e.g. appDirectory('api') → <repo>/apps/api. */
export function appDirectory(app: string): string {
  return fileURLToPath(new URL(`../../../apps/${app}/`, import.meta.url));
}

/** A port that was free a moment ago (for a service that must know its URL before it listens). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function logLine(message: string): RegExp {
  return new RegExp(`"msg":${JSON.stringify(message).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

export function spawnService(options: ServiceProcessOptions): ServiceProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@game-scheduler/source',
      ...(options.preload === false ? [] : ['--import', '@game-scheduler/telemetry/register']),
      options.entry ?? 'src/main.ts',
    ],
    {
      cwd: options.cwd,
      env: {
        ...(options.inheritEnv === true ? process.env : { PATH: process.env['PATH'] ?? '' }),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let all = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    all += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    all += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]): ProcessRun => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
    output: all,
  }));
  return {
    child,
    output: () => all,
    stdout: () => stdout,
    exited,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const regex = typeof pattern === 'string' ? logLine(pattern) : pattern;
        const done = (): void => {
          clearTimeout(timer);
          child.stdout.off('data', check);
        };
        const check = (): void => {
          const match = regex.exec(stdout);
          if (match !== null) {
            done();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${String(regex)} within ${String(timeoutMs)} ms:\n${all}`));
        }, timeoutMs);
        child.stdout.on('data', check);
        check();
        void exited.then((run) => {
          done();
          reject(
            new Error(
              `exited with ${String(run.code ?? run.signal)} before ${String(regex)}:\n${all}`,
            ),
          );
        });
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return (await exited).code;
    },
  };
}

/**
 * Spawns the service and resolves once it logged `startedMessage` (its "… started" line; a string
 * is the exact msg of a pino line, a RegExp is matched against stdout).
 */
export async function startService(
  options: ServiceProcessOptions & {
    readonly startedMessage: string | RegExp;
    readonly timeoutMs?: number;
  },
): Promise<ServiceProcess> {
  const service = spawnService(options);
  try {
    await service.waitForOutput(options.startedMessage, options.timeoutMs);
  } catch (error) {
    await service.stop('SIGKILL');
    throw error;
  }
  return service;
}

/** Runs an entry to its end (a one-shot script, or a service that must refuse to start). */
export async function runToExit(options: ServiceProcessOptions): Promise<ProcessRun> {
  return spawnService(options).exited;
}
