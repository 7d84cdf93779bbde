// The traffic generator's configuration: the ONLY place that reads process.env.
import { httpUrl, logLevel, parseConfig } from '@game-scheduler/config';
import { z } from 'zod';

export const configSchema = z.object({
  TRAFFIC_API_URL: httpUrl.default('http://api:3000'),
  TRAFFIC_DISCORD_SIM_URL: httpUrl.default('http://discord-sim:4100'),
  TRAFFIC_INTERVAL_MS: z.coerce.number().int().positive().default(5000),
  LOG_LEVEL: logLevel,
});

export interface Config {
  readonly serviceName: string;
  readonly logLevel: z.output<typeof configSchema>['LOG_LEVEL'];
  readonly apiUrl: string;
  readonly simUrl: string;
  readonly intervalMs: number;
}

export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const raw = parseConfig(configSchema, env, { name: 'traffic-generator' });
  return {
    serviceName: 'traffic-generator',
    logLevel: raw.LOG_LEVEL,
    apiUrl: raw.TRAFFIC_API_URL.replace(/\/+$/, ''),
    simUrl: raw.TRAFFIC_DISCORD_SIM_URL.replace(/\/+$/, ''),
    intervalMs: raw.TRAFFIC_INTERVAL_MS,
  };
}
