// This package traces messages itself, so the amqplib instrumentation must be off. This test turns
// the real instrumentation on and checks that the package refuses to run beside it.
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { getServices, uniqueName } from '@game-scheduler/testing';
import { describe, expect, it } from 'vitest';

describe('with @opentelemetry/instrumentation-amqplib enabled', () => {
  it('refuses to publish, so no message is ever traced twice', async () => {
    const instrumentation = new AmqplibInstrumentation();
    instrumentation.enable();
    // Loaded only now, so the instrumentation patches amqplib as it would in a service.
    const messaging = await import('../src/index.ts');
    const connection = await messaging.createConnection({
      url: getServices().rabbitmqUrl,
      connectionName: uniqueName('msg_double_instrumentation'),
    });
    try {
      const publisher = messaging.createPublisher({ connection, exchange: 'amq.topic' });
      const event = messaging.createEvent('game.cancelled', {
        gameId: 'game-1',
        guildId: '100000000000000001',
        channelId: '100000000000000002',
        announcementMessageId: null,
        title: 'Friday raid',
        startsAt: '2026-11-27T19:00:00.000Z',
        cancelledByUserId: '100000000000000003',
        reason: null,
        participantUserIds: [],
        waitlistUserIds: [],
      });
      await expect(publisher.publish(event)).rejects.toThrow(/instrumentation-amqplib/);
    } finally {
      await connection.close();
      instrumentation.disable();
    }
  });
});
