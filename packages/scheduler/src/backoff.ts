// Exponential backoff for failed due rows: the delay doubles with every attempt, up to a ceiling.

export interface BackoffOptions {
  /** Delay after the first failure. */
  readonly baseMs: number;
  /** Longest delay. */
  readonly maxMs: number;
}

/** Delay before the next try of a row that has failed `attempts` times (1 = first failure). */
export function backoffDelayMs(attempts: number, options: BackoffOptions): number {
  const exponent = Math.max(0, Math.floor(attempts) - 1);
  // 2 ** 52 and beyond would lose precision; the ceiling is reached long before.
  const delay = options.baseMs * 2 ** Math.min(exponent, 52);
  return Math.min(delay, options.maxMs);
}
