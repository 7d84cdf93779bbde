import { describe, expect, it } from 'vitest';
import { redactRepeatedText, redactString, redactText, registerSecret } from './redact.ts';

describe('redaction', () => {
  it('masks the password of a URL and keeps the user and host', () => {
    expect(redactString('postgresql://user:secret@host:5432/db')).toBe(
      'postgresql://user:***@host:5432/db',
    );
    expect(redactString('failed to reach amqp://guest:guest@rabbit:5672 twice')).toBe(
      'failed to reach amqp://guest:***@rabbit:5672 twice',
    );
  });

  it('masks bearer and bot tokens', () => {
    expect(redactString('Authorization: Bearer abcdefghijklmnop1234')).toBe(
      'Authorization: Bearer ***',
    );
    expect(redactString('Bot connected to the gateway')).toBe('Bot connected to the gateway');
  });

  it('masks secret query parameters and key=value pairs', () => {
    expect(redactString('/games/3?token=abc123&page=2')).toBe('/games/3?token=***&page=2');
    expect(redactString('password=hunter2 user=bob')).toBe('password=*** user=bob');
  });

  it('masks Discord bot tokens by their shape', () => {
    const token = 'MTA5NzY1NDMyMTA5ODc2NTQzMg.GhXyZa.s3cr3tB0tT0k3nValueAbCdEfGhIjKlMnOpQ';
    expect(redactString(`login with ${token} failed`)).toBe('login with *** failed');
  });

  it('keeps a serialised JSON line valid JSON', () => {
    const line = JSON.stringify({
      msg: 'connected to postgresql://u:p@db/x',
      url: '/a?token=x"y',
      note: 'http://a:1',
      email: 'bob@example.com',
    });
    const redacted = redactString(line);
    expect(() => JSON.parse(redacted) as unknown).not.toThrow();
    expect(redacted).not.toContain('u:p@');
    expect(redacted).toContain('bob@example.com');
  });

  it('leaves ordinary text untouched', () => {
    const text = 'player 123 joined game 456 at https://example.com/games/456';
    expect(redactString(text)).toBe(text);
  });

  it('masks registered literal secrets wherever they appear', () => {
    registerSecret('plain-secret-value-42');
    expect(redactText('the value plain-secret-value-42 leaked')).toBe('the value *** leaked');
  });

  it('redacts a long text seen again as the first time, and again once a new secret is registered', () => {
    const sql = `SELECT "games"."id" FROM "games" WHERE "games"."note" = 'later-registered-secret-7' AND password='hunter2hunter2' -- ${'x'.repeat(64)}`;
    const first = redactRepeatedText(sql);
    expect(first).toBe(redactText(sql));
    expect(first).not.toContain('hunter2hunter2');
    expect(redactRepeatedText(Array.from(sql).join(''))).toBe(first); // same text, another string
    expect(first).toContain('later-registered-secret-7');

    registerSecret('later-registered-secret-7');
    expect(redactRepeatedText(sql)).not.toContain('later-registered-secret-7');
    expect(redactRepeatedText('short token=abc123')).toBe(redactText('short token=abc123'));
  });
});
