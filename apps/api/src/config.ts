// The API's configuration: the ONLY place that reads process.env. Every problem is reported at once
// (parseConfig throws DomainError VALIDATION with all of them on one line).
import {
  count,
  httpUrl,
  logLevel,
  parseConfig,
  postgresUrl,
  rabbitmqNamespace,
  rabbitmqUrl,
  redisUrl,
} from '@game-scheduler/config';
import { registerSecret } from '@game-scheduler/telemetry';
import { z } from 'zod';

export const configSchema = z.object({
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl.default('redis://redis:6379'),
  RABBITMQ_URL: rabbitmqUrl,
  RABBITMQ_NAMESPACE: rabbitmqNamespace,
  OTEL_SERVICE_NAME: z.string().default('api'),
  LOG_LEVEL: logLevel,
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  API_ENVIRONMENT: z.enum(['development', 'production', 'test']).default('production'),
  API_TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  API_PUBLIC_URL: httpUrl.default('http://localhost:3000'),
  API_REDIS_KEY_PREFIX: z.string().min(1).default('gs:api:'),
  API_SESSION_TTL_SECONDS: count(604_800),
  API_GUILD_CACHE_TTL_SECONDS: count(300),
  API_RATE_LIMIT_MAX: count(300),
  API_RATE_LIMIT_IP_MAX: count(600),
  API_RATE_LIMIT_WINDOW_MS: count(60_000),
  DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
  DISCORD_OAUTH_AUTHORIZE_URL: httpUrl.default('https://discord.com/oauth2/authorize'),
  DISCORD_CLIENT_ID: z.string().regex(/^\d{17,20}$/, 'must be a Discord application id'),
  DISCORD_CLIENT_SECRET: z.string().min(1),
  DISCORD_BOT_TOKEN: z.string().min(1),
});

export type LogLevel = z.output<typeof configSchema>['LOG_LEVEL'];

/** What createApp needs besides its connections. */
export interface ApiSettings {
  readonly environment: 'development' | 'production' | 'test';
  /** Behind a reverse proxy: take the client IP (rate limits) from X-Forwarded-For. */
  readonly trustProxy: boolean;
  /** Base URL the browser reaches the API at; the OAuth2 redirect URI is built from it. */
  readonly publicUrl: string;
  readonly redisKeyPrefix: string;
  readonly sessionTtlSeconds: number;
  readonly guildCacheTtlSeconds: number;
  /** Requests per window per session, and per client IP (all requests). */
  readonly rateLimit: { readonly max: number; readonly ipMax: number; readonly windowMs: number };
  readonly discord: DiscordSettings;
}

export interface DiscordSettings {
  /** Versioned REST base, e.g. `https://discord.com/api/v10`. */
  readonly apiUrl: string;
  readonly authorizeUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly botToken: string;
}

export interface Config {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly rabbitmqUrl: string;
  readonly rabbitmqNamespace: string;
  readonly serviceName: string;
  readonly logLevel: LogLevel;
  readonly host: string;
  readonly port: number;
  readonly api: ApiSettings;
}

/** Reads and checks the environment; throws DomainError VALIDATION listing every problem. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const raw = parseConfig(configSchema, env, { name: 'api' });
  registerSecret(raw.DISCORD_CLIENT_SECRET);
  registerSecret(raw.DISCORD_BOT_TOKEN);
  return {
    databaseUrl: raw.DATABASE_URL,
    redisUrl: raw.REDIS_URL,
    rabbitmqUrl: raw.RABBITMQ_URL,
    rabbitmqNamespace: raw.RABBITMQ_NAMESPACE,
    serviceName: raw.OTEL_SERVICE_NAME,
    logLevel: raw.LOG_LEVEL,
    host: raw.API_HOST,
    port: raw.API_PORT,
    api: {
      environment: raw.API_ENVIRONMENT,
      trustProxy: raw.API_TRUST_PROXY,
      publicUrl: raw.API_PUBLIC_URL.replace(/\/+$/, ''),
      redisKeyPrefix: raw.API_REDIS_KEY_PREFIX,
      sessionTtlSeconds: raw.API_SESSION_TTL_SECONDS,
      guildCacheTtlSeconds: raw.API_GUILD_CACHE_TTL_SECONDS,
      rateLimit: {
        max: raw.API_RATE_LIMIT_MAX,
        ipMax: raw.API_RATE_LIMIT_IP_MAX,
        windowMs: raw.API_RATE_LIMIT_WINDOW_MS,
      },
      discord: {
        apiUrl: `${raw.DISCORD_API_URL.replace(/\/+$/, '')}/v10`,
        authorizeUrl: raw.DISCORD_OAUTH_AUTHORIZE_URL,
        clientId: raw.DISCORD_CLIENT_ID,
        clientSecret: raw.DISCORD_CLIENT_SECRET,
        botToken: raw.DISCORD_BOT_TOKEN,
      },
    },
  };
}
