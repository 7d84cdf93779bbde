// The bot process with the real telemetry preload, exporting to an in-test OTLP receiver: every
// interaction is one trace down to the Discord calls its events cause, across processes.
import { startOtlpReceiver, type OtlpReceiver } from '@game-scheduler/telemetry/testing';
import { appDirectory, getServices, startService } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANA, PAT, createWorld, tomorrow, type World } from './support/world.ts';

const OTEL = {
  OTEL_BSP_SCHEDULE_DELAY: '100',
  OTEL_BLRP_SCHEDULE_DELAY: '100',
  OTEL_METRIC_EXPORT_INTERVAL: '300',
};

let receiver: OtlpReceiver;
let world: World;
let stopDaemon: () => Promise<void> = () => Promise.resolve();

/** The notification daemon's real entry point on the same database, broker namespace and Discord. */
async function startNotificationDaemon(): Promise<() => Promise<void>> {
  const daemon = await startService({
    cwd: appDirectory('notification-daemon'),
    env: {
      DATABASE_URL: world.database.url,
      RABBITMQ_URL: getServices().rabbitmqUrl,
      RABBITMQ_NAMESPACE: world.namespace,
      DISCORD_BOT_TOKEN: world.sim.application.botToken,
      DISCORD_API_URL: world.sim.apiUrl,
      OTEL_SERVICE_NAME: 'notification-daemon',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      LOG_LEVEL: 'info',
      ...OTEL,
    },
    startedMessage: 'Notification daemon started',
    timeoutMs: 30_000,
  });
  return async () => {
    await daemon.stop();
  };
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  world = await createWorld('bot_trace', {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...OTEL },
  });
  stopDaemon = await startNotificationDaemon();
}, 120_000);

afterAll(async () => {
  await stopDaemon();
  await world.close();
  await receiver.close();
});

describe('the bot started with the telemetry preload', () => {
  it('traces a ready gateway session with its guild count', async () => {
    const ready = await receiver.waitForSpan({
      name: 'discord.gateway_event',
      serviceName: 'bot',
      attributes: { 'discord.event_name': 'ready' },
    });
    expect(ready.parentSpanId).toBeUndefined();
    expect(ready.attributes['discord.guild_count']).toBe(1);
    // and its guild is recorded, so it can be configured before its first game
    const guilds = await world.prisma.guild.findMany({ select: { id: true, name: true } });
    expect(guilds).toEqual([{ id: '1300000000000000201', name: 'Game Night' }]);
  });

  it('follows a Join click as one trace: interaction, DB, game.updated publish, the bot consuming it, the message edit', async () => {
    await world.command(HANA, 'create-game', { title: 'Traced table', ...tomorrow() });
    const game = await world.prisma.game.findFirstOrThrow({ where: { title: 'Traced table' } });
    const customId = `game:join:${game.id}`;

    expect(await world.click(PAT, game.messageId!, customId)).toMatch(/^You're in/);

    const root = await receiver.waitForSpan({
      name: 'discord.interaction',
      attributes: { 'discord.custom_id': customId },
    });
    expect(root.parentSpanId).toBeUndefined();
    expect(root.kind).toBe('SERVER');
    expect(root.attributes).toMatchObject({
      'discord.user_id': PAT,
      'discord.channel_id': game.channelId,
      'discord.guild_id': game.guildId,
      'discord.interaction_type': 'button',
    });
    const { traceId } = root;
    const button = await receiver.waitForSpan({ name: 'discord.button.join', traceId });
    expect(button.parentSpanId).toBe(root.spanId);
    const join = await receiver.waitForSpan({ name: 'game.join', traceId });
    expect(join.parentSpanId).toBe(button.spanId);
    // The participant and the game.updated outbox row go in with one statement.
    const [participantInsert] = await receiver.waitForSpans((span) => {
      const text = span.attributes['db.query.text'];
      return (
        span.traceId === traceId &&
        typeof text === 'string' &&
        /INSERT INTO participants .*INSERT INTO outbox/s.test(text)
      );
    });
    expect(receiver.ancestors(participantInsert!).map((span) => span.spanId)).toContain(
      join.spanId,
    );

    const publish = await receiver.waitForSpan({
      name: 'event.publish',
      traceId,
      attributes: { 'messaging.event.type': 'game.updated' },
    });
    expect(publish.kind).toBe('PRODUCER');
    const consume = await receiver.waitForSpan({
      name: 'event.process',
      serviceName: 'bot',
      traceId,
      attributes: { 'messaging.event.type': 'game.updated' },
    });
    expect(consume.parentSpanId).toBe(publish.spanId);
    const update = await receiver.waitForSpan({
      name: 'discord.announcement_update',
      traceId,
      attributes: { 'discord.announcement.action': 'edited' },
    });
    // Beneath the consume span.
    expect(receiver.ancestors(update).map((span) => span.spanId)).toContain(consume.spanId);
    const edit = await receiver.waitForSpan({
      name: 'discord.rest',
      traceId,
      attributes: {
        'http.request.method': 'PATCH',
        'discord.rest.route': '/channels/:channel_id/messages/:message_id',
      },
    });
    expect(edit.kind).toBe('CLIENT');
    expect(edit.parentSpanId).toBe(update.spanId);
    expect(edit.attributes['http.response.status_code']).toBe(200);

    // The ephemeral answer is part of the interaction's trace too.
    const answers = receiver
      .spans({ name: 'discord.rest', traceId })
      .map((span) => span.attributes['discord.rest.route']);
    expect(answers).toEqual(
      expect.arrayContaining([
        '/interactions/:interaction_id/:interaction_token/callback',
        '/webhooks/:webhook_id/:webhook_token/messages/@original',
      ]),
    );
  });

  it('carries the /create-game trace to the notification daemon consuming game.created', async () => {
    await world.command(HANA, 'create-game', {
      title: 'Reminded table',
      ...tomorrow(),
      reminders: '60',
    });
    const root = await receiver.waitForSpan({
      name: 'discord.interaction',
      attributes: { 'discord.command': 'create-game', 'discord.interaction_type': 'command' },
    });
    const command = await receiver.waitForSpan({
      name: 'discord.command.create-game',
      traceId: root.traceId,
    });
    expect(command.parentSpanId).toBe(root.spanId);
    const create = await receiver.waitForSpan({ name: 'game.create', traceId: root.traceId });
    expect(create.attributes['game.source']).toBe('discord');
    const daemon = await receiver.waitForSpan(
      {
        name: 'event.process',
        serviceName: 'notification-daemon',
        traceId: root.traceId,
        attributes: { 'messaging.event.type': 'game.created' },
      },
      { timeoutMs: 20_000 },
    );
    expect(receiver.ancestors(daemon).map((span) => span.spanId)).toContain(root.spanId);
  });

  it('counts interactions by type and outcome, and REST calls by status', async () => {
    const interactions = await receiver.waitForMetric('discord.interactions', {
      predicate: (metric) =>
        metric.dataPoints.some((point) => point.attributes['discord.command'] === 'join'),
    });
    expect(
      interactions.dataPoints.find((point) => point.attributes['discord.command'] === 'join')
        ?.attributes,
    ).toEqual({
      'discord.interaction_type': 'button',
      'discord.command': 'join',
      outcome: 'success',
    });
    const rest = await receiver.waitForMetric('discord.rest.requests', {
      predicate: (metric) =>
        metric.dataPoints.some(
          (point) =>
            point.attributes['discord.rest.route'] === '/channels/:channel_id/messages/:message_id',
        ),
    });
    expect(
      rest.dataPoints.find(
        (point) =>
          point.attributes['discord.rest.route'] === '/channels/:channel_id/messages/:message_id',
      )?.attributes,
    ).toEqual({
      'http.request.method': 'PATCH',
      'discord.rest.route': '/channels/:channel_id/messages/:message_id',
      'http.response.status_code': 200,
    });
  });
});
