// Thin entry point: read the configuration, then one round of demo traffic every interval until
// SIGTERM/SIGINT. A failed round (the API restarting, say) is logged and the next one tries again.
import { setTimeout as sleep } from 'node:timers/promises';
import { runService, type Logger } from '@game-scheduler/telemetry';
import { loadConfig, type Config } from './config.ts';
import { createTrafficGenerator } from './traffic.ts';

async function run(config: Config, logger: Logger): Promise<void> {
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop.abort();
    });
  }
  const traffic = createTrafficGenerator({
    apiUrl: config.apiUrl,
    simUrl: config.simUrl,
    logger,
  });
  logger.info({ api: config.apiUrl, discord: config.simUrl }, 'Traffic generator started');
  let idle = false;
  while (!stop.signal.aborted) {
    try {
      if (await traffic.usesLocalDiscord()) {
        idle = false;
        await traffic.round();
      } else if (!idle) {
        idle = true;
        logger.info(
          {},
          'The API uses another Discord application than the local one: no demo traffic',
        );
      }
    } catch (error) {
      logger.warn({ err: error }, 'traffic round failed; trying again');
    }
    await sleep(config.intervalMs, undefined, { signal: stop.signal }).catch(() => undefined);
  }
  logger.info({}, 'Traffic generator stopped');
}

void runService({ name: 'traffic-generator', loadConfig, start: run });
