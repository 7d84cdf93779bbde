import type { Game, Participant } from '@game-scheduler/db';
import { rosterOf } from '@game-scheduler/games';
import { describe, expect, it } from 'vitest';
import { announcementMessage, formatDuration, nameList } from './announcement-message.ts';

const GAME: Game = {
  id: '4d2593b1-110a-45b4-97ac-7c37d7a1e2f6',
  guildId: '1300000000000000201',
  channelId: '1300000000000000402',
  messageId: null,
  hostId: '1300000000000000101',
  templateId: null,
  title: 'Catan',
  description: 'Bring snacks',
  startsAt: new Date('2026-12-01T19:30:00Z'),
  durationMinutes: 150,
  maxPlayers: 2,
  reminderMinutes: [60],
  where: null,
  status: 'SCHEDULED',
  createdAt: new Date('2026-11-01T00:00:00Z'),
  updatedAt: new Date('2026-11-01T00:00:00Z'),
};

function participants(count: number): Participant[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    gameId: GAME.id,
    userId: String(1400000000000000000n + BigInt(i)),
    displayName: null,
    joinSequence: i + 1,
    joinedAt: new Date('2026-11-02T00:00:00Z'),
  }));
}

interface Row {
  components: { label: string; disabled: boolean }[];
}

describe('announcementMessage', () => {
  it('shows players n/cap with the confirmed list and the waitlist in join order', () => {
    const message = announcementMessage(GAME, rosterOf(2, participants(3)));
    const fields = message.embeds?.[0]?.fields ?? [];
    expect(fields.find((f) => f.name.startsWith('Players'))).toEqual({
      name: 'Players 2/2',
      value: '1. <@1400000000000000000>\n2. <@1400000000000000001>',
    });
    expect(fields.find((f) => f.name.startsWith('Waitlist'))).toEqual({
      name: 'Waitlist 1',
      value: '1. <@1400000000000000002>',
    });
    expect(message.embeds?.[0]?.description).toBe('Bring snacks');
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('disables Join and Leave once the game has started or was cancelled', () => {
    for (const status of ['IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const) {
      const message = announcementMessage({ ...GAME, status }, rosterOf(2, []));
      const rows = message.components as unknown as Row[];
      expect(rows[0]?.components.map((button) => button.disabled)).toEqual([true, true]);
    }
    const open = announcementMessage(GAME, rosterOf(2, []));
    expect((open.components as unknown as Row[])[0]?.components.map((b) => b.label)).toEqual([
      'Join',
      'Leave',
    ]);
  });
});

describe('nameList', () => {
  it('stays within an embed field, saying how many are left out', () => {
    const roster = rosterOf(null, participants(80));
    const text = nameList(roster.confirmed, '');
    expect(text.length).toBeLessThanOrEqual(1024);
    expect(text).toMatch(/\n… and \d+ more$/);
  });
});

describe('formatDuration', () => {
  it('reads as hours and minutes', () => {
    expect(formatDuration(45)).toBe('45 min');
    expect(formatDuration(120)).toBe('2 h');
    expect(formatDuration(150)).toBe('2 h 30 min');
  });
});
