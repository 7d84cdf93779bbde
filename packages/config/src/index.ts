export {
  amqpUrl,
  count,
  httpUrl,
  logLevel,
  postgresUrl,
  rabbitmqNamespace,
  rabbitmqUrl,
  redisUrl,
  type LogLevel,
} from './fields.ts';
export { formatConfigProblems, parseConfig } from './parse-config.ts';
