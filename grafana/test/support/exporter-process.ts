// Runs a real exporter binary on a free local port for the duration of a test file.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@game-scheduler/testing';

export interface RunningExporter {
  address: string;
  output: () => string;
  stop: () => Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}

/** Starts `binary args…` (with `--web.listen-address` added) and waits until /metrics answers. */
export async function startExporter(
  binary: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<RunningExporter> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(binary, [...args, `--web.listen-address=${address}`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited(child);
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${binary} exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const response = await fetch(`http://${address}/metrics`);
      await response.text();
      if (response.ok) return { address, output: () => output, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${binary} did not answer on ${address} within 15 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
