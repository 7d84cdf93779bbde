// A game's life across the three services, as users see it: created, joined, edited or cancelled
// through the API; reminded by the notification daemon (DM, or a channel mention when DMs are
// closed); started and completed by the status-transition daemon. Reminder and duration are whole
// minutes, so each test runs on its own timeline a minute or two long, all of them at once.
import { eventually } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  ANNOUNCEMENTS_CHANNEL,
  GUILD_ID,
  HANA,
  PAT,
  QUINN,
  RIO,
  mentionsOf,
  remindersTo,
  startStack,
  type ApiClient,
  type GameBody,
  type Stack,
} from './support/stack.ts';

const MINUTE = 60_000;
let stack: Stack;
let host: ApiClient;
let players: Record<'pat' | 'quinn' | 'rio', ApiClient>;

beforeAll(async () => {
  stack = await startStack({ prefix: 'e2e_life' });
  host = await stack.login(HANA);
  players = {
    pat: await stack.login(PAT),
    quinn: await stack.login(QUINN),
    rio: await stack.login(RIO),
  };
});

afterAll(async () => {
  await stack.close();
});

async function createGame(fields: Record<string, unknown>): Promise<GameBody> {
  const body = {
    guildId: GUILD_ID,
    channelId: ANNOUNCEMENTS_CHANNEL,
    durationMinutes: 60,
    ...fields,
  };
  // The four timelines create the guild's first games at the same instant: each must succeed.
  const response = await host<GameBody>('POST', '/games', body);
  if (response.status !== 201) throw new Error(`create: ${JSON.stringify(response)}`);
  return response.body;
}

async function join(player: ApiClient, gameId: string): Promise<string> {
  const response = await player<{ list: string }>('POST', `/games/${gameId}/join`);
  if (response.status !== 200) throw new Error(`join: ${JSON.stringify(response)}`);
  return response.body.list;
}

const until = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

describe.concurrent('a game created through the API', () => {
  it('DMs every player each reminder once it is due, telling the waitlisted one, and mentions the player whose DMs are closed in the channel', async ({
    expect,
  }) => {
    const title = 'Reminded raid';
    const startsAt = Date.now() + 80_000;
    // Reminders one minute before and at the start; two spots, so the third player waits.
    const game = await createGame({
      title,
      startsAt: new Date(startsAt).toISOString(),
      maxPlayers: 2,
      reminderMinutes: [1, 0],
    });
    expect(await join(players.pat, game.id)).toBe('confirmed');
    expect(await join(players.quinn, game.id)).toBe('confirmed');
    expect(await join(players.rio, game.id)).toBe('waitlist');
    const dueTimes = [startsAt - MINUTE, startsAt];

    await eventually(
      () =>
        remindersTo(stack.sim, PAT, title).length === 2 &&
        remindersTo(stack.sim, RIO, title).length === 2 &&
        mentionsOf(stack.sim, ANNOUNCEMENTS_CHANNEL, QUINN, title).length === 2
          ? true
          : undefined,
      { timeoutMs: 150_000, intervalMs: 250 },
    );
    const pat = remindersTo(stack.sim, PAT, title);
    const rio = remindersTo(stack.sim, RIO, title);
    const quinn = mentionsOf(stack.sim, ANNOUNCEMENTS_CHANNEL, QUINN, title);
    for (const received of [pat, rio, quinn]) {
      // Each reminder went out once its due time had come, never before.
      received.forEach((reminder, index) => {
        expect(reminder.at.getTime()).toBeGreaterThanOrEqual(dueTimes[index]!);
      });
      expect(received[0]?.content).toContain('starts in 1 minute');
      expect(received[1]?.content).toContain('is starting now');
    }
    expect(pat.every((reminder) => !reminder.content.includes('waitlist'))).toBe(true);
    expect(rio.every((reminder) => reminder.content.includes('You are on the waitlist (#1)'))).toBe(
      true,
    );
    expect(stack.sim.dms(QUINN)).toEqual([]);

    const deliveries = await stack.prisma.reminderDelivery.findMany({
      where: { gameId: game.id },
      orderBy: [{ reminderMinutes: 'desc' }, { userId: 'asc' }],
    });
    expect(deliveries.map((d) => [d.reminderMinutes, d.userId, d.method])).toEqual([
      [1, PAT, 'DM'],
      [1, QUINN, 'CHANNEL_MENTION'],
      [1, RIO, 'DM'],
      [0, PAT, 'DM'],
      [0, QUINN, 'CHANNEL_MENTION'],
      [0, RIO, 'DM'],
    ]);
  });

  it('moves the game to IN_PROGRESS at its start and to COMPLETED after its duration', async ({
    expect,
  }) => {
    const startsAt = Date.now() + 20_000;
    const game = await createGame({
      title: 'Short session',
      startsAt: new Date(startsAt).toISOString(),
      durationMinutes: 1,
    });
    await join(players.pat, game.id);
    const statusOf = async () => (await host<GameBody>('GET', `/games/${game.id}`)).body.status;
    expect(await statusOf()).toBe('SCHEDULED');

    await eventually(async () => ((await statusOf()) === 'IN_PROGRESS' ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    const startedSeen = Date.now();
    expect(startedSeen).toBeGreaterThanOrEqual(startsAt);
    await eventually(async () => ((await statusOf()) === 'COMPLETED' ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt + MINUTE);

    const applied = await stack.prisma.statusSchedule.findMany({
      where: { gameId: game.id },
      orderBy: { dueAt: 'asc' },
    });
    expect(applied.map((row) => [row.targetStatus, row.status, row.dueAt.getTime()])).toEqual([
      ['IN_PROGRESS', 'APPLIED', startsAt],
      ['COMPLETED', 'APPLIED', startsAt + MINUTE],
    ]);
    // Each change was published for the bot (game.status_changed through the outbox).
    const published = await eventually(async () => {
      const rows = await stack.prisma.outboxEvent.findMany({
        where: { eventType: 'game.status_changed', publishedAt: { not: null } },
      });
      const mine = rows
        .map((row) => row.payload as { payload: { gameId: string; to?: string; status?: string } })
        .filter((event) => event.payload.gameId === game.id);
      return mine.length === 2 ? mine : undefined;
    });
    expect(published).toHaveLength(2);
  });

  it('moves the reminders when the host moves the start, and reminds at the new time only', async ({
    expect,
  }) => {
    const title = 'Moved raid';
    const firstStart = Date.now() + 29 * MINUTE + 60_000;
    const game = await createGame({
      title,
      startsAt: new Date(firstStart).toISOString(),
      reminderMinutes: [29],
    });
    await join(players.pat, game.id);
    const firstDue = firstStart - 29 * MINUTE;
    await eventually(async () => {
      const row = await stack.prisma.reminderSchedule.findFirst({ where: { gameId: game.id } });
      return row?.dueAt.getTime() === firstDue ? true : undefined;
    });

    // 40 s earlier: the reminder is now due in about 20 s instead of a minute.
    const newStart = firstStart - 40_000;
    const edited = await host<GameBody>('PATCH', `/games/${game.id}`, {
      startsAt: new Date(newStart).toISOString(),
    });
    expect(edited.status).toBe(200);
    const newDue = newStart - 29 * MINUTE;
    await eventually(async () => {
      const row = await stack.prisma.reminderSchedule.findFirst({ where: { gameId: game.id } });
      return row?.dueAt.getTime() === newDue ? true : undefined;
    });

    const [reminder] = await eventually(
      () => {
        const received = remindersTo(stack.sim, PAT, title);
        return received.length > 0 ? received : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(reminder?.at.getTime()).toBeGreaterThanOrEqual(newDue);
    expect(reminder?.at.getTime()).toBeLessThan(firstDue);
    expect(reminder?.content).toContain(`<t:${String(Math.floor(newStart / 1000))}:F>`);
    // Nothing more when the old time comes.
    await until(firstDue + 3_000);
    expect(remindersTo(stack.sim, PAT, title)).toHaveLength(1);
  });

  it('removes the reminders of a cancelled game, so nobody is reminded', async ({ expect }) => {
    const title = 'Cancelled raid';
    const startsAt = Date.now() + 29 * MINUTE + 30_000;
    const game = await createGame({
      title,
      startsAt: new Date(startsAt).toISOString(),
      reminderMinutes: [29, 5],
    });
    await join(players.pat, game.id);
    await join(players.rio, game.id);
    await eventually(async () =>
      (await stack.prisma.reminderSchedule.count({ where: { gameId: game.id } })) === 2 &&
      (await stack.prisma.statusSchedule.count({ where: { gameId: game.id } })) === 2
        ? true
        : undefined,
    );

    const cancelled = await host<GameBody>('POST', `/games/${game.id}/cancel`, {
      reason: 'Host is ill',
    });
    expect(cancelled.body.status).toBe('CANCELLED');
    await eventually(async () =>
      (await stack.prisma.reminderSchedule.count({ where: { gameId: game.id } })) === 0 &&
      (await stack.prisma.statusSchedule.count({
        where: { gameId: game.id, status: 'PENDING' },
      })) === 0
        ? true
        : undefined,
    );
    // Past the time the first reminder would have been due: nothing was sent.
    await until(startsAt - 29 * MINUTE + 3_000);
    expect(remindersTo(stack.sim, PAT, title)).toEqual([]);
    expect(remindersTo(stack.sim, RIO, title)).toEqual([]);
    expect((await host<GameBody>('GET', `/games/${game.id}`)).body.status).toBe('CANCELLED');
  });
});
