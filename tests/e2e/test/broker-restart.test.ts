// RabbitMQ restarted while events flow. The services run on a private RabbitMQ node (the shared one
// is never restarted: other tests use it; without the rabbitmq-server command, a proxy in front of
// the shared broker cuts every connection instead); games are created through the API before, during
// and after its restart. Nothing may be lost (every event reaches both daemons, the outbox drains) and
// nothing may happen twice (one schedule per game, one reminder per player).
import { eventually, getServices } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON_CONSUMERS, expectEveryEventConsumed } from './support/consumed-events.ts';
import { createRestartableRabbitMq, type PrivateRabbitMq } from './support/private-rabbitmq.ts';
import {
  ANNOUNCEMENTS_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  remindersTo,
  startStack,
  type ApiClient,
  type GameBody,
  type Stack,
} from './support/stack.ts';

const MINUTE = 60_000;
let rabbit: PrivateRabbitMq;
let stack: Stack;
let host: ApiClient;
let pat: ApiClient;

beforeAll(async () => {
  rabbit = await createRestartableRabbitMq(getServices().rabbitmqUrl);
  await rabbit.start();
  stack = await startStack({ prefix: 'e2e_broker', rabbitmqUrl: rabbit.url });
  host = await stack.login(HANA);
  pat = await stack.login(PAT);
}, 240_000);

afterAll(async () => {
  await stack.close();
  await rabbit.close();
}, 120_000);

describe('RabbitMQ restarted while games are being created', () => {
  it('loses no event and delivers every reminder exactly once', async () => {
    // Every game's one reminder falls due at the same instant, well after the restart is over…
    const due = Date.now() + 150_000;
    const gameIds: string[] = [];
    const dueByTitle = new Map<string, number>();
    async function createAndJoin(reminderDue = due): Promise<void> {
      const title = `Restart game ${String(dueByTitle.size + 1)}`;
      dueByTitle.set(title, reminderDue);
      const created = await host<GameBody>('POST', '/games', {
        guildId: GUILD_ID,
        channelId: ANNOUNCEMENTS_CHANNEL,
        title,
        startsAt: new Date(reminderDue + 29 * MINUTE).toISOString(),
        durationMinutes: 60,
        reminderMinutes: [29],
      });
      expect(created.status).toBe(201);
      gameIds.push(created.body.id);
      expect((await pat('POST', `/games/${created.body.id}/join`)).status).toBe(200);
    }
    const scheduled = async (count: number) =>
      (await stack.prisma.reminderSchedule.count()) === count &&
      (await stack.prisma.statusSchedule.count()) === 2 * count;

    for (let i = 0; i < 3; i += 1) await createAndJoin();
    await eventually(async () => ((await scheduled(3)) ? true : undefined), { timeoutMs: 30_000 });

    await rabbit.stop();
    // The API keeps taking games while the broker is down: the events wait in the outbox.
    for (let i = 0; i < 3; i += 1) await createAndJoin();
    // …except one created now whose reminder falls due while the broker is still down.
    await createAndJoin(Date.now() + 2_000);
    expect(
      await stack.prisma.outboxEvent.count({ where: { publishedAt: null } }),
    ).toBeGreaterThanOrEqual(8);
    await rabbit.start();
    for (let i = 0; i < 3; i += 1) await createAndJoin();

    // Every event reached both daemons once, and nothing is left to publish.
    await eventually(
      async () =>
        (await scheduled(gameIds.length)) &&
        (await stack.prisma.outboxEvent.count({ where: { publishedAt: null } })) === 0
          ? true
          : undefined,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    // Each daemon handled every game.created once; the joins' game.updated move no schedule and
    // are acked without a record; nothing waits or was parked.
    // Per game: game.created, then game.updated for Pat's join.
    expect(await stack.prisma.outboxEvent.count({ where: { eventType: 'game.created' } })).toBe(
      gameIds.length,
    );
    expect(await stack.prisma.outboxEvent.count()).toBe(2 * gameIds.length);
    await expectEveryEventConsumed(stack, rabbit.url, DAEMON_CONSUMERS);

    // Once due, Pat is reminded of every game, once each (late for the one due during the outage).
    const titles = [...dueByTitle.keys()];
    await eventually(
      () =>
        titles.every((title) => remindersTo(stack.sim, PAT, title).length >= 1) ? true : undefined,
      { timeoutMs: due - Date.now() + 60_000, intervalMs: 500 },
    );
    await eventually(async () =>
      (await stack.prisma.reminderSchedule.count({ where: { status: 'SENT' } })) === gameIds.length
        ? true
        : undefined,
    );
    for (const title of titles) {
      const received = remindersTo(stack.sim, PAT, title);
      expect(received).toHaveLength(1);
      expect(received[0]!.at.getTime()).toBeGreaterThanOrEqual(dueByTitle.get(title)!);
    }
    expect(await stack.prisma.reminderDelivery.count()).toBe(gameIds.length);
  });
});
