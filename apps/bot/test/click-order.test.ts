// A user's clicks on one game take effect in the order they were made: Join then Leave sent back to
// back (a fast double action, or two clicks delivered together while the bot catches up) must
// leave the user out of the game, with both answers as asked, never "not in this game" for the Leave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANA, createWorld, type World } from './support/world.ts';

let world: World;

beforeAll(async () => {
  world = await createWorld('bot_click_order');
}, 120_000);

afterAll(async () => {
  await world.close();
});

const USERS = 20;

describe('Join then Leave by the same user, back to back', () => {
  it('runs them in the order they were clicked', async () => {
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await world.command(HANA, 'create-game', { title: 'Quick change', date: day, time: '18:00' });
    const game = await world.prisma.game.findFirstOrThrow({ where: { title: 'Quick change' } });
    const messageId = game.messageId!;
    const users = world.addPlayers(USERS, 'quick');

    const clicks = users.map((userId) => ({
      join: world.sim.clickButton({ userId, messageId, customId: `game:join:${game.id}` }),
      leave: world.sim.clickButton({ userId, messageId, customId: `game:leave:${game.id}` }),
    }));
    const answers = await Promise.all(
      clicks.map(async ({ join, leave }) => ({
        join: await world.answer(join.id, 30_000),
        leave: await world.answer(leave.id, 30_000),
      })),
    );

    for (const answer of answers) {
      expect(answer.join).toMatch(/^You're in \*\*Quick change\*\*/);
      expect(answer.leave).toBe('You left **Quick change**.');
    }
    expect(await world.prisma.participant.count({ where: { gameId: game.id } })).toBe(0);
  });
});
