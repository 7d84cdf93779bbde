// The real bot process against the local Discord, PostgreSQL and RabbitMQ: what players see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOUNCEMENTS, HANA, createWorld, type World } from './support/world.ts';

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

function tomorrow(): { date: string; time: string } {
  const day = new Date(Date.now() + 86_400_000);
  return { date: day.toISOString().slice(0, 10), time: '19:30' };
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
