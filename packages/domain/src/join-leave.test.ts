import { describe, expect, it } from 'vitest';
import { labels, placeholder, user, users } from '../test/participants.ts';
import { join, leave, outcomeError, removeParticipant } from './join-leave.ts';
import { computeRoster } from './roster.ts';
import { GAME_STATUSES } from './status-machine.ts';

describe('join', () => {
  it('confirms a player while there is room', () => {
    const outcome = join(computeRoster(10, users(3)), 'new', 'SCHEDULED');
    expect(outcome).toMatchObject({
      kind: 'confirmed',
      spot: 4,
      participant: { kind: 'user', userId: 'new', position: 4 },
    });
    if (outcome.kind !== 'confirmed') return;
    expect(labels(outcome.roster.confirmed)).toEqual(['u1', 'u2', 'u3', 'new']);
  });

  it('puts the eleventh player on the waitlist', () => {
    const outcome = join(computeRoster(10, users(10)), 'u11', 'SCHEDULED');
    expect(outcome).toMatchObject({ kind: 'waitlisted', place: 1 });
    if (outcome.kind !== 'waitlisted') return;
    expect(labels(outcome.roster.waitlist)).toEqual(['u11']);
  });

  it('gives the waitlist place behind those already waiting', () => {
    const outcome = join(computeRoster(2, users(5)), 'late', 'SCHEDULED');
    expect(outcome).toMatchObject({ kind: 'waitlisted', place: 4 });
  });

  it('always confirms in an unlimited game', () => {
    expect(join(computeRoster(null, users(500)), 'x', 'SCHEDULED')).toMatchObject({
      kind: 'confirmed',
      spot: 501,
    });
  });

  it('waitlists everyone when the cap is zero', () => {
    expect(join(computeRoster(0, []), 'x', 'SCHEDULED')).toMatchObject({
      kind: 'waitlisted',
      place: 1,
    });
  });

  it('counts placeholders as taken spots', () => {
    const roster = computeRoster(2, [placeholder('Alice', 1), placeholder('Bob', 2)]);
    expect(join(roster, 'u1', 'SCHEDULED')).toMatchObject({ kind: 'waitlisted', place: 1 });
  });

  it('places a newcomer after the highest position even with gaps', () => {
    const outcome = join(computeRoster(null, [user('a', 4), user('b', 9)]), 'c', 'SCHEDULED');
    expect(outcome).toMatchObject({ participant: { position: 10 }, spot: 3 });
  });

  it('tells a confirmed player who joins twice that they are already in', () => {
    const roster = computeRoster(2, users(3));
    const outcome = join(roster, 'u1', 'SCHEDULED');
    expect(outcome).toMatchObject({
      kind: 'already-joined',
      placement: { list: 'confirmed', spot: 1 },
      participant: { id: 'row-u1' },
    });
  });

  it('tells a waiting player who joins twice their waitlist place', () => {
    const outcome = join(computeRoster(2, users(3)), 'u3', 'SCHEDULED');
    expect(outcome).toMatchObject({
      kind: 'already-joined',
      placement: { list: 'waitlist', place: 1 },
    });
  });

  it.each(GAME_STATUSES.filter((s) => s !== 'SCHEDULED'))(
    'refuses to join a game that is %s',
    (status) => {
      expect(join(computeRoster(10, []), 'u1', status)).toEqual({ kind: 'not-joinable', status });
    },
  );

  it('refuses a full game instead of waitlisting when the waitlist is off', () => {
    const roster = computeRoster(2, users(2));
    expect(join(roster, 'u3', 'SCHEDULED', { waitlist: false })).toEqual({ kind: 'full', cap: 2 });
    expect(join(computeRoster(3, users(2)), 'u3', 'SCHEDULED', { waitlist: false })).toMatchObject({
      kind: 'confirmed',
    });
  });

  it('leaves the roster it was given unchanged', () => {
    const roster = computeRoster(2, users(2));
    join(roster, 'u3', 'SCHEDULED');
    expect(labels(roster.confirmed)).toEqual(['u1', 'u2']);
    expect(roster.waitlist).toEqual([]);
  });
});

describe('leave', () => {
  it('promotes the first waiting player when a confirmed player leaves', () => {
    const outcome = leave(computeRoster(3, users(5)), 'u2', 'SCHEDULED');
    expect(outcome).toMatchObject({
      kind: 'removed',
      participant: { id: 'row-u2' },
      placement: { list: 'confirmed', spot: 2 },
    });
    if (outcome.kind !== 'removed') return;
    expect(labels(outcome.promoted)).toEqual(['u4']);
    expect(labels(outcome.roster.confirmed)).toEqual(['u1', 'u3', 'u4']);
    expect(labels(outcome.roster.waitlist)).toEqual(['u5']);
  });

  it('promotes no one when a waiting player leaves', () => {
    const outcome = leave(computeRoster(2, users(4)), 'u3', 'SCHEDULED');
    expect(outcome).toMatchObject({ kind: 'removed', placement: { list: 'waitlist', place: 1 } });
    if (outcome.kind !== 'removed') return;
    expect(outcome.promoted).toEqual([]);
    expect(labels(outcome.roster.waitlist)).toEqual(['u4']);
  });

  it('promotes no one when nobody is waiting', () => {
    const outcome = leave(computeRoster(5, users(3)), 'u1', 'SCHEDULED');
    expect(outcome.kind === 'removed' && outcome.promoted).toEqual([]);
  });

  it('promotes no one in an unlimited game', () => {
    const outcome = leave(computeRoster(null, users(3)), 'u1', 'SCHEDULED');
    expect(outcome.kind === 'removed' && outcome.promoted).toEqual([]);
  });

  it('promotes a waiting placeholder too, which has no one to notify', () => {
    const roster = computeRoster(1, [user('u1', 1), placeholder('Guest', 2), user('u3', 3)]);
    const outcome = leave(roster, 'u1', 'SCHEDULED');
    expect(outcome.kind === 'removed' && labels(outcome.promoted)).toEqual(['~Guest']);
  });

  it('says so when the player was not in the game', () => {
    expect(leave(computeRoster(2, users(2)), 'stranger', 'SCHEDULED')).toEqual({
      kind: 'not-in-game',
    });
  });

  it('refuses to change the roster of a game that is no longer scheduled', () => {
    expect(leave(computeRoster(2, users(2)), 'u1', 'IN_PROGRESS')).toEqual({
      kind: 'not-joinable',
      status: 'IN_PROGRESS',
    });
  });

  it('keeps the remaining promotion order after several departures', () => {
    let roster = computeRoster(2, users(6));
    const promoted: string[] = [];
    for (const userId of ['u1', 'u2', 'u4']) {
      const outcome = leave(roster, userId, 'SCHEDULED');
      if (outcome.kind !== 'removed') throw new Error(`expected ${userId} to leave`);
      promoted.push(...labels(outcome.promoted));
      roster = outcome.roster;
    }
    expect(promoted).toEqual(['u3', 'u4', 'u5']);
    expect(labels(roster.confirmed)).toEqual(['u3', 'u5']);
    expect(labels(roster.waitlist)).toEqual(['u6']);
  });
});

describe('removeParticipant', () => {
  it('lets the host remove a player with the same promotion rule', () => {
    const outcome = removeParticipant(computeRoster(2, users(3)), { userId: 'u1' }, 'SCHEDULED');
    expect(outcome.kind === 'removed' && labels(outcome.promoted)).toEqual(['u3']);
  });

  it('removes a placeholder by its position', () => {
    const roster = computeRoster(2, [user('u1', 1), placeholder('Guest', 2), user('u3', 3)]);
    const outcome = removeParticipant(roster, { position: 2 }, 'SCHEDULED');
    expect(outcome).toMatchObject({
      kind: 'removed',
      participant: { kind: 'placeholder', displayName: 'Guest' },
    });
    expect(outcome.kind === 'removed' && labels(outcome.promoted)).toEqual(['u3']);
  });

  it('removes a waiting participant by position without promoting anyone', () => {
    const outcome = removeParticipant(computeRoster(1, users(3)), { position: 3 }, 'SCHEDULED');
    expect(outcome).toMatchObject({ kind: 'removed', placement: { list: 'waitlist', place: 2 } });
    expect(outcome.kind === 'removed' && outcome.promoted).toEqual([]);
  });

  it('says so when no participant has that position', () => {
    expect(removeParticipant(computeRoster(1, users(1)), { position: 9 }, 'SCHEDULED')).toEqual({
      kind: 'not-in-game',
    });
  });

  it('refuses once the game is over', () => {
    expect(removeParticipant(computeRoster(1, users(1)), { userId: 'u1' }, 'COMPLETED')).toEqual({
      kind: 'not-joinable',
      status: 'COMPLETED',
    });
  });
});

describe('outcomeError', () => {
  it('has no error for outcomes that changed the roster', () => {
    expect(outcomeError(join(computeRoster(1, []), 'a', 'SCHEDULED'))).toBeNull();
    expect(outcomeError(join(computeRoster(0, []), 'a', 'SCHEDULED'))).toBeNull();
    expect(outcomeError(leave(computeRoster(1, users(1)), 'u1', 'SCHEDULED'))).toBeNull();
  });

  it('maps a double join to ALREADY_JOINED', () => {
    const confirmed = outcomeError(join(computeRoster(1, users(2)), 'u1', 'SCHEDULED'));
    expect(confirmed?.code).toBe('ALREADY_JOINED');
    expect(confirmed?.message).toBe('You are already in this game.');
    const waiting = outcomeError(join(computeRoster(1, users(2)), 'u2', 'SCHEDULED'));
    expect(waiting?.message).toBe('You are already on the waitlist for this game.');
  });

  it('maps a refused full game to GAME_FULL', () => {
    const error = outcomeError({ kind: 'full', cap: 4 });
    expect(error?.code).toBe('GAME_FULL');
    expect(error?.details).toEqual({ cap: 4 });
  });

  it('maps a closed game to GAME_NOT_JOINABLE', () => {
    expect(outcomeError({ kind: 'not-joinable', status: 'CANCELLED' })?.message).toMatch(
      /while the game is CANCELLED/,
    );
  });

  it('maps leaving a game one is not in to NOT_JOINED', () => {
    expect(outcomeError({ kind: 'not-in-game' })?.code).toBe('NOT_JOINED');
  });
});
