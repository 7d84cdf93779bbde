import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDiscordSim } from '../src/index.ts';

describe('logging', () => {
  it('takes a pino logger as it is and reports routes it does not simulate', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const sim = await createDiscordSim({ logger: pino({ level: 'debug' }, sink) });
    try {
      const response = await fetch(`${sim.apiUrl}/v10/stage-instances`, {
        headers: { Authorization: `Bot ${sim.application.botToken}` },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: '404: Not Found', code: 0 });
    } finally {
      await sim.close();
    }
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        path: '/stage-instances',
        msg: 'discord-sim does not simulate this route',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'discord-sim listening', url: sim.url }),
    );
  });
});
