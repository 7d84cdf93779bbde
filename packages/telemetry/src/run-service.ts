// The one start-up path of every service's main.ts: read the configuration, make the logger, start;
// any failure on the way is one fatal log line (its code and message when the error has a code,
// never a stack trace for those), a telemetry flush, and exit status 1.
import type { LevelWithSilent } from 'pino';
import { createLogger, type Logger } from './logger.ts';
import { shutdownTelemetry } from './shutdown.ts';

export interface ServiceConfig {
  readonly serviceName: string;
  readonly logLevel?: LevelWithSilent;
}

export interface RunServiceOptions<C extends ServiceConfig> {
  /** Logger name while the configuration is not yet read. */
  readonly name: string;
  /** Reads and validates the environment; throws an error listing every problem. */
  readonly loadConfig: () => C;
  /** Builds the dependencies and starts; installs its own shutdown path. */
  readonly start: (config: C, logger: Logger) => Promise<void>;
}

/** Errors we raise ourselves carry a code and a one-line message fit for the operator. */
function isCodedError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

async function fail(logger: Logger, error: unknown, message: string): Promise<void> {
  // Set first: even if the event loop empties while telemetry flushes, the status is 1.
  process.exitCode = 1;
  if (isCodedError(error)) logger.fatal({ code: error.code }, error.message);
  else logger.fatal({ err: error }, message);
  await shutdownTelemetry(2_000);
  process.exit(1);
}

export async function runService<C extends ServiceConfig>(
  options: RunServiceOptions<C>,
): Promise<void> {
  let config: C;
  try {
    config = options.loadConfig();
  } catch (error) {
    await fail(createLogger({ name: options.name }), error, 'Invalid configuration');
    return;
  }
  const logger = createLogger({
    name: config.serviceName,
    ...(config.logLevel === undefined ? {} : { level: config.logLevel }),
  });
  try {
    await options.start(config, logger);
  } catch (error) {
    await fail(logger, error, 'Startup failed');
  }
}
