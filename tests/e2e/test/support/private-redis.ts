// A Redis of the test's own (`redis-server` on its own port, configured as the compose file runs it:
// no persistence), really stopped and started again; the shared Redis other tests use is never
// touched. Like the compose service, a restart empties it (sessions, OAuth states, rate counters).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { freePort } from './service-process.ts';

export interface PrivateRedis {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** Starts the server (unless running) and resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGTERM, and waits for the process to exit. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => {
      done(false);
    });
    socket.on('error', () => {
      done(false);
    });
    socket.on('connect', () => {
      socket.write('PING\r\n');
    });
    socket.on('data', (chunk) => {
      done(chunk.toString().startsWith('+PONG'));
    });
  });
}

export async function createPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let server: ChildProcess | null = null;
  let output = '';

  async function start(): Promise<void> {
    if (server !== null) return;
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server = child;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const deadline = Date.now() + 20_000;
    while (!(await answersPing(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the private Redis did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function stop(): Promise<void> {
    const child = server;
    server = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  return { url: `redis://127.0.0.1:${String(port)}`, start, stop, close: stop };
}
