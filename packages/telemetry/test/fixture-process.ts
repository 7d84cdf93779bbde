// Runs test/fixtures/service.ts as a child process with the real preload and collects its output.
import { fileURLToPath } from 'node:url';
import { spawnService } from '@game-scheduler/testing';

export interface FixtureProcess {
  readonly baseUrl: string;
  /** Its readiness server (startReadinessServer), as the daemons and the bot run it. */
  readonly readinessUrl: string;
  /** Every stdout line so far, parsed as JSON where possible. */
  lines(): Record<string, unknown>[];
  /** Every stdout and stderr line so far, as text. */
  output(): string;
  /** Sends a signal and resolves with the exit code once the process exits. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startFixture(env: Record<string, string>): Promise<FixtureProcess> {
  const fixture = spawnService({
    cwd: fileURLToPath(new URL('./fixtures/', import.meta.url)),
    entry: fileURLToPath(new URL('./fixtures/service.ts', import.meta.url)),
    env,
    inheritEnv: true,
  });
  const [, baseUrl = ''] = await fixture.waitForOutput(
    /\{"listening":"(http:\/\/[^"]+)"\}/,
    20_000,
  );
  const [, readinessUrl = ''] = await fixture.waitForOutput(
    /\{"readiness":"(http:\/\/[^"]+)"\}/,
    1_000,
  );
  const lines = (): Record<string, unknown>[] =>
    fixture
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return { unparsed: line };
        }
      });
  return {
    baseUrl,
    readinessUrl,
    lines,
    output: fixture.output,
    stop: (signal) => fixture.stop(signal),
  };
}
