// One shutdown path: on SIGTERM/SIGINT stop taking work, finish what is in flight, flush traces,
// metrics and logs, and exit — all within a deadline (10 s by default).
import type { Logger } from 'pino';
import { state } from './state.ts';

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

function withDeadline(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      resolve(false);
    }, ms);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/**
 * Flushes and stops all three signals (the SDK and the log transport), waiting at most `timeoutMs`.
 * Resolves true when everything flushed in time. Safe to call when telemetry never started.
 */
export async function shutdownTelemetry(timeoutMs = 5_000): Promise<boolean> {
  const flushers = state.flushers.splice(0);
  if (flushers.length === 0) return true;
  const results = await Promise.all(
    flushers.map((flusher) => withDeadline(flusher.run(), timeoutMs)),
  );
  state.logExport = undefined;
  return results.every(Boolean);
}

export type ShutdownHandler = () => Promise<void> | void;

export interface InstallShutdownOptions {
  /** Stop accepting new work (close the HTTP server, cancel consumers, stop polling). */
  readonly stopTakingWork?: ShutdownHandler;
  /** Finish the work in flight (wait for handlers, close pools and connections). */
  readonly drain?: ShutdownHandler;
  /** Total budget from signal to exit; default 10 s. */
  readonly timeoutMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  readonly logger?: Logger;
  /** Exit the process at the end (default true; tests pass false). */
  readonly exit?: boolean;
}

const extraHandlers: ShutdownHandler[] = [];
let installedOptions: InstallShutdownOptions | undefined;
let running: Promise<void> | undefined;

/** Registers something to run during shutdown, after stopTakingWork/drain and before the flush. */
export function onShutdown(handler: ShutdownHandler): void {
  extraHandlers.push(handler);
}

async function runStep(
  step: ShutdownHandler | undefined,
  logger: Logger | undefined,
  name: string,
) {
  if (step === undefined) return;
  try {
    await step();
  } catch (error) {
    logger?.error({ err: error, step: name }, 'Shutdown step failed');
  }
}

/** Runs the shutdown sequence once (what the signal handlers call). */
export function runShutdown(reason: string): Promise<void> {
  running ??= (async () => {
    const options = installedOptions ?? {};
    const { logger } = options;
    const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    const startedAt = Date.now();
    const exit = options.exit ?? true;
    if (exit) {
      // Hard deadline: whatever hangs, the process is gone within the budget.
      const killer = setTimeout(() => {
        logger?.error({ timeoutMs }, 'Shutdown deadline reached; exiting');
        process.exit(1);
      }, timeoutMs);
      killer.unref();
    }
    logger?.info({ reason }, 'Shutting down');
    // Leave 1.5 s of the budget to flush telemetry.
    const workBudget = Math.max(timeoutMs - 1_500, 500);
    await withDeadline(
      (async () => {
        await runStep(options.stopTakingWork, logger, 'stopTakingWork');
        await runStep(options.drain, logger, 'drain');
        for (const handler of extraHandlers.splice(0).reverse()) {
          await runStep(handler, logger, 'onShutdown');
        }
      })(),
      workBudget,
    );
    logger?.info({ elapsedMs: Date.now() - startedAt }, 'Work drained; flushing telemetry');
    const remaining = Math.max(timeoutMs - (Date.now() - startedAt) - 250, 250);
    await shutdownTelemetry(remaining);
    if (exit) process.exit(0);
  })();
  return running;
}

/**
 * Installs SIGTERM/SIGINT handlers that stop taking work, drain, flush all three signals and exit
 * within `timeoutMs`. Call once from a service's main.ts.
 */
export function installShutdown(options: InstallShutdownOptions = {}): void {
  installedOptions = options;
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      void runShutdown(signal);
    });
  }
}
