import type { DomainEvent } from '@game-scheduler/messaging';
import { parseTraceparent, withSpan } from '@game-scheduler/telemetry';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { prismaSchedulerDatabase, type SqlClient } from '@game-scheduler/scheduler';
import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import { createDeliveryLedger, intentId } from '../src/delivery-ledger.ts';
import { createReminderHandler, deliveryNonce } from '../src/deliver-reminder.ts';
import { createDiscordClient } from '../src/discord-client.ts';
import { fallbackText, reminderText } from '../src/reminder-text.ts';
import { eventually } from '@game-scheduler/testing';
import { createHarness, type Harness } from './support/harness.ts';
import { installTestMetrics, type TestMetrics } from './support/metrics.ts';
import { installTestTracing, type TestTracing } from '@game-scheduler/telemetry/testing';
import {
  CHANNEL_ID,
  HOST_ID,
  addPlayers,
  PAT_ID,
  QUINN_ID,
  RIO_ID,
  createGame,
  gameCancelled,
  gameCreated,
  gameUpdated,
  playerRemoved,
  type TestGame,
} from './support/world.ts';

const MINUTE = 60_000;

let tracing: TestTracing;
let meters: TestMetrics;
let h: Harness;
let app: App;

/** Publishes `event` inside a span of a new trace, as the API would; returns that trace id. */
async function publishInNewTrace(event: DomainEvent): Promise<string> {
  return withSpan(
    'test.request',
    {},
    async (span) => {
      await h.publisher.publish(event);
      return span.spanContext().traceId;
    },
    { root: true },
  );
}

async function createScheduled(options: Parameters<typeof createGame>[1]) {
  const game = await createGame(h.prisma, options);
  const event = gameCreated(game);
  const traceId = await publishInNewTrace(event);
  await h.consumed(event.id);
  return { game, traceId };
}

async function reminderRows(gameId: string) {
  return h.prisma.reminderSchedule.findMany({
    where: { gameId },
    orderBy: { reminderMinutes: 'desc' },
  });
}

function dmTexts(userId: string): string[] {
  return h.sim.dms(userId).map((message) => String(message.content));
}

async function allSent(gameId: string): Promise<void> {
  await eventually(async () => {
    const rows = await reminderRows(gameId);
    return rows.length > 0 && rows.every((row) => row.status === 'SENT') ? true : undefined;
  });
}

function textFor(game: TestGame, minutes: number, waitlistPosition: number | null = null) {
  return reminderText({
    title: game.title,
    startsAt: game.startsAt,
    minutesBefore: minutes,
    where: null,
    waitlistPosition,
  });
}

beforeAll(async () => {
  tracing = installTestTracing();
  meters = installTestMetrics();
  h = await createHarness('notif');
  app = h.daemon();
  await app.start();
});

afterAll(async () => {
  await h.close();
  await tracing.shutdown();
  await meters.shutdown();
});

beforeEach(async () => {
  h.sim.clearActivity();
  await meters.reset();
});

function sum(points: readonly { attributes: Record<string, unknown>; value: unknown }[]) {
  return points.reduce((total, point) => total + Number(point.value), 0);
}

describe('the reminder schedule', () => {
  it('builds one row per reminder still ahead from game.created, with the creating trace', async () => {
    const startsAt = new Date(Date.now() + 2 * 60 * MINUTE);
    const { game, traceId } = await createScheduled({
      startsAt,
      reminderMinutes: [60, 240, 15],
      userIds: [HOST_ID],
    });
    const rows = await reminderRows(game.id);
    // 240 minutes before is already past: skipped.
    expect(rows.map((row) => [row.reminderMinutes, row.dueAt.toISOString(), row.status])).toEqual([
      [60, new Date(startsAt.getTime() - 60 * MINUTE).toISOString(), 'PENDING'],
      [15, new Date(startsAt.getTime() - 15 * MINUTE).toISOString(), 'PENDING'],
    ]);
    for (const row of rows) expect(parseTraceparent(row.traceparent)?.traceId).toBe(traceId);
  });

  it('moves the reminders when the start or the reminder times are edited', async () => {
    const { game } = await createScheduled({
      startsAt: new Date(Date.now() + 2 * 60 * MINUTE),
      reminderMinutes: [60],
      userIds: [HOST_ID],
    });
    const titleOnly = gameUpdated(game, ['title']);
    const before = await reminderRows(game.id);
    await h.publisher.publish(titleOnly);
    await h.consumed(titleOnly.id);
    expect(await reminderRows(game.id)).toEqual(before);
    // nothing to do twice: handled without the idempotency record (and its transaction)
    const recorded = (messageId: string) =>
      h.prisma.processedMessage.count({ where: { messageId } });
    expect(await recorded(titleOnly.id)).toBe(0);

    const startsAt = new Date(Date.now() + 5 * 60 * MINUTE);
    await h.prisma.game.update({
      where: { id: game.id },
      data: { startsAt, reminderMinutes: [120, 10] },
    });
    const moved = gameUpdated({ ...game, startsAt, reminderMinutes: [120, 10] }, [
      'startsAt',
      'reminderMinutesBefore',
    ]);
    await h.publisher.publish(moved);
    await h.consumed(moved.id);
    expect(await recorded(moved.id)).toBe(1);
    const rows = await reminderRows(game.id);
    expect(rows.map((row) => [row.reminderMinutes, row.dueAt.toISOString()])).toEqual([
      [120, new Date(startsAt.getTime() - 120 * MINUTE).toISOString()],
      [10, new Date(startsAt.getTime() - 10 * MINUTE).toISOString()],
    ]);
  });

  it('removes the pending reminders when the game is cancelled', async () => {
    const { game } = await createScheduled({
      startsAt: new Date(Date.now() + 2 * 60 * MINUTE),
      reminderMinutes: [60, 30],
      userIds: [HOST_ID],
    });
    expect(await reminderRows(game.id)).toHaveLength(2);
    await h.prisma.game.update({ where: { id: game.id }, data: { status: 'CANCELLED' } });
    const cancelled = gameCancelled(game);
    await h.publisher.publish(cancelled);
    await h.consumed(cancelled.id);
    expect(await reminderRows(game.id)).toEqual([]);
  });

  it('changes nothing twice when an event is delivered again', async () => {
    const game = await createGame(h.prisma, {
      startsAt: new Date(Date.now() + 2 * 60 * MINUTE),
      reminderMinutes: [60],
      userIds: [HOST_ID],
    });
    const event = gameCreated(game);
    await h.publisher.publish(event);
    await h.consumed(event.id);
    const before = await reminderRows(game.id);
    await h.publisher.publish(event);
    await h.consumed(event.id, 'duplicate');
    expect(await reminderRows(game.id)).toEqual(before);
  });
});

describe('a due reminder', () => {
  it('DMs every participant, tells the waitlisted that they wait, and mentions DMs-closed players in the channel', async () => {
    const startsAt = new Date(Date.now() + MINUTE + 1_000);
    const { game } = await createScheduled({
      startsAt,
      reminderMinutes: [1],
      userIds: [HOST_ID, PAT_ID, QUINN_ID, RIO_ID],
      maxPlayers: 2,
    });
    await allSent(game.id);
    expect(dmTexts(HOST_ID)).toEqual([textFor(game, 1)]);
    expect(dmTexts(PAT_ID)).toEqual([textFor(game, 1)]);
    expect(dmTexts(RIO_ID)).toEqual([textFor(game, 1, 2)]);
    expect(dmTexts(RIO_ID)[0]).toContain('You are on the waitlist (#2)');
    expect(dmTexts(QUINN_ID)).toEqual([]);
    const mentions = h.sim
      .messages(CHANNEL_ID)
      .filter((message) => String(message.content).startsWith(`<@${QUINN_ID}>`));
    expect(mentions.map((message) => message.content)).toEqual([
      fallbackText(QUINN_ID, textFor(game, 1, 1)),
    ]);
    const deliveries = await h.prisma.reminderDelivery.findMany({
      where: { gameId: game.id },
      orderBy: { userId: 'asc' },
    });
    expect(deliveries.map((d) => [d.userId, d.reminderMinutes, d.method])).toEqual([
      [HOST_ID, 1, 'DM'],
      [PAT_ID, 1, 'DM'],
      [QUINN_ID, 1, 'CHANNEL_MENTION'],
      [RIO_ID, 1, 'DM'],
    ]);
    const sent = await meters.collect('reminders.sent');
    const byChannel = (channel: string) =>
      sum(sent.filter((point) => point.attributes['notification.channel'] === channel));
    expect([byChannel('dm'), byChannel('fallback')]).toEqual([3, 1]);
    expect(sent.every((point) => point.attributes['notification.type'] === 'reminder')).toBe(true);
    const lateness = await meters.collect('reminders.lateness');
    expect(lateness.map((point) => (point.value as { count: number }).count)).toEqual([4]);
  });

  it('runs in a scheduled.reminder root span linked to the creating trace, with the Discord REST calls inside', async () => {
    // A player the daemon has never written to, so the DM channel is opened inside this span.
    const [newcomer = ''] = await addPlayers(h.prisma, h.sim, 1);
    const { game, traceId } = await createScheduled({
      startsAt: new Date(Date.now() + MINUTE + 500),
      reminderMinutes: [1],
      userIds: [newcomer],
    });
    await allSent(game.id);
    const span = await eventually(() =>
      tracing.exporter
        .getFinishedSpans()
        .find(
          (candidate) =>
            candidate.name === 'scheduled.reminder' && candidate.attributes['game.id'] === game.id,
        ),
    );
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(traceId);
    expect(span.links.map((link) => link.context.traceId)).toEqual([traceId]);
    expect(span.attributes).toMatchObject({
      'scheduler.job_id': expect.any(String),
      'scheduler.trigger': expect.stringMatching(/^(notify|timer|startup)$/),
      'notification.type': 'reminder',
    });
    const rest: ReadableSpan[] = tracing.exporter
      .getFinishedSpans()
      .filter(
        (candidate) =>
          candidate.name === 'discord.rest' &&
          candidate.spanContext().traceId === span.spanContext().traceId,
      );
    expect(rest.map((child) => child.attributes['discord.rest.route'])).toEqual([
      '/users/@me/channels',
      '/channels/:channel_id/messages',
    ]);
    for (const child of rest) {
      expect(child.kind).toBe(2); // SpanKind.CLIENT
      expect(child.parentSpanContext?.spanId).toBe(span.spanContext().spanId);
      expect(child.attributes['http.response.status_code']).toBe(200);
    }
  });

  it('does not send again what an interrupted attempt already sent, and records it', async () => {
    const startsAt = new Date(Date.now() + 2 * 60 * MINUTE);
    const game = await createGame(h.prisma, {
      startsAt,
      reminderMinutes: [1],
      userIds: [PAT_ID, RIO_ID],
    });
    // As if a daemon died after sending Pat's reminder and before recording it.
    const dueAt = new Date(Date.now() - 1_000);
    const key = { gameId: game.id, reminderMinutes: 1, dueAt, userId: PAT_ID };
    await h.prisma.processedMessage.create({
      data: { consumer: 'notification-daemon.reminder', messageId: intentId(key) },
    });
    const discord = createDiscordClient({
      botToken: h.sim.application.botToken,
      apiUrl: h.sim.apiUrl,
    });
    const text = textFor(game, 1);
    await discord.sendMessage(await discord.openDm(PAT_ID), {
      content: text,
      nonce: deliveryNonce(key),
    });
    await h.prisma.reminderSchedule.create({
      data: { gameId: game.id, reminderMinutes: 1, dueAt },
    });
    await allSent(game.id);
    expect(dmTexts(PAT_ID)).toEqual([text]);
    expect(dmTexts(RIO_ID)).toEqual([text]);
    const deliveries = await h.prisma.reminderDelivery.findMany({ where: { gameId: game.id } });
    expect(deliveries.map((d) => d.userId).sort()).toEqual([PAT_ID, RIO_ID]);
  });

  it('retries a failing Discord with backoff, then parks the row', async () => {
    h.sim.failRoute({ route: '/channels/:channelId/messages', method: 'POST', times: 3 });
    const game = await createGame(h.prisma, {
      startsAt: new Date(Date.now() + 2 * 60 * MINUTE),
      reminderMinutes: [1],
      userIds: [PAT_ID],
    });
    await h.prisma.reminderSchedule.create({
      data: { gameId: game.id, reminderMinutes: 1, dueAt: new Date(Date.now() - 1_000) },
    });
    const row = await eventually(async () => {
      const [candidate] = await reminderRows(game.id);
      return candidate?.status === 'PARKED' ? candidate : undefined;
    });
    expect(row.attempts).toBe(3);
    expect(row.lastError).toMatch(/Internal Server Error/);
    const failures = h.sim.calls({ route: '/channels/:channelId/messages', status: 500 });
    expect(failures).toHaveLength(3);
    // Backoff: 200 ms after the first failure, 400 ms after the second (at least).
    const [first, second, third] = failures.map((call) => call.time);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(190);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(390);
    expect(dmTexts(PAT_ID)).toEqual([]);
    expect(await h.prisma.reminderDelivery.count({ where: { gameId: game.id } })).toBe(0);
    const job = { 'scheduler.job': 'reminder' };
    const retries = await meters.collect('scheduler.job.retries');
    const parked = await meters.collect('scheduler.job.parked');
    expect(retries.map((point) => point.attributes)).toEqual([job]);
    expect([sum(retries), sum(parked)]).toEqual([2, 1]);
  });

  it('keeps delivering the rows behind one that keeps failing', async () => {
    // A player Discord does not know: every attempt at this row fails.
    const ghost = '1499999999999999999';
    await h.prisma.user.create({ data: { id: ghost } });
    const failing = await createGame(h.prisma, {
      startsAt: new Date(Date.now() + 2 * 60 * MINUTE),
      reminderMinutes: [1],
      userIds: [ghost],
      title: 'Ghost night',
    });
    const healthy = await createGame(h.prisma, {
      startsAt: new Date(Date.now() + 2 * 60 * MINUTE),
      reminderMinutes: [1],
      userIds: [RIO_ID],
    });
    await h.prisma.reminderSchedule.create({
      data: { gameId: failing.id, reminderMinutes: 1, dueAt: new Date(Date.now() - 2_000) },
    });
    await h.prisma.reminderSchedule.create({
      data: { gameId: healthy.id, reminderMinutes: 1, dueAt: new Date(Date.now() - 1_000) },
    });
    await allSent(healthy.id);
    expect(dmTexts(RIO_ID)).toHaveLength(1);
    const [row] = await reminderRows(failing.id);
    expect(row?.status).not.toBe('SENT');
    expect(row?.attempts).toBeGreaterThanOrEqual(1);
  });
});

describe('a player removed before the reminder', () => {
  it('is not reminded, while the others are', async () => {
    const { game } = await createScheduled({
      startsAt: new Date(Date.now() + MINUTE + 3_000),
      reminderMinutes: [1],
      userIds: [PAT_ID, RIO_ID],
    });
    await h.prisma.participant.deleteMany({ where: { gameId: game.id, userId: RIO_ID } });
    const removed = playerRemoved(game, RIO_ID);
    await h.publisher.publish(removed);
    await h.consumed(removed.id);
    await allSent(game.id);
    expect(dmTexts(PAT_ID)).toEqual([textFor(game, 1)]);
    expect(dmTexts(RIO_ID)).toEqual([]);
  });
});

describe('an event that arrives late', () => {
  it('still schedules a reminder that fell due while the event was on the way, and sends it at once', async () => {
    const game = await createGame(h.prisma, {
      startsAt: new Date(Date.now() + 29 * MINUTE),
      reminderMinutes: [30, 60],
      userIds: [PAT_ID],
    });
    // Created two minutes ago (RabbitMQ was down meanwhile): the 30-minute reminder fell due a
    // minute ago; the 60-minute one was already past when the game was created.
    const event = {
      ...gameCreated(game),
      occurredAt: new Date(Date.now() - 2 * MINUTE).toISOString(),
    };
    await h.publisher.publish(event);
    await h.consumed(event.id);
    expect((await reminderRows(game.id)).map((row) => row.reminderMinutes)).toEqual([30]);
    await allSent(game.id);
    expect(dmTexts(PAT_ID)).toEqual([textFor(game, 30)]);
  });
});

describe('the reminder at the start', () => {
  it('is sent even when the status daemon started the game first', async () => {
    const { game } = await createScheduled({
      startsAt: new Date(Date.now() + 1_500),
      reminderMinutes: [0],
      userIds: [PAT_ID],
    });
    // Due at the same instant as the transition to IN_PROGRESS, which here wins the race.
    await h.prisma.game.update({ where: { id: game.id }, data: { status: 'IN_PROGRESS' } });
    await allSent(game.id);
    expect(dmTexts(PAT_ID)).toEqual([textFor(game, 0)]);
  });

  it('is the only reminder still sent once the game has started', async () => {
    const { game } = await createScheduled({
      startsAt: new Date(Date.now() + MINUTE + 1_500),
      reminderMinutes: [1],
      userIds: [PAT_ID],
    });
    await h.prisma.game.update({ where: { id: game.id }, data: { status: 'IN_PROGRESS' } });
    await allSent(game.id);
    expect(dmTexts(PAT_ID)).toEqual([]);
  });
});

describe('an edit after a reminder was sent', () => {
  it('reminds everyone again when the start moves later, for the new time', async () => {
    const { game } = await createScheduled({
      startsAt: new Date(Date.now() + MINUTE + 500),
      reminderMinutes: [1],
      userIds: [PAT_ID],
    });
    await allSent(game.id);
    expect(dmTexts(PAT_ID)).toEqual([textFor(game, 1)]);

    const startsAt = new Date(Date.now() + MINUTE + 1_000);
    await h.prisma.game.update({ where: { id: game.id }, data: { startsAt } });
    const moved = gameUpdated({ ...game, startsAt }, ['startsAt']);
    await h.publisher.publish(moved);
    await h.consumed(moved.id);
    await allSent(game.id);
    expect(dmTexts(PAT_ID)).toEqual([textFor(game, 1), textFor({ ...game, startsAt }, 1)]);
  });
});

describe('a claim lost while the reminder is being sent', () => {
  it('sends nothing once the claiming transaction is gone, and the next attempt sends each DM once', async () => {
    const game = await createGame(h.prisma, {
      startsAt: new Date(Date.now() + 2 * 60 * MINUTE),
      reminderMinutes: [1],
      userIds: [PAT_ID, RIO_ID],
    });
    const sql = prismaSchedulerDatabase(h.prisma).sql;
    // The claiming transaction as it is after a timeout: reads done before still worked, the
    // re-check before a send fails.
    const lostClaim: SqlClient = {
      query: (text, params) =>
        text.includes('AS claimed')
          ? Promise.reject(new Error('Transaction closed'))
          : sql.query(text, params),
      execute: (text, params) => sql.execute(text, params),
    };
    const handler = (claimSql: SqlClient) =>
      createReminderHandler({
        discord: createDiscordClient({
          botToken: h.sim.application.botToken,
          apiUrl: h.sim.apiUrl,
        }),
        ledger: createDeliveryLedger(sql),
        claimProofMs: 0,
      })(
        {
          id: game.id,
          dueAt: new Date(Date.now() - 1_000),
          nextAttemptAt: null,
          attempts: 0,
          traceparent: null,
          values: { game_id: game.id, reminder_minutes: 1 },
        },
        {
          tx: h.prisma,
          sql: claimSql,
          trigger: 'timer',
          span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
        },
      );
    await expect(handler(lostClaim)).rejects.toThrow(/2 of 2 reminders could not be delivered/);
    expect(dmTexts(PAT_ID)).toEqual([]);
    expect(dmTexts(RIO_ID)).toEqual([]);
    expect(await h.prisma.reminderDelivery.count({ where: { gameId: game.id } })).toBe(0);

    await handler(sql);
    expect(dmTexts(PAT_ID)).toEqual([textFor(game, 1)]);
    expect(dmTexts(RIO_ID)).toEqual([textFor(game, 1)]);
    const deliveries = await h.prisma.reminderDelivery.findMany({ where: { gameId: game.id } });
    expect(deliveries.map((d) => d.userId).sort()).toEqual([PAT_ID, RIO_ID].sort());
  });
});
