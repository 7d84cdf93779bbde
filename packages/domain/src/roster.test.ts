import { describe, expect, it } from 'vitest';
import { labels, placeholder, user, users } from '../test/participants.ts';
import {
  computeRoster,
  diffRosters,
  findUser,
  isFull,
  nextPosition,
  openSpots,
  participantsOf,
  sortByJoinOrder,
  userIdsOf,
  validatePlayerCap,
} from './roster.ts';

describe('computeRoster', () => {
  it('confirms everyone up to the cap', () => {
    const roster = computeRoster(10, users(10));
    expect(roster.confirmed).toHaveLength(10);
    expect(roster.waitlist).toEqual([]);
  });

  it('puts the eleventh player on the waitlist', () => {
    const roster = computeRoster(10, users(11));
    expect(labels(roster.confirmed)).toHaveLength(10);
    expect(labels(roster.waitlist)).toEqual(['u11']);
  });

  it('keeps the waitlist in join order', () => {
    const roster = computeRoster(2, users(5));
    expect(labels(roster.confirmed)).toEqual(['u1', 'u2']);
    expect(labels(roster.waitlist)).toEqual(['u3', 'u4', 'u5']);
  });

  it('confirms everyone when the cap is unlimited', () => {
    const roster = computeRoster(null, users(250));
    expect(roster.confirmed).toHaveLength(250);
    expect(roster.waitlist).toEqual([]);
    expect(roster.cap).toBeNull();
  });

  it('puts everyone on the waitlist when the cap is zero', () => {
    const roster = computeRoster(0, users(3));
    expect(roster.confirmed).toEqual([]);
    expect(labels(roster.waitlist)).toEqual(['u1', 'u2', 'u3']);
  });

  it('gives an empty roster for a game nobody joined', () => {
    expect(computeRoster(4, [])).toEqual({ cap: 4, confirmed: [], waitlist: [] });
  });

  it('orders participants by position whatever order they arrive in', () => {
    const roster = computeRoster(2, [user('c', 30), user('a', 10), user('b', 20)]);
    expect(labels(roster.confirmed)).toEqual(['a', 'b']);
    expect(labels(roster.waitlist)).toEqual(['c']);
  });

  it('lets placeholders take spots and keep their place', () => {
    const roster = computeRoster(3, [
      placeholder('Alice', 1),
      user('u2', 2),
      placeholder('Bob', 3),
      user('u4', 4),
    ]);
    expect(labels(roster.confirmed)).toEqual(['~Alice', 'u2', '~Bob']);
    expect(labels(roster.waitlist)).toEqual(['u4']);
  });

  it('puts placeholders past the cap on the waitlist like anyone else', () => {
    const roster = computeRoster(1, [user('u1', 1), placeholder('Guest', 2)]);
    expect(labels(roster.waitlist)).toEqual(['~Guest']);
  });

  it('breaks equal positions by join time, then by input order', () => {
    const early = { ...user('early', 5), joinedAt: new Date('2026-01-01T10:00:00Z') };
    const late = { ...user('late', 5), joinedAt: new Date('2026-01-01T11:00:00Z') };
    expect(labels(computeRoster(null, [late, early]).confirmed)).toEqual(['early', 'late']);
    expect(labels(computeRoster(null, [user('x', 1), user('y', 1)]).confirmed)).toEqual(['x', 'y']);
  });

  it('returns the caller’s own participant objects', () => {
    const rows = users(2);
    const roster = computeRoster(1, rows);
    expect(roster.confirmed[0]).toBe(rows[0]);
    expect(roster.waitlist[0]?.id).toBe('row-u2');
  });

  it('does not reorder the caller’s array', () => {
    const rows = [user('b', 2), user('a', 1)];
    computeRoster(null, rows);
    expect(labels(rows)).toEqual(['b', 'a']);
  });

  it('rejects a participant without a finite position', () => {
    expect(() => computeRoster(2, [user('u1', Number.NaN)])).toThrow(/finite position/);
  });
});

describe('validatePlayerCap', () => {
  it.each([null, 0, 1, 10, 1000])('accepts %s', (cap) => {
    expect(() => {
      validatePlayerCap(cap);
    }).not.toThrow();
  });

  it.each([-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (cap) => {
    expect(() => computeRoster(cap, [])).toThrow(/player cap must be a whole number/);
  });
});

describe('roster queries', () => {
  it('counts the open spots', () => {
    expect(openSpots(computeRoster(5, users(3)))).toBe(2);
    expect(openSpots(computeRoster(2, users(3)))).toBe(0);
    expect(openSpots(computeRoster(null, users(3)))).toBeNull();
  });

  it('knows when the game is full', () => {
    expect(isFull(computeRoster(3, users(3)))).toBe(true);
    expect(isFull(computeRoster(3, users(2)))).toBe(false);
    expect(isFull(computeRoster(0, []))).toBe(true);
    expect(isFull(computeRoster(null, users(100)))).toBe(false);
  });

  it('finds a confirmed user by spot and a waiting user by place', () => {
    const roster = computeRoster(2, users(4));
    expect(findUser(roster, 'u2')?.placement).toEqual({ list: 'confirmed', spot: 2 });
    expect(findUser(roster, 'u4')?.placement).toEqual({ list: 'waitlist', place: 2 });
    expect(findUser(roster, 'u4')?.participant.id).toBe('row-u4');
    expect(findUser(roster, 'nobody')).toBeNull();
  });

  it('never mistakes a placeholder for a user', () => {
    const roster = computeRoster(null, [placeholder('u1', 1)]);
    expect(findUser(roster, 'u1')).toBeNull();
  });

  it('gives a newcomer the position after the highest', () => {
    expect(nextPosition(computeRoster(null, []))).toBe(1);
    expect(nextPosition(computeRoster(null, [user('a', 7), placeholder('P', 3)]))).toBe(8);
  });

  it('lists everyone, confirmed first', () => {
    expect(labels(participantsOf(computeRoster(1, users(3))))).toEqual(['u1', 'u2', 'u3']);
  });

  it('sorts by join order', () => {
    expect(labels(sortByJoinOrder([user('b', 2), user('a', 1)]))).toEqual(['a', 'b']);
  });

  it('collects only user ids, skipping placeholders', () => {
    expect(userIdsOf([user('a', 1), placeholder('Guest', 2), user('b', 3)])).toEqual(['a', 'b']);
  });

  it('reports who moved between two rosters of the same participants', () => {
    const rows = users(4);
    const before = computeRoster(2, rows);
    const after = computeRoster(3, rows);
    expect(labels(diffRosters(before, after).promoted)).toEqual(['u3']);
    expect(diffRosters(before, after).demoted).toEqual([]);
    expect(labels(diffRosters(after, before).demoted)).toEqual(['u3']);
  });
});
