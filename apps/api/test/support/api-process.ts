// Runs src/main.ts as a child process with the real telemetry preload, as in production but from
// sources, and collects its output.
import {
  appDirectory,
  runToExit,
  startService,
  type ServiceProcess,
} from '@game-scheduler/testing';

export { freePort } from '@game-scheduler/testing';

export interface ApiProcess {
  readonly baseUrl: string;
  readonly child: ServiceProcess['child'];
  output(): string;
  stop(): Promise<number | null>;
}

const API_DIR = appDirectory('api');

export async function startApiProcess(
  port: number,
  env: Record<string, string>,
): Promise<ApiProcess> {
  const api = await startService({
    cwd: API_DIR,
    env: { API_HOST: '127.0.0.1', API_PORT: String(port), ...env },
    inheritEnv: true,
    startedMessage: 'API started',
    timeoutMs: 30_000,
  });
  return {
    baseUrl: `http://127.0.0.1:${String(port)}`,
    child: api.child,
    output: api.output,
    stop: () => api.stop(),
  };
}

/** Runs the API expecting it to exit on its own (bad configuration); resolves with code and output. */
export async function runApiProcessToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return runToExit({ cwd: API_DIR, env: { OTEL_SDK_DISABLED: 'true', ...env }, inheritEnv: true });
}
