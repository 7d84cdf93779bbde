import { describe, expect, it } from 'vitest';
import { describeMinutes, fallbackText, reminderText } from './reminder-text.ts';

const startsAt = new Date('2026-12-04T19:30:00Z');

describe('reminderText', () => {
  it('tells a confirmed player when the game starts', () => {
    expect(
      reminderText({
        title: 'Catan',
        startsAt,
        minutesBefore: 60,
        where: null,
        waitlistPosition: null,
      }),
    ).toBe('⏰ Reminder: **Catan** starts in 1 hour (<t:1796412600:F>).');
  });

  it('tells a waitlisted player that they wait, and where the game is', () => {
    expect(
      reminderText({
        title: 'Catan',
        startsAt,
        minutesBefore: 0,
        where: 'Voice 1',
        waitlistPosition: 2,
      }),
    ).toBe(
      '⏰ Reminder: **Catan** is starting now (<t:1796412600:F>).\nWhere: Voice 1\n' +
        'You are on the waitlist (#2): you will get a spot if someone leaves.',
    );
  });

  it('puts a mention in front of the channel fallback', () => {
    expect(fallbackText('42', 'hello')).toBe('<@42> hello');
  });
});

describe('describeMinutes', () => {
  it('reads minutes as days, hours and minutes', () => {
    expect(describeMinutes(1)).toBe('1 minute');
    expect(describeMinutes(90)).toBe('1 hour 30 minutes');
    expect(describeMinutes(1_440 + 120)).toBe('1 day 2 hours');
  });
});
