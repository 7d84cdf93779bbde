export {
  amqpUrl,
  count,
  healthPort,
  httpUrl,
  logLevel,
  postgresUrl,
  rabbitmqNamespace,
  rabbitmqUrl,
  redisUrl,
  type LogLevel,
} from './fields.ts';
export { formatConfigProblems, parseConfig } from './parse-config.ts';
