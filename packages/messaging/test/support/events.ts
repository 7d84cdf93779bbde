// Sample event payloads for tests.
import type { PayloadOf } from '../../src/index.ts';

export const GUILD_ID = '100000000000000001';
export const CHANNEL_ID = '100000000000000002';
export const HOST_ID = '100000000000000003';
export const PLAYER_IDS: readonly [string, string, string] = [
  '200000000000000001',
  '200000000000000002',
  '200000000000000003',
];

export function gameCreatedPayload(
  overrides: Partial<PayloadOf<'game.created'>> = {},
): PayloadOf<'game.created'> {
  return {
    gameId: 'game-1',
    guildId: GUILD_ID,
    channelId: CHANNEL_ID,
    announcementMessageId: null,
    title: 'Friday raid',
    description: null,
    hostUserId: HOST_ID,
    startsAt: '2026-11-27T19:00:00.000Z',
    durationMinutes: 120,
    reminderMinutesBefore: [60, 10],
    maxPlayers: 6,
    participantUserIds: [HOST_ID],
    waitlistUserIds: [],
    createdVia: 'api',
    ...overrides,
  };
}
