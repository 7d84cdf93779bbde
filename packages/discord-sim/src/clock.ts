/**
 * Milliseconds since the Unix epoch like Date.now(), with the monotonic clock's fraction: the
 * `preciseTime` of the local Discord's calls and interaction responses, so that a benchmark can time
 * a round trip of a few milliseconds to better than whole milliseconds (Date.now()'s `time` stays
 * for everything else: the rate limiter decides on it).
 */
export function simNow(): number {
  return performance.timeOrigin + performance.now();
}
