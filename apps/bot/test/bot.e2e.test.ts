// The real bot process against the local Discord, PostgreSQL and RabbitMQ: what players see.
import { createGameService } from '@game-scheduler/games';
import { createConnection, createEvent, createPublisher } from '@game-scheduler/messaging';
import { eventually, getServices, uniqueName } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANNOUNCEMENTS,
  GENERAL,
  GUILD_ID,
  HANA,
  PAT,
  RIO,
  createWorld,
  tomorrow,
  type World,
} from './support/world.ts';

let world: World;

beforeAll(async () => {
  world = await createWorld('bot_e2e');
}, 90_000);

afterAll(async () => {
  await world.close();
});

interface Button {
  custom_id: string;
  label: string;
  disabled: boolean;
}

function buttons(messageId: string): Button[] {
  const rows = (world.sim.message(messageId)?.components ?? []) as { components: Button[] }[];
  return rows.flatMap((row) =>
    row.components.map(({ custom_id, label, disabled }) => ({ custom_id, label, disabled })),
  );
}

describe('/create-game', () => {
  it('posts the announcement with an embed, Discord timestamps and Join/Leave buttons', async () => {
    const answer = await world.command(HANA, 'create-game', {
      title: 'Catan night',
      ...tomorrow(),
      duration: 90,
      'max-players': 2,
      where: 'Voice 1',
    });
    expect(answer).toMatch(/^Created \*\*Catan night\*\*/);
    const game = await world.prisma.game.findFirstOrThrow({ where: { title: 'Catan night' } });
    expect(game.messageId).not.toBeNull();
    expect(answer).toContain(game.messageId);
    const message = world.sim.message(game.messageId!);
    expect(message?.channel_id).toBe(ANNOUNCEMENTS);
    const seconds = String(game.startsAt.getTime() / 1000);
    expect(message?.embeds).toEqual([
      expect.objectContaining({
        title: 'Catan night',
        fields: expect.arrayContaining([
          { name: 'When', value: `<t:${seconds}:F> (<t:${seconds}:R>)` },
          { name: 'Where', value: 'Voice 1', inline: true },
          { name: 'Host', value: `<@${HANA}>`, inline: true },
          { name: 'Players 0/2', value: 'Nobody yet' },
        ]),
      }),
    ]);
    expect(buttons(game.messageId!)).toEqual([
      { custom_id: `game:join:${game.id}`, label: 'Join', disabled: false },
      { custom_id: `game:leave:${game.id}`, label: 'Leave', disabled: false },
    ]);
  });
});

describe('Join and Leave', () => {
  it('fill the roster to the cap and put the next player on the waitlist', async () => {
    const game = await world.createGame('Two-seat duel', { 'max-players': 2 });
    const join = `game:join:${game.id}`;

    expect(await world.click(PAT, game.messageId, join)).toBe(
      "You're in **Two-seat duel** (1/2 players).",
    );
    expect(await world.click(RIO, game.messageId, join)).toBe(
      "You're in **Two-seat duel** (2/2 players).",
    );
    expect(await world.click(HANA, game.messageId, join)).toBe(
      "**Two-seat duel** is full: you're number 1 on the waitlist. You'll get a DM if a spot opens.",
    );
    expect(await world.click(PAT, game.messageId, join)).toBe('You are already in this game.');

    await eventually(() =>
      world.embedField(game.messageId, 'Waitlist')?.value === `1. <@${HANA}>` ? true : undefined,
    );
    expect(world.embedField(game.messageId, 'Players')).toEqual({
      name: 'Players 2/2',
      value: `1. <@${PAT}>\n2. <@${RIO}>`,
    });
  });

  it('promotes the first waitlisted player when someone leaves, and DMs them', async () => {
    const game = await world.createGame('Chess club', { 'max-players': 1 });
    const join = `game:join:${game.id}`;
    await world.click(PAT, game.messageId, join);
    await world.click(RIO, game.messageId, join);

    expect(await world.click(PAT, game.messageId, `game:leave:${game.id}`)).toBe(
      'You left **Chess club**.',
    );
    const dm = await world.sim.waitForDm(RIO, (message) =>
      String(message.content).includes('Chess club'),
    );
    expect(dm.content).toMatch(
      /^A spot opened up: you're now playing \*\*Chess club\*\* on <t:\d+:F>\.$/,
    );
    await eventually(() =>
      world.embedField(game.messageId, 'Players')?.value === `1. <@${RIO}>` ? true : undefined,
    );
    expect(world.embedField(game.messageId, 'Waitlist')).toBeUndefined();
    expect(await world.click(PAT, game.messageId, `game:leave:${game.id}`)).toBe(
      'Not in this game.',
    );
  });
});

describe('/cancel-game', () => {
  it('is refused to someone other than the host or a bot manager', async () => {
    const game = await world.createGame('Host-only cancel');
    expect(await world.command(PAT, 'cancel-game', { game: game.id })).toBe(
      'Only the host or a bot manager can do this',
    );
    expect((await world.prisma.game.findUniqueOrThrow({ where: { id: game.id } })).status).toBe(
      'SCHEDULED',
    );
  });

  it('by the host updates the announcement (buttons disabled) and tells the players', async () => {
    const game = await world.createGame('Rained out', { 'max-players': 4 });
    await world.click(PAT, game.messageId, `game:join:${game.id}`);
    await world.click(RIO, game.messageId, `game:join:${game.id}`);

    expect(
      await world.command(HANA, 'cancel-game', { game: game.id, reason: 'Storm warning' }),
    ).toBe('Cancelled **Rained out**. The players will be told.');

    for (const player of [PAT, RIO]) {
      const dm = await world.sim.waitForDm(player, (message) =>
        String(message.content).includes('Rained out'),
      );
      expect(dm.content).toMatch(
        new RegExp(
          `^\\*\\*Rained out\\*\\* on <t:\\d+:F> was cancelled by <@${HANA}>\\. Reason: Storm warning$`,
        ),
      );
    }
    await eventually(() =>
      world.embedField(game.messageId, 'Status')?.value === 'Cancelled' ? true : undefined,
    );
    expect(buttons(game.messageId).map((button) => button.disabled)).toEqual([true, true]);
    expect(world.sim.dms(HANA).some((m) => String(m.content).includes('Rained out'))).toBe(false);
  });
});

describe('/cancel-game by a bot manager', () => {
  it("cancels another member's game", async () => {
    await world.command(PAT, 'create-game', { title: "Pat's game", ...tomorrow() });
    const game = await world.prisma.game.findFirstOrThrow({ where: { title: "Pat's game" } });
    const hanaRoles = world.sim.store.getMember(GUILD_ID, HANA)?.roleIds ?? [];
    expect(hanaRoles.length).toBeGreaterThan(0);
    await world.prisma.guild.update({
      where: { id: GUILD_ID },
      data: { botManagerRoleIds: hanaRoles },
    });
    try {
      expect(await world.command(RIO, 'cancel-game', { game: game.id })).toBe(
        'Only the host or a bot manager can do this',
      );
      expect(await world.command(HANA, 'cancel-game', { game: game.id })).toBe(
        "Cancelled **Pat's game**. The players will be told.",
      );
    } finally {
      await world.prisma.guild.update({ where: { id: GUILD_ID }, data: { botManagerRoleIds: [] } });
    }
  });
});

describe('a game created through the API', () => {
  it('gets its announcement from the bot, relayed by the outbox', async () => {
    const games = createGameService({
      prisma: world.prisma,
      directory: {
        guild: () => Promise.resolve({ name: 'Game Night' }),
        channel: () => Promise.resolve({ guildId: GUILD_ID, name: 'game-announcements' }),
      },
      guildAccess: { membership: (guildId) => Promise.resolve({ guildId, roleIds: [] }) },
      source: 'api',
    });
    await world.prisma.user.upsert({ where: { id: PAT }, create: { id: PAT }, update: {} });
    const game = await games.create(PAT, {
      guildId: GUILD_ID,
      channelId: ANNOUNCEMENTS,
      title: 'Made on the web',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      durationMinutes: 60,
    });

    const messageId = await eventually(async () => {
      const row = await world.prisma.game.findUniqueOrThrow({ where: { id: game.id } });
      return row.messageId ?? undefined;
    });
    expect(world.sim.message(messageId)).toMatchObject({
      channel_id: ANNOUNCEMENTS,
      embeds: [expect.objectContaining({ title: 'Made on the web' })],
    });
    expect(
      world.sim
        .messages(ANNOUNCEMENTS)
        .filter((m) =>
          (m.embeds as { title?: string }[] | undefined)?.some(
            (e) => e.title === 'Made on the web',
          ),
        ),
    ).toHaveLength(1);
  });
});

describe('a deleted announcement', () => {
  it('is posted again on the next change instead of being orphaned', async () => {
    const game = await world.createGame('Phoenix game', { 'max-players': 3 });
    const deleted = await fetch(
      `${world.sim.apiUrl}/v10/channels/${ANNOUNCEMENTS}/messages/${game.messageId}`,
      { method: 'DELETE', headers: { authorization: `Bot ${world.sim.application.botToken}` } },
    );
    expect(deleted.status).toBe(204);

    const games = createGameService({
      prisma: world.prisma,
      directory: { guild: () => Promise.resolve(null), channel: () => Promise.resolve(null) },
      guildAccess: { membership: (guildId) => Promise.resolve({ guildId, roleIds: [] }) },
      source: 'api',
    });
    await world.prisma.user.upsert({ where: { id: RIO }, create: { id: RIO }, update: {} });
    await games.join(RIO, game.id);

    const reposted = await eventually(async () => {
      const row = await world.prisma.game.findUniqueOrThrow({ where: { id: game.id } });
      return row.messageId !== game.messageId ? row.messageId : undefined;
    });
    expect(reposted).not.toBeNull();
    expect(world.embedField(reposted!, 'Players')).toEqual({
      name: 'Players 1/3',
      value: `1. <@${RIO}>`,
    });
  });
});

describe('/list-games and /my-games', () => {
  it('list the upcoming games of a channel, of the server, and of the player', async () => {
    const here = await world.createGame('Listed here');
    await world.command(
      HANA,
      'create-game',
      { title: 'Listed in general', ...tomorrow() },
      GENERAL,
    );
    await world.click(PAT, here.messageId, `game:join:${here.id}`);

    const inChannel = await world.command(PAT, 'list-games', {});
    expect(inChannel).toContain('**Listed here**');
    expect(inChannel).not.toContain('Listed in general');

    const other = await world.command(PAT, 'list-games', { channel: GENERAL });
    expect(other).toContain('**Listed in general**');
    expect(other).not.toContain('Listed here');

    const all = await world.command(PAT, 'list-games', { 'whole-server': true });
    expect(all).toContain('Listed here');
    expect(all).toContain('Listed in general');

    const mine = await world.command(PAT, 'my-games');
    expect(mine).toMatch(/Listed here.*— playing/);
    expect(mine).not.toContain('Listed in general');
    const hosting = await world.command(HANA, 'my-games');
    expect(hosting).toMatch(/Listed in general.*— hosting/);
  });
});

describe('a game that starts', () => {
  it('gets its buttons disabled when game.status_changed arrives', async () => {
    const game = await world.createGame('Starting now');
    await world.prisma.game.update({ where: { id: game.id }, data: { status: 'IN_PROGRESS' } });
    const connection = await createConnection({
      url: getServices().rabbitmqUrl,
      connectionName: uniqueName('bot-e2e-publisher'),
    });
    const publisher = createPublisher({ connection, exchange: `${world.namespace}.events` });
    try {
      await publisher.publish(
        createEvent('game.status_changed', {
          gameId: game.id,
          guildId: game.guildId,
          channelId: game.channelId,
          announcementMessageId: game.messageId,
          title: game.title,
          from: 'SCHEDULED',
          to: 'IN_PROGRESS',
          changedAt: new Date().toISOString(),
        }),
      );
    } finally {
      await publisher.close();
      await connection.close();
    }
    await eventually(() =>
      world.embedField(game.messageId, 'Status')?.value === 'In progress' ? true : undefined,
    );
    expect(buttons(game.messageId).map((button) => button.disabled)).toEqual([true, true]);
  });
});

describe('start times', () => {
  it("are read in the server's time zone unless the command names one", async () => {
    await world.prisma.guild.update({
      where: { id: GUILD_ID },
      data: { timeZone: 'America/New_York' },
    });
    try {
      await world.command(HANA, 'create-game', {
        title: 'New York time',
        date: '2027-07-01',
        time: '7:30pm',
      });
      await world.command(HANA, 'create-game', {
        title: 'Berlin time',
        date: '2027-07-01',
        time: '19:30',
        'time-zone': 'Europe/Berlin',
      });
    } finally {
      await world.prisma.guild.update({ where: { id: GUILD_ID }, data: { timeZone: 'UTC' } });
    }
    const newYork = await world.prisma.game.findFirstOrThrow({ where: { title: 'New York time' } });
    const berlin = await world.prisma.game.findFirstOrThrow({ where: { title: 'Berlin time' } });
    expect(newYork.startsAt.toISOString()).toBe('2027-07-01T23:30:00.000Z');
    expect(berlin.startsAt.toISOString()).toBe('2027-07-01T17:30:00.000Z');
  });

  it('refuse a time the clocks skip, saying why', async () => {
    const answer = await world.command(HANA, 'create-game', {
      title: 'Never happens',
      date: '2027-03-28',
      time: '02:30',
      'time-zone': 'Europe/Berlin',
    });
    expect(answer).toContain('does not exist because the clocks go forward');
    expect(await world.prisma.game.count({ where: { title: 'Never happens' } })).toBe(0);
  });
});

describe('the bot process', () => {
  it('shuts down on SIGTERM with exit code 0', async () => {
    const code = await world.bot.stop();
    // the last lines say why, should it ever exit otherwise
    expect(code, world.bot.output().split('\n').slice(-15).join('\n')).toBe(0);
  });
});
