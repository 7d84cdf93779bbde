// Observable instruments are read inside the metric export: a callback that hangs (a half-open
// connection, an unreachable database) would make the whole export time out and lose every metric of
// that cycle. Each read gives up after a few seconds instead, and observes nothing that time.

export const OBSERVE_TIMEOUT_MS = 5_000;

/** `work`'s value, or undefined when it fails or takes longer than `timeoutMs`. */
export async function within<T>(
  work: Promise<T>,
  timeoutMs = OBSERVE_TIMEOUT_MS,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined);
    }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
