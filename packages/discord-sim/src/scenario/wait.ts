import type { EventEmitter } from 'node:events';

export interface WaitOptions {
  /** Give up after this many ms (default 5000). */
  timeoutMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

/**
 * Resolves with the first truthy result of `check`, re-evaluated whenever a source emits one of
 * `events` (and every 25 ms as a fallback); rejects after the timeout.
 */
export function waitUntil<T>(
  sources: { emitter: EventEmitter; event: string }[],
  check: () => T | null | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      for (const { emitter, event } of sources) emitter.off(event, evaluate);
      if (error) reject(error);
      else resolve(value as T);
    };
    function evaluate(): void {
      try {
        const value = check();
        if (value !== null && value !== undefined && value !== false) finish(null, value);
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const timer = setTimeout(() => {
      finish(
        new Error(
          `discord-sim: timed out after ${timeoutMs} ms waiting for ${options.description ?? 'a condition'}`,
        ),
      );
    }, timeoutMs);
    const poll = setInterval(evaluate, 25);
    for (const { emitter, event } of sources) emitter.on(event, evaluate);
    evaluate();
  });
}
