// The environment variables several apps read, checked the same way everywhere.
import { z } from 'zod';

export const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'must be a postgresql:// URL',
});
export const amqpUrl = z.url({ protocol: /^amqps?$/, error: 'must be an amqp:// or amqps:// URL' });
export const redisUrl = z.url({
  protocol: /^rediss?$/,
  error: 'must be a redis:// or rediss:// URL',
});
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** RABBITMQ_URL: the broker, the compose service's address when unset. */
export const rabbitmqUrl = amqpUrl.default('amqp://guest:guest@rabbitmq:5672');

/** A positive whole number, `fallback` when unset. */
export const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** RABBITMQ_NAMESPACE: the prefix of every exchange and queue. */
export const rabbitmqNamespace = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-"')
  .default('game-scheduler');

const PORT_PROBLEM = 'must be a port number from 0 to 65535 (0: any free port), or empty for none';

/**
 * HEALTH_PORT: the port of a daemon's or the bot's readiness server (/health, /ready). Unset or
 * empty: no readiness server (`undefined`); 0: a free port the system picks.
 */
export const healthPort = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, PORT_PROBLEM)
  .transform(Number)
  .refine((port) => port <= 65_535, PORT_PROBLEM)
  .optional();

/** LOG_LEVEL: pino's levels. */
export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

export type LogLevel = z.output<typeof logLevel>;
