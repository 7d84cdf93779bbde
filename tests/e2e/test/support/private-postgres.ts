// A PostgreSQL cluster of the test's own (initdb in a temporary directory, its own port and socket
// directory), really shut down and started again; the shared server other tests use is never touched.
// Started as the `postgres` user when the test runs as root (PostgreSQL refuses to run as root).
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './service-process.ts';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly url: string;
  /** Starts the cluster (unless running) and resolves once it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: every session is cut, as in a real restart. */
  stop(): Promise<void>;
  /** Stops it if running and removes its directory. */
  close(): Promise<void>;
}

async function binDir(): Promise<string> {
  const found = await run('sh', ['-c', 'command -v pg_ctl']).then(
    ({ stdout }) => stdout.trim(),
    () => '',
  );
  return found === '' ? BIN : join(found, '..');
}

export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binDir();
  const dir = await mkdtemp(join(tmpdir(), 'e2e-postgres-'));
  const port = await freePort();
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', 'postgres']).then(({ stdout }) => Number(stdout.trim())),
      run('id', ['-g', 'postgres']).then(({ stdout }) => Number(stdout.trim())),
    ]);
    await chown(dir, uid, gid);
  }
  const as = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
      : run(join(bin, command), args);
  await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const url = `postgresql://postgres@127.0.0.1:${String(port)}/postgres`;
  const options = [
    `-p ${String(port)}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c max_connections=100',
  ].join(' ');
  let running = false;

  async function start(): Promise<void> {
    if (running) return;
    await as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
    running = true;
  }

  async function stop(): Promise<void> {
    if (!running) return;
    await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    running = false;
  }

  return {
    url,
    start,
    stop,
    async close() {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
