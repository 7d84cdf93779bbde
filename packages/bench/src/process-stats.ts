// CPU time and RSS of any local process, read from /proc, so a benchmark can measure a service it
// started without the service's cooperation (all threads: the event loop, workers, GC).
import { readFile } from 'node:fs/promises';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of the process so far, in microseconds (10 ms resolution). */
export async function processCpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
  // fields after the command name (which may contain spaces) start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) / TICKS_PER_SECOND) * 1e6;
}

/** Resident set size in bytes. */
export async function processRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${String(pid)}`);
  return Number(match[1]) * 1024;
}
