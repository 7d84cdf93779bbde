import { createEvent } from '@game-scheduler/messaging';
import { describe, expect, it } from 'vitest';
import { isRepeatable } from './event-handler.ts';

const location = {
  gameId: '7b0c1a52-3f7e-4d0e-9a51-2f7f3c1d9e10',
  guildId: '100000000000000001',
  channelId: '100000000000000002',
  announcementMessageId: '100000000000000009',
};
const timing = {
  startsAt: '2026-11-27T19:00:00.000Z',
  durationMinutes: 120,
  reminderMinutesBefore: [60],
};
const HOST = '100000000000000003';
const PLAYER = '200000000000000001';

function rosterChange(promotedUserIds: string[]) {
  return createEvent('game.updated', {
    ...location,
    ...timing,
    participantUserIds: [HOST, ...promotedUserIds],
    waitlistUserIds: [],
    title: 'Friday raid',
    maxPlayers: 2,
    changes: { fields: ['roster'], joinedUserIds: [], leftUserIds: [PLAYER], promotedUserIds },
  });
}

describe('which events the bot may handle again without a record', () => {
  it('takes an event that only re-renders the announcement as repeatable', () => {
    expect(isRepeatable(rosterChange([]))).toBe(true);
    expect(
      isRepeatable(
        createEvent('game.status_changed', {
          ...location,
          title: 'Friday raid',
          from: 'SCHEDULED',
          to: 'IN_PROGRESS',
          changedAt: '2026-11-27T19:00:00.000Z',
        }),
      ),
    ).toBe(true);
  });

  it('handles once every event that DMs someone', () => {
    expect(isRepeatable(rosterChange([PLAYER]))).toBe(false);
    expect(
      isRepeatable(
        createEvent('game.cancelled', {
          ...location,
          participantUserIds: [HOST, PLAYER],
          waitlistUserIds: [],
          title: 'Friday raid',
          startsAt: timing.startsAt,
          cancelledByUserId: HOST,
          reason: null,
        }),
      ),
    ).toBe(false);
    expect(
      isRepeatable(
        createEvent('game.player_removed', {
          ...location,
          participantUserIds: [HOST],
          waitlistUserIds: [],
          title: 'Friday raid',
          startsAt: timing.startsAt,
          removedUserId: PLAYER,
          removedByUserId: HOST,
          promotedUserIds: [],
        }),
      ),
    ).toBe(false);
  });
});
