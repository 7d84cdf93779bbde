import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl, withDatabaseName } from './database-url.ts';

describe('describeDatabaseUrl', () => {
  it('names host, port and database without the credentials', () => {
    expect(describeDatabaseUrl('postgresql://app:secret@db.internal:6543/game_scheduler')).toBe(
      'db.internal:6543/game_scheduler',
    );
  });

  it('assumes the PostgreSQL default port', () => {
    expect(describeDatabaseUrl('postgresql://postgres@localhost/app')).toBe('localhost:5432/app');
  });

  it('does not echo an unparseable URL, which may contain a password', () => {
    expect(describeDatabaseUrl('not a url with secret')).toBe('<unparseable database URL>');
  });
});

describe('withDatabaseName', () => {
  it('points the same server and credentials at another database', () => {
    expect(
      withDatabaseName('postgresql://app:secret@db:5432/postgres?sslmode=disable', 'other'),
    ).toBe('postgresql://app:secret@db:5432/other?sslmode=disable');
  });
});
