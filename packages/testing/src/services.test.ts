import { describe, expect, it } from 'vitest';
import { missingServicesMessage, servicesFromEnvironment } from './services.ts';

describe('servicesFromEnvironment', () => {
  it('uses the three TEST_* URLs when all are set', () => {
    const services = servicesFromEnvironment({
      TEST_DATABASE_URL: 'postgresql://postgres@db:5432/postgres',
      TEST_REDIS_URL: 'redis://cache:6379',
      TEST_RABBITMQ_URL: 'amqp://guest:guest@mq:5672',
    });
    expect(services).toEqual({
      databaseUrl: 'postgresql://postgres@db:5432/postgres',
      redisUrl: 'redis://cache:6379',
      rabbitmqUrl: 'amqp://guest:guest@mq:5672',
      source: 'environment',
    });
  });

  it('falls through to containers when any URL is missing', () => {
    expect(servicesFromEnvironment({ TEST_DATABASE_URL: 'postgresql://x/y' })).toBeUndefined();
  });

  it('names every variable in the message shown when nothing is available', () => {
    for (const name of ['TEST_DATABASE_URL', 'TEST_REDIS_URL', 'TEST_RABBITMQ_URL', 'Docker']) {
      expect(missingServicesMessage).toContain(name);
    }
  });
});
