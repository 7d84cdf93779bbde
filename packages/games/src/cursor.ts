// Opaque keyset cursors for game lists: the (startsAt, id) of the last game on the page.
import { DomainError } from '@game-scheduler/domain';

export interface GameCursor {
  readonly startsAt: Date;
  readonly id: string;
}

export function encodeCursor(cursor: GameCursor): string {
  return Buffer.from(JSON.stringify([cursor.startsAt.toISOString(), cursor.id])).toString(
    'base64url',
  );
}

export function decodeCursor(text: string): GameCursor {
  const invalid = () =>
    new DomainError('VALIDATION', 'cursor is not a cursor this API returned', {
      details: { field: 'cursor' },
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string') throw invalid();
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw invalid();
  const startsAt = new Date(at);
  if (Number.isNaN(startsAt.getTime())) throw invalid();
  return { startsAt, id };
}
