// The bot's configuration: the ONLY place that reads process.env. Every problem is reported at once
// (parseConfig throws DomainError VALIDATION with all of them on one line). The bot token is never
// part of a message: zod reports only that it is missing, and it is registered as a secret.
import {
  count,
  healthPort,
  httpUrl,
  logLevel,
  parseConfig,
  postgresUrl,
  rabbitmqNamespace,
  rabbitmqUrl,
} from '@game-scheduler/config';
import { registerSecret } from '@game-scheduler/telemetry';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord snowflake id');

export const configSchema = z.object({
  DATABASE_URL: postgresUrl,
  DISCORD_BOT_TOKEN: z.string({ error: 'must be set' }).min(1),
  DISCORD_CLIENT_ID: snowflake,
  DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
  RABBITMQ_URL: rabbitmqUrl,
  RABBITMQ_NAMESPACE: rabbitmqNamespace,
  OTEL_SERVICE_NAME: z.string().default('bot'),
  LOG_LEVEL: logLevel,
  HEALTH_PORT: healthPort,
  BOT_PREFETCH: count(10),
  BOT_DATABASE_POOL_SIZE: count(20),
  BOT_ANNOUNCEMENT_DELAY_MS: z.coerce.number().int().min(0).default(250),
  BOT_DISCORD_TIMEOUT_MS: count(15_000),
  // Empty: commands are registered globally (Discord may take up to an hour to show them).
  BOT_COMMANDS_GUILD_ID: snowflake.optional(),
});

export type LogLevel = z.output<typeof configSchema>['LOG_LEVEL'];

export interface DiscordConfig {
  readonly botToken: string;
  /** The application id (also the bot's user id for bots created after 2016). */
  readonly applicationId: string;
  /** Base API URL without the version, as discord.js's `rest.api` option. */
  readonly apiUrl: string;
  readonly timeoutMs: number;
  /** Where deploy-commands registers the commands: one guild, or globally when null. */
  readonly commandsGuildId: string | null;
}

export interface Config {
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  readonly rabbitmqUrl: string;
  readonly rabbitmqNamespace: string;
  readonly serviceName: string;
  readonly logLevel: LogLevel;
  /** Port of the readiness server (/health, /ready); null: none (HEALTH_PORT empty). */
  readonly healthPort: number | null;
  readonly prefetch: number;
  /** How long the first change of a burst waits for the rest before the announcement is edited. */
  readonly announcementDelayMs: number;
  readonly discord: DiscordConfig;
}

/** Reads and checks the environment; throws DomainError VALIDATION listing every problem. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const raw = parseConfig(configSchema, env, { name: 'bot' });
  registerSecret(raw.DISCORD_BOT_TOKEN);
  return {
    databaseUrl: raw.DATABASE_URL,
    databasePoolSize: raw.BOT_DATABASE_POOL_SIZE,
    rabbitmqUrl: raw.RABBITMQ_URL,
    rabbitmqNamespace: raw.RABBITMQ_NAMESPACE,
    serviceName: raw.OTEL_SERVICE_NAME,
    logLevel: raw.LOG_LEVEL,
    healthPort: raw.HEALTH_PORT ?? null,
    prefetch: raw.BOT_PREFETCH,
    announcementDelayMs: raw.BOT_ANNOUNCEMENT_DELAY_MS,
    discord: discordConfig(raw),
  };
}

export const deployConfigSchema = configSchema.pick({
  DISCORD_BOT_TOKEN: true,
  DISCORD_CLIENT_ID: true,
  DISCORD_API_URL: true,
  BOT_COMMANDS_GUILD_ID: true,
  BOT_DISCORD_TIMEOUT_MS: true,
  OTEL_SERVICE_NAME: true,
  LOG_LEVEL: true,
});

/** The Discord application's settings, the same for the bot and for deploy-commands. */
function discordConfig(raw: z.output<typeof deployConfigSchema>): DiscordConfig {
  return {
    botToken: raw.DISCORD_BOT_TOKEN,
    applicationId: raw.DISCORD_CLIENT_ID,
    apiUrl: raw.DISCORD_API_URL.replace(/\/+$/, ''),
    timeoutMs: raw.BOT_DISCORD_TIMEOUT_MS,
    commandsGuildId: raw.BOT_COMMANDS_GUILD_ID ?? null,
  };
}

export interface DeployConfig {
  readonly serviceName: string;
  readonly logLevel: LogLevel;
  readonly discord: DiscordConfig;
}

/** What `deploy-commands` needs: only the Discord application, no database or broker. */
export function loadDeployConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeployConfig {
  const raw = parseConfig(deployConfigSchema, env, { name: 'deploy-commands' });
  registerSecret(raw.DISCORD_BOT_TOKEN);
  return {
    serviceName: raw.OTEL_SERVICE_NAME,
    logLevel: raw.LOG_LEVEL,
    discord: discordConfig(raw),
  };
}
