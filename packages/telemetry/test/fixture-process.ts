// Runs test/fixtures/service.ts as a child process with the real preload and collects its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/service.ts', import.meta.url));

export interface FixtureProcess {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Every stdout line so far, parsed as JSON where possible. */
  lines(): Record<string, unknown>[];
  /** Every stdout and stderr line so far, as text. */
  output(): string;
  /** Sends a signal and resolves with the exit code once the process exits. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

export async function startFixture(env: Record<string, string>): Promise<FixtureProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@game-scheduler/source',
      '--import',
      '@game-scheduler/telemetry/register',
      FIXTURE,
    ],
    {
      cwd: fileURLToPath(new URL('./fixtures/', import.meta.url)),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let all = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    all += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    all += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`fixture did not start:\n${all}`));
    }, 20_000);
    const check = (): void => {
      const match = /\{"listening":"(http:\/\/[^"]+)"\}/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`fixture exited with ${String(code)} before listening:\n${all}`));
    });
  });

  const lines = (): Record<string, unknown>[] =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return { unparsed: line };
        }
      });

  return {
    baseUrl,
    child,
    lines,
    output: () => all,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
