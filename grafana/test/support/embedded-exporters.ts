// The postgres and redis exporters config.alloy embeds, run as the apt binaries and configured from
// what the parsed config evaluates to in a given environment (the one compose would give Alloy).
// Used by the exporters test and by the stack's series benchmark (tests/e2e/bench).
import {
  evaluate,
  findComponent,
  requireAttribute,
  type AlloyConfig,
  type EvaluationContext,
} from '../../src/index.ts';
import { stringValue } from './alloy-pipeline.ts';
import { findBinary } from './binaries.ts';
import { startExporter, type RunningExporter } from './exporter-process.ts';

export interface EmbeddedExporters {
  /** Component id (`prometheus.exporter.postgres.default`) → the address its binary listens on. */
  readonly addresses: Readonly<Record<string, string>>;
  readonly context: EvaluationContext;
  stop(): Promise<void>;
}

export async function startEmbeddedExporters(
  config: AlloyConfig,
  env: Record<string, string>,
): Promise<EmbeddedExporters> {
  const context: EvaluationContext = { env };
  const postgres = findComponent(config, 'prometheus.exporter.postgres', 'default');
  const dsn = evaluate(requireAttribute(postgres.block, 'data_source_names'), context);
  if (!Array.isArray(dsn)) throw new Error('data_source_names must be a list');
  const redis = findComponent(config, 'prometheus.exporter.redis', 'default');
  const redisAddr = stringValue(
    evaluate(requireAttribute(redis.block, 'redis_addr'), context),
    'redis_addr',
  );
  const running: RunningExporter[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(running.splice(0).map((exporter) => exporter.stop()));
  };
  try {
    const postgresExporter = await startExporter(findBinary('prometheus-postgres-exporter'), [], {
      DATA_SOURCE_NAME: dsn.map((name) => stringValue(name, 'data source name')).join(','),
    });
    running.push(postgresExporter);
    const redisExporter = await startExporter(findBinary('prometheus-redis-exporter'), [
      `--redis.addr=${redisAddr}`,
    ]);
    running.push(redisExporter);
    return {
      addresses: { [postgres.id]: postgresExporter.address, [redis.id]: redisExporter.address },
      context,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
