import { describe, expect, it } from 'vitest';
import { labels, placeholder, user, users } from '../test/participants.ts';
import { changeCap } from './cap-change.ts';
import { join } from './join-leave.ts';
import { computeRoster } from './roster.ts';

describe('changeCap', () => {
  it('promotes waiting players in order when the cap is raised', () => {
    const change = changeCap(computeRoster(2, users(5)), 4);
    expect(labels(change.promoted)).toEqual(['u3', 'u4']);
    expect(change.demoted).toEqual([]);
    expect(labels(change.roster.waitlist)).toEqual(['u5']);
  });

  it('promotes everyone waiting when the cap becomes unlimited', () => {
    const change = changeCap(computeRoster(1, users(3)), null);
    expect(labels(change.promoted)).toEqual(['u2', 'u3']);
    expect(change.roster.waitlist).toEqual([]);
  });

  it('moves the latest confirmed players to the head of the waitlist when the cap is lowered', () => {
    const change = changeCap(computeRoster(4, users(5)), 2);
    expect(labels(change.demoted)).toEqual(['u3', 'u4']);
    expect(change.promoted).toEqual([]);
    expect(labels(change.roster.waitlist)).toEqual(['u3', 'u4', 'u5']);
  });

  it('promotes demoted players first when the cap goes back up', () => {
    const lowered = changeCap(computeRoster(4, users(5)), 2);
    const raised = changeCap(lowered.roster, 3);
    expect(labels(raised.promoted)).toEqual(['u3']);
  });

  it('moves everyone to the waitlist when the cap drops to zero', () => {
    const change = changeCap(computeRoster(3, users(2)), 0);
    expect(labels(change.demoted)).toEqual(['u1', 'u2']);
    expect(change.roster.confirmed).toEqual([]);
  });

  it('changes nobody when the cap stays the same or still fits everyone', () => {
    expect(changeCap(computeRoster(3, users(5)), 3)).toMatchObject({ promoted: [], demoted: [] });
    expect(changeCap(computeRoster(10, users(5)), 6)).toMatchObject({ promoted: [], demoted: [] });
  });

  it('keeps placeholders in their place', () => {
    const roster = computeRoster(3, [user('u1', 1), placeholder('Guest', 2), user('u3', 3)]);
    expect(labels(changeCap(roster, 1).demoted)).toEqual(['~Guest', 'u3']);
  });

  it('works on a roster produced by a join', () => {
    const outcome = join(computeRoster(1, users(1)), 'late', 'SCHEDULED');
    if (outcome.kind !== 'waitlisted') throw new Error('expected the waitlist');
    expect(labels(changeCap(outcome.roster, 2).promoted)).toEqual(['late']);
  });

  it('rejects an invalid cap', () => {
    expect(() => changeCap(computeRoster(3, users(1)), -2)).toThrow(/player cap/);
  });
});
