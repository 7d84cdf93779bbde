import type { MessagingConnection } from './connection.ts';
import { declareTopology, topologyNames, type Topology, type TopologyOptions } from './topology.ts';

/**
 * Declares the topology now and again on every reconnect (register it before consumers, which rely on
 * it). Resolves with the names.
 */
export async function ensureTopology(
  connection: MessagingConnection,
  options: TopologyOptions,
): Promise<Topology> {
  await connection.register(async (model) => {
    const channel = await model.createChannel();
    try {
      await declareTopology(channel, options);
    } finally {
      await channel.close().catch(() => undefined);
    }
  });
  return topologyNames(options);
}
