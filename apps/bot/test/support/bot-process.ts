// Runs the bot's real entry points as child processes, as in production but from sources:
// `src/main.ts` with the telemetry preload, and `src/deploy-commands.ts`.
import {
  appDirectory,
  runToExit as runEntry,
  startService,
  type ServiceProcess,
} from '@game-scheduler/testing';

const APP_DIR = appDirectory('bot');

export type BotProcess = ServiceProcess;

function botEnv(env: Record<string, string>): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: 'bot',
    // Nothing listens there unless a test says otherwise: telemetry must never hold the bot up.
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    ...env,
  };
}

/** Starts `src/main.ts` and resolves once it logged "Bot started". */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  return startService({
    cwd: APP_DIR,
    env: botEnv(env),
    startedMessage: 'Bot started',
    timeoutMs: 30_000,
  });
}

/** Runs an entry to its end (deploy-commands, or the bot with a bad configuration). */
export async function runToExit(
  entry: 'src/main.ts' | 'src/deploy-commands.ts',
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return runEntry({
    cwd: APP_DIR,
    entry,
    env: botEnv({ OTEL_SDK_DISABLED: 'true', ...env }),
    preload: entry === 'src/main.ts',
  });
}
