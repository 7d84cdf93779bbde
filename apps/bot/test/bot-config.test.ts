// The bot process with a bad configuration: one clear line, exit status 1, no secret in the output.
import { describe, expect, it } from 'vitest';
import { runToExit } from './support/bot-process.ts';

const TOKEN = 'a-bot-token-nobody-may-read';

interface LogLine {
  level: number;
  msg: string;
}

function errorLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.level >= 50);
}

describe('the bot process with a bad configuration', () => {
  it('exits with status 1 and one line naming every bad variable', async () => {
    const run = await runToExit('src/main.ts', {
      DISCORD_BOT_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: 'not-an-id',
    });
    expect(run.code).toBe(1);
    expect(errorLines(run.output).map((line) => line.msg)).toEqual([
      'Invalid bot configuration: DATABASE_URL: is required but not set; DISCORD_CLIENT_ID: must be a Discord snowflake id',
    ]);
    expect(run.output).not.toContain(TOKEN);
    expect(run.output).not.toMatch(/\n\s+at /);
  });

  it('lets deploy-commands fail the same way without a token', async () => {
    const run = await runToExit('src/deploy-commands.ts', {
      DISCORD_CLIENT_ID: '1300000000000000001',
    });
    expect(run.code).toBe(1);
    expect(errorLines(run.output).map((line) => line.msg)).toEqual([
      'Invalid deploy-commands configuration: DISCORD_BOT_TOKEN: is required but not set',
    ]);
  });
});
