#!/usr/bin/env node
// Command-line entry: `npm run sim -w @game-scheduler/discord-sim -- --port 4100` (from source) or
// `npm start -w @game-scheduler/discord-sim` (from dist, for the container).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDiscordSim } from './discord-sim.ts';
import { demoScenario } from './demo-scenario.ts';
import type { SimLogger } from './logger.ts';
import type { ScenarioDefinition } from './scenario/declarations.ts';

const usage = `Usage: discord-sim [options]
  --host <addr>             interface to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --port <n>                port (default 4100; 0 picks a free one)
  --application-id <id>     application id = bot user id (default 1300000000000000001)
  --bot-token <token>       bot token (default discord-sim-bot-token)
  --client-secret <secret>  OAuth2 client secret (default discord-sim-client-secret)
  --redirect-uri <uri>      allowed OAuth2 redirect URI (repeatable; default: any)
  --scenario <demo|empty|file.json>  initial users and guilds (default demo)
  --no-rate-limits          turn rate limits off
  --heartbeat-interval <ms> gateway heartbeat interval (default 41250)
  --verbose                 log every request as JSON lines
  --help`;

function jsonLogger(verbose: boolean): SimLogger {
  const line = (level: string) => (obj: unknown, msg?: string) => {
    const fields =
      typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>) : { msg: obj };
    console.log(
      JSON.stringify({ level, time: Date.now(), ...fields, ...(msg === undefined ? {} : { msg }) }),
    );
  };
  const silent = () => undefined;
  return {
    debug: verbose ? line('debug') : silent,
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  };
}

function loadScenarioArg(value: string): ScenarioDefinition | undefined {
  if (value === 'demo') return demoScenario;
  if (value === 'empty') return undefined;
  return JSON.parse(readFileSync(value, 'utf8')) as ScenarioDefinition;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4100' },
      'application-id': { type: 'string' },
      'bot-token': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      scenario: { type: 'string', default: 'demo' },
      'no-rate-limits': { type: 'boolean', default: false },
      'heartbeat-interval': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Invalid --port ${values.port}`);
  const sim = await createDiscordSim({
    host: values.host,
    port,
    application: {
      id: values['application-id'],
      botToken: values['bot-token'],
      clientSecret: values['client-secret'],
      redirectUris: values['redirect-uri'] ?? [],
    },
    scenario: loadScenarioArg(values.scenario),
    rateLimits: values['no-rate-limits'] ? { enabled: false } : undefined,
    heartbeatIntervalMs:
      values['heartbeat-interval'] === undefined ? undefined : Number(values['heartbeat-interval']),
    logger: jsonLogger(values.verbose),
  });
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'discord-sim ready',
      url: sim.url,
      api: sim.apiUrl,
      gateway: sim.gatewayUrl,
      applicationId: sim.application.id,
      botToken: sim.application.botToken,
      clientSecret: sim.application.clientSecret,
    }),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: 'info', msg: `discord-sim stopping (${signal})` }));
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(usage);
  process.exit(1);
});
