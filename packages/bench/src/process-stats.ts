// CPU time and RSS of any local process, read from /proc, so a benchmark can measure a service it
// started without the service's cooperation (all threads: the event loop, workers, GC).
import { readdir, readFile } from 'node:fs/promises';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc/…/stat line, in microseconds. */
function statCpuMicros(stat: string): number {
  // fields after the command name (which may contain spaces) start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

/** User + system CPU time of the process so far, in microseconds (10 ms resolution). */
export async function processCpuMicros(pid: number): Promise<number> {
  return statCpuMicros(await readFile(`/proc/${String(pid)}/stat`, 'utf8'));
}

/**
 * Which kind of thread of a Node process a thread name (/proc/…/comm) is: `main` (the event loop),
 * `v8` (V8's platform workers: parallel and concurrent GC, background compilation), `libuv` (the
 * thread pool: dns, fs, crypto, zlib), `worker` (a worker thread without a name of its own, which
 * Node names after its script's URL — pino's transport thread, say), or a named worker's name.
 */
export function threadKind(name: string, isMain: boolean): string {
  if (isMain) return 'main';
  if (name === 'V8Worker' || name === 'DelayedTaskSche') return 'v8';
  if (name === 'libuv-worker') return 'libuv';
  if (name.startsWith('file://')) return 'worker';
  return name;
}

/**
 * CPU time so far of the process's live threads, in microseconds, summed by threadKind(): where a
 * service's CPU goes besides its event loop (a thread that has exited is no longer counted).
 */
export async function processThreadCpuMicros(pid: number): Promise<Record<string, number>> {
  const byKind: Record<string, number> = {};
  const tasks = await readdir(`/proc/${String(pid)}/task`);
  await Promise.all(
    tasks.map(async (tid) => {
      const base = `/proc/${String(pid)}/task/${tid}`;
      try {
        const [name, stat] = await Promise.all([
          readFile(`${base}/comm`, 'utf8'),
          readFile(`${base}/stat`, 'utf8'),
        ]);
        const kind = threadKind(name.trim(), tid === String(pid));
        byKind[kind] = (byKind[kind] ?? 0) + statCpuMicros(stat);
      } catch {
        // the thread exited between readdir and read
      }
    }),
  );
  return byKind;
}

/** A process's CPU time per unit of work (a request, a click), in all and by kind of thread. */
export interface CpuPerUnit {
  readonly cpuMicrosPerRequest: number;
  readonly cpuMicrosByThread: Readonly<Record<string, number>>;
}

/**
 * Reads the CPU time of process `pid` now; the function it returns reads it again and gives what
 * was spent since, per unit of work done meanwhile.
 */
export async function startCpuMeter(pid: number): Promise<(units: number) => Promise<CpuPerUnit>> {
  const [total, threads] = await Promise.all([processCpuMicros(pid), processThreadCpuMicros(pid)]);
  return async (units) => {
    const [totalAfter, threadsAfter] = await Promise.all([
      processCpuMicros(pid),
      processThreadCpuMicros(pid),
    ]);
    const per = Math.max(units, 1);
    const byThread: Record<string, number> = {};
    for (const [kind, micros] of Object.entries(threadsAfter)) {
      byThread[kind] = (micros - (threads[kind] ?? 0)) / per;
    }
    return { cpuMicrosPerRequest: (totalAfter - total) / per, cpuMicrosByThread: byThread };
  };
}

/** Resident set size in bytes. */
export async function processRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${String(pid)}`);
  return Number(match[1]) * 1024;
}
