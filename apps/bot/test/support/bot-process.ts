// Runs the bot's real entry points as child processes, as in production but from sources:
// `src/main.ts` with the telemetry preload, and `src/deploy-commands.ts`.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface BotProcess {
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

function spawnEntry(entry: string, env: Record<string, string>, preload: boolean) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@game-scheduler/source',
      ...(preload ? ['--import', '@game-scheduler/telemetry/register'] : []),
      entry,
    ],
    {
      cwd: APP_DIR,
      env: {
        PATH: process.env.PATH ?? '',
        OTEL_SERVICE_NAME: 'bot',
        // Nothing listens there unless a test says otherwise: telemetry must never hold the bot up.
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let all = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (all += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (all += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, output: () => all };
}

/** Starts `src/main.ts` and resolves once it logged "Bot started". */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const { child, exited, output } = spawnEntry('src/main.ts', env, true);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the bot did not start:\n${output()}`));
    }, 30_000);
    const check = (): void => {
      if (output().includes('"Bot started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with ${String(code)} before starting:\n${output()}`));
    });
  });
  return {
    child,
    output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs an entry to its end (deploy-commands, or the bot with a bad configuration). */
export async function runToExit(
  entry: 'src/main.ts' | 'src/deploy-commands.ts',
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const run = spawnEntry(entry, { OTEL_SDK_DISABLED: 'true', ...env }, entry === 'src/main.ts');
  const code = await run.exited;
  return { code, output: run.output() };
}
