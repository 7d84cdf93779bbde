import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { shutdownTelemetry } from './shutdown.ts';
import { state } from './state.ts';
import { startOtlpReceiver } from './testing/index.ts';

describe('a logger still writing after telemetry was shut down', () => {
  it('keeps logging to its destination and never throws from the closed OTLP transport', async () => {
    const receiver = await startOtlpReceiver();
    try {
      state.logExport = {
        endpoint: receiver.url,
        resource: { 'service.name': 'late-logger' },
        scheduleDelayMillis: 50,
        maxQueueSize: 100,
        maxExportBatchSize: 10,
        exportTimeoutMillis: 2_000,
      };
      const lines: string[] = [];
      const logger = createLogger({
        name: 'late',
        pretty: false,
        destination: { write: (line: string) => lines.push(line) },
      });
      logger.info('before shutdown');
      // the transport's worker is up and exporting before telemetry shuts down
      await receiver.waitForLogs({ body: 'before shutdown' });
      await shutdownTelemetry(5_000);

      logger.info('after shutdown');
      // longer than the transport's 200 ms hand-over: a write to the closed worker would throw here
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
        'before shutdown',
        'after shutdown',
      ]);
      expect(receiver.logs({ body: 'after shutdown' })).toHaveLength(0);
    } finally {
      state.logExport = undefined;
      await receiver.close();
    }
  });
});
