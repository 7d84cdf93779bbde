import { once } from 'node:events';
import { Client, GatewayIntentBits } from 'discord.js';
import type { DiscordSim } from '../src/index.ts';

/** An unmodified discord.js Client pointed at the simulator only through `rest.api`. */
export async function loginClient(
  sim: DiscordSim,
  intents = [GatewayIntentBits.Guilds],
): Promise<Client<true>> {
  const client = new Client({ intents, rest: { api: sim.apiUrl } });
  const ready = once(client, 'clientReady');
  await client.login(sim.application.botToken);
  await ready;
  return client as Client<true>;
}

export const players = {
  host: { id: '1300000000000000101', username: 'host_hana' },
  pat: { id: '1300000000000000102', username: 'player_pat' },
  quinn: { id: '1300000000000000103', username: 'player_quinn' },
} as const;
