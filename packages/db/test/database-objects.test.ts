import { getServices, type TestDatabase } from '@game-scheduler/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, NotifyChannel, type Game, type PrismaClient } from '../src/index.ts';
import { createMigratedTestDatabase } from '../src/testing.ts';
import { createGame } from './fixtures.ts';

describe('SQL objects added by hand in the migrations', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let listener: pg.Client;
  let game: Game;

  beforeAll(async () => {
    database = await createMigratedTestDatabase(getServices().databaseUrl);
    prisma = createPrismaClient(database.url, { poolSize: 2 });
    listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    game = await createGame(prisma);
  });

  afterAll(async () => {
    await listener.end();
    await prisma.$disconnect();
    await database.drop();
  });

  function nextNotification(channel: string): Promise<pg.Notification> {
    return new Promise((resolve) => {
      const onNotification = (message: pg.Notification): void => {
        if (message.channel !== channel) return;
        listener.off('notification', onNotification);
        resolve(message);
      };
      listener.on('notification', onNotification);
    });
  }

  it.each([
    ['reminder_schedule', 'reminder_schedule_pending_due_at_idx', "WHERE (status = 'PENDING'"],
    ['status_schedule', 'status_schedule_pending_due_at_idx', "WHERE (status = 'PENDING'"],
    ['outbox', 'outbox_unpublished_created_at_idx', 'WHERE (published_at IS NULL)'],
    ['game_templates', 'game_templates_one_default_per_guild_key', 'WHERE is_default'],
  ])('has the partial index %s.%s', async (table, index, predicate) => {
    const { rows } = await listener.query<{ indexdef: string }>(
      'SELECT indexdef FROM pg_indexes WHERE tablename = $1 AND indexname = $2',
      [table, index],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.indexdef).toContain(predicate);
  });

  it('exports the NOTIFY channel names the triggers use', () => {
    expect(NotifyChannel).toEqual({
      reminderScheduleChanged: 'reminder_schedule_changed',
      statusScheduleChanged: 'status_schedule_changed',
      outboxInserted: 'outbox_inserted',
    });
  });

  it('notifies reminder_schedule_changed with the due time when a reminder row is inserted', async () => {
    await listener.query(`LISTEN ${NotifyChannel.reminderScheduleChanged}`);
    const received = nextNotification(NotifyChannel.reminderScheduleChanged);
    const dueAt = new Date('2030-01-01T17:00:00.000Z');
    await prisma.reminderSchedule.create({ data: { gameId: game.id, reminderMinutes: 60, dueAt } });
    const message = await received;
    expect(message.payload).toBe('2030-01-01T17:00:00.000Z');
    expect(new Date(message.payload!).getTime()).toBe(dueAt.getTime());
  });

  it('notifies the retry time when a pending reminder is postponed', async () => {
    const received = nextNotification(NotifyChannel.reminderScheduleChanged);
    await prisma.reminderSchedule.update({
      where: { gameId_reminderMinutes: { gameId: game.id, reminderMinutes: 60 } },
      data: { attempts: 1, nextAttemptAt: new Date('2030-01-01T17:00:30.000Z') },
    });
    expect((await received).payload).toBe('2030-01-01T17:00:30.000Z');
  });

  it('notifies status_schedule_changed with the due time when a status row is inserted', async () => {
    await listener.query(`LISTEN ${NotifyChannel.statusScheduleChanged}`);
    const received = nextNotification(NotifyChannel.statusScheduleChanged);
    await prisma.statusSchedule.create({
      data: { gameId: game.id, targetStatus: 'IN_PROGRESS', dueAt: game.startsAt },
    });
    expect((await received).payload).toBe(game.startsAt.toISOString());
  });

  it('notifies outbox_inserted with the event id when the writing transaction commits', async () => {
    await listener.query(`LISTEN ${NotifyChannel.outboxInserted}`);
    const received = nextNotification(NotifyChannel.outboxInserted);
    const event = await prisma.$transaction(async (tx) =>
      tx.outboxEvent.create({ data: { eventType: 'game.created', payload: { gameId: game.id } } }),
    );
    expect((await received).payload).toBe(event.id);
  });
});
