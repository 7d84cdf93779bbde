import { describe, expect, it } from 'vitest';
import { gameCreatedPayload, GUILD_ID, CHANNEL_ID, PLAYER_IDS } from '../../test/support/events.ts';
import { DomainError } from '@game-scheduler/domain';
import { contractViolationOf } from '../errors.ts';
import { createEvent } from './create-event.ts';
import { parseEvent } from './parse-event.ts';

function envelope(type: string, payload: unknown, version = 1): Record<string, unknown> {
  return {
    id: '6f1c1c1e-3c1a-4b8e-9a4e-0b1b2c3d4e5f',
    type,
    version,
    occurredAt: '2026-11-24T04:00:00.000Z',
    payload,
  };
}

function contractError(input: unknown): DomainError {
  try {
    parseEvent(input);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('parseEvent accepted the input');
}

describe('event contracts', () => {
  it('accepts a valid game.created v1 event and types it', () => {
    const event = parseEvent(envelope('game.created', gameCreatedPayload()));
    expect(event.type).toBe('game.created');
    if (event.type === 'game.created') expect(event.payload.title).toBe('Friday raid');
  });

  it('accepts each of the five event types', () => {
    const location = {
      gameId: 'game-1',
      guildId: GUILD_ID,
      channelId: CHANNEL_ID,
      announcementMessageId: '300000000000000001',
    };
    const roster = { participantUserIds: [PLAYER_IDS[0]], waitlistUserIds: [] };
    const events = [
      createEvent('game.created', gameCreatedPayload()),
      createEvent('game.updated', {
        ...location,
        ...roster,
        title: 'Friday raid',
        startsAt: '2026-11-27T19:00:00.000Z',
        durationMinutes: 90,
        reminderMinutesBefore: [10],
        maxPlayers: 1,
        changes: { fields: ['roster'], joinedUserIds: [], leftUserIds: [], promotedUserIds: [] },
      }),
      createEvent('game.cancelled', {
        ...location,
        ...roster,
        title: 'Friday raid',
        startsAt: '2026-11-27T19:00:00.000Z',
        cancelledByUserId: PLAYER_IDS[1],
        reason: null,
      }),
      createEvent('game.player_removed', {
        ...location,
        ...roster,
        title: 'Friday raid',
        startsAt: '2026-11-27T19:00:00.000Z',
        removedUserId: PLAYER_IDS[2],
        removedByUserId: PLAYER_IDS[1],
        promotedUserIds: [PLAYER_IDS[0]],
      }),
      createEvent('game.status_changed', {
        ...location,
        title: 'Friday raid',
        from: 'SCHEDULED',
        to: 'IN_PROGRESS',
        changedAt: '2026-11-27T19:00:00.000Z',
      }),
    ];
    expect(events.map((event) => parseEvent(event).type)).toEqual([
      'game.created',
      'game.updated',
      'game.cancelled',
      'game.player_removed',
      'game.status_changed',
    ]);
  });

  it('returns an event it checked before as it is, and still checks a copy', () => {
    const created = createEvent('game.created', gameCreatedPayload());
    expect(parseEvent(created)).toBe(created);
    const read = parseEvent(JSON.parse(JSON.stringify(created)));
    expect(read).not.toBe(created);
    expect(read).toEqual(created);
    expect(parseEvent(read)).toBe(read);
    const broken = { ...created, payload: { ...created.payload, title: '' } };
    expect(contractError(broken).message).toContain('payload.title');
  });

  it('names the offending payload field', () => {
    const error = contractError(envelope('game.created', gameCreatedPayload({ title: '' })));
    expect(contractViolationOf(error)).toBe('INVALID');
    expect(error.message).toContain('payload.title');
  });

  it('names a missing nested field with its path', () => {
    const payload: Record<string, unknown> = { ...gameCreatedPayload() };
    delete payload.guildId;
    expect(contractError(envelope('game.created', payload)).message).toContain('payload.guildId');
  });

  it('names an invalid element of a list by its index', () => {
    const error = contractError(
      envelope('game.created', gameCreatedPayload({ participantUserIds: ['not-a-snowflake'] })),
    );
    expect(error.message).toContain('payload.participantUserIds.0');
  });

  it('rejects an envelope without a uuid message id, naming the id', () => {
    const error = contractError({ ...envelope('game.created', gameCreatedPayload()), id: 'x' });
    expect(contractViolationOf(error)).toBe('INVALID');
    expect(error.message).toContain('id:');
  });

  it('rejects an unknown version of a known type', () => {
    const error = contractError(envelope('game.created', gameCreatedPayload(), 2));
    expect(contractViolationOf(error)).toBe('UNKNOWN_VERSION');
  });

  it('rejects an unknown event type', () => {
    expect(contractViolationOf(contractError(envelope('game.exploded', {})))).toBe('UNKNOWN_TYPE');
  });

  it('refuses to create an event whose payload breaks the contract', () => {
    expect(() => createEvent('game.created', gameCreatedPayload({ durationMinutes: -5 }))).toThrow(
      /payload\.durationMinutes/,
    );
  });

  it('gives every created event its own uuid message id', () => {
    const a = createEvent('game.created', gameCreatedPayload());
    const b = createEvent('game.created', gameCreatedPayload());
    expect(a.id).not.toBe(b.id);
    expect(a.version).toBe(1);
  });
});
