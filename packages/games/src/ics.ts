// A game as an iCalendar (RFC 5545) file with one VEVENT: escaped text, CRLF line ends, lines
// folded at 75 octets, times in UTC, and one display VALARM per reminder (none once cancelled).
import type { Game } from '@game-scheduler/db';

const CRLF = '\r\n';

function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

function utc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Folds a content line into chunks of at most 75 octets, never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** A reminder `minutes` before the start, as a VALARM relative to DTSTART. */
function alarm(minutes: number, title: string): string[] {
  return [
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(title)}`,
    `TRIGGER:${minutes === 0 ? 'PT0M' : `-PT${String(minutes)}M`}`,
    'END:VALARM',
  ];
}

export function gameToIcs(game: Game, now: Date = new Date()): string {
  const alarms =
    game.status === 'CANCELLED'
      ? []
      : [...game.reminderMinutes].sort((a, b) => b - a).flatMap((m) => alarm(m, game.title));
  const end = new Date(game.startsAt.getTime() + game.durationMinutes * 60_000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Game Scheduler//API//EN',
    'CALSCALE:GREGORIAN',
    'BEGIN:VEVENT',
    `UID:${game.id}@game-scheduler`,
    `DTSTAMP:${utc(now)}`,
    `DTSTART:${utc(game.startsAt)}`,
    `DTEND:${utc(end)}`,
    `SUMMARY:${escapeText(game.title)}`,
    ...(game.description === null ? [] : [`DESCRIPTION:${escapeText(game.description)}`]),
    ...(game.where === null ? [] : [`LOCATION:${escapeText(game.where)}`]),
    `STATUS:${game.status === 'CANCELLED' ? 'CANCELLED' : 'CONFIRMED'}`,
    `LAST-MODIFIED:${utc(game.updatedAt)}`,
    ...alarms,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
