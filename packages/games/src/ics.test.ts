import type { Game } from '@game-scheduler/db';
import { describe, expect, it } from 'vitest';
import { foldLine, gameToIcs } from './ics.ts';

const game: Game = {
  id: '6f1c2a5e-8d2b-4b1e-9a53-0c1d2e3f4a5b',
  guildId: '1300000000000000201',
  channelId: '1300000000000000402',
  messageId: null,
  hostId: '1300000000000000101',
  templateId: null,
  title: 'Catan; base, game',
  description: 'Line one\nLine two \\ done',
  startsAt: new Date('2026-12-01T19:30:00.000Z'),
  durationMinutes: 150,
  maxPlayers: 4,
  reminderMinutes: [60],
  where: null,
  status: 'SCHEDULED',
  createdAt: new Date('2026-11-24T10:00:00.000Z'),
  updatedAt: new Date('2026-11-24T10:00:00.000Z'),
};

describe('gameToIcs', () => {
  it('writes one event in UTC with the end from the duration, CRLF line ends', () => {
    const ics = gameToIcs(game, new Date('2026-11-24T12:00:00.000Z'));
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.split('\r\n')).toEqual(
      expect.arrayContaining([
        'BEGIN:VEVENT',
        `UID:${game.id}@game-scheduler`,
        'DTSTAMP:20261124T120000Z',
        'DTSTART:20261201T193000Z',
        'DTEND:20261201T220000Z',
        'STATUS:CONFIRMED',
      ]),
    );
    expect(ics).not.toContain('LOCATION');
  });

  it('escapes semicolons, commas, backslashes and newlines in text', () => {
    const ics = gameToIcs(game);
    expect(ics).toContain('SUMMARY:Catan\\; base\\, game\r\n');
    expect(ics).toContain('DESCRIPTION:Line one\\nLine two \\\\ done\r\n');
  });

  it('marks a cancelled game as cancelled, without alarms', () => {
    const ics = gameToIcs({ ...game, status: 'CANCELLED', reminderMinutes: [60, 15] });
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).not.toContain('VALARM');
  });

  it('turns each reminder into a display alarm before the start, inside the event', () => {
    const ics = gameToIcs({ ...game, reminderMinutes: [15, 1440, 0] });
    const lines = ics.split('\r\n');
    const triggers = lines.filter((line) => line.startsWith('TRIGGER:'));
    expect(triggers).toEqual(['TRIGGER:-PT1440M', 'TRIGGER:-PT15M', 'TRIGGER:PT0M']);
    expect(lines.filter((line) => line === 'BEGIN:VALARM')).toHaveLength(3);
    expect(lines.filter((line) => line === 'ACTION:DISPLAY')).toHaveLength(3);
    expect(lines.filter((line) => line === 'DESCRIPTION:Catan\\; base\\, game')).toHaveLength(3);
    const lastAlarmEnd = lines.lastIndexOf('END:VALARM');
    expect(lines.indexOf('BEGIN:VALARM')).toBeGreaterThan(lines.indexOf('BEGIN:VEVENT'));
    expect(lastAlarmEnd).toBeLessThan(lines.indexOf('END:VEVENT'));
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const folded = foldLine(`SUMMARY:${'é'.repeat(80)}`);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((part) => part.startsWith(' '))).toBe(true);
    expect(parts.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(
      `SUMMARY:${'é'.repeat(80)}`,
    );
  });
});
