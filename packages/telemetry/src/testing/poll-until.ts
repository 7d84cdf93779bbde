// Polls a check until it yields a value or the time runs out; the error says what was seen instead.
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Time between checks (default 20 ms). */
  intervalMs?: number;
}

export async function pollUntil<T>(
  check: () => T | undefined,
  options: PollOptions & { waitingFor: string; seen: () => string },
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = check();
    if (result !== undefined) return result;
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${options.waitingFor}; ${options.seen()}`,
      );
    }
    await sleep(intervalMs);
  }
}
