/** The subset of a pino logger the simulator uses; pino loggers fit it as they are. */
export type SimLogFn = (obj: unknown, msg?: string) => void;

export interface SimLogger {
  debug: SimLogFn;
  info: SimLogFn;
  warn: SimLogFn;
  error: SimLogFn;
}

const noop: SimLogFn = () => undefined;

export const silentLogger: SimLogger = { debug: noop, info: noop, warn: noop, error: noop };
