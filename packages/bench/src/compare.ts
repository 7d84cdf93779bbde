// Interleaved A/B measurement: the baseline and the candidate take turns (A B, B A, A B, …) so drift
// on a shared machine hits both alike, and results are reported as medians of per-pair ratios.
import { fixedRate, saturate, type LoadOptions } from './load.ts';
import { startCpuMeter } from './process-stats.ts';
import { signed } from './report.ts';
import { median, percentile } from './stats.ts';

export type Load =
  | { readonly kind: 'rate'; readonly perSecond: number }
  | { readonly kind: 'saturate'; readonly connections: number };

export interface HttpTarget {
  readonly baseUrl: string;
  /** The service's process, whose CPU time is read from /proc around each run. */
  readonly pid: number;
  readonly options?: LoadOptions;
}

export interface Measurement {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rps: number;
  readonly errors: number;
  /** The service's CPU time (all threads) per completed request, µs. */
  readonly cpuMicrosPerRequest: number;
  /** The same, by kind of thread (threadKind: main, v8, libuv, a worker's name). */
  readonly cpuMicrosByThread?: Readonly<Record<string, number>>;
}

export async function measureHttp(
  target: HttpTarget,
  path: string,
  load: Load,
  seconds: number,
): Promise<Measurement> {
  const url = new URL(path, target.baseUrl);
  const cpuSince = await startCpuMeter(target.pid);
  const result =
    load.kind === 'rate'
      ? await fixedRate(url, load.perSecond, seconds, target.options)
      : await saturate(url, load.connections, seconds, target.options);
  const cpu = await cpuSince(result.completed);
  const sorted = Float64Array.from(result.latenciesMs).sort();
  return {
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    rps: result.completed / result.seconds,
    errors: result.errors,
    ...cpu,
  };
}

export interface Comparison {
  readonly pairs: readonly { readonly baseline: Measurement; readonly candidate: Measurement }[];
  /** Medians of candidate / baseline per pair. */
  readonly p50Ratio: number;
  readonly p99Ratio: number;
  readonly throughputRatio: number;
  /** Median of candidate − baseline CPU per request, µs. */
  readonly extraCpuMicros: number;
  /** The same by kind of thread, for the kinds either side measured (absent on a side: 0). */
  readonly extraCpuByThread: Readonly<Record<string, number>>;
}

export async function comparePairs(
  baseline: () => Promise<Measurement>,
  candidate: () => Promise<Measurement>,
  pairs: number,
): Promise<Comparison> {
  const results: { baseline: Measurement; candidate: Measurement }[] = [];
  for (let pair = 0; pair < pairs; pair += 1) {
    if (pair % 2 === 0) {
      const a = await baseline();
      results.push({ baseline: a, candidate: await candidate() });
    } else {
      const b = await candidate();
      results.push({ baseline: await baseline(), candidate: b });
    }
  }
  return {
    pairs: results,
    p50Ratio: median(results.map((r) => r.candidate.p50Ms / r.baseline.p50Ms)),
    p99Ratio: median(results.map((r) => r.candidate.p99Ms / r.baseline.p99Ms)),
    throughputRatio: median(results.map((r) => r.candidate.rps / r.baseline.rps)),
    extraCpuMicros: median(
      results.map((r) => r.candidate.cpuMicrosPerRequest - r.baseline.cpuMicrosPerRequest),
    ),
    extraCpuByThread: extraByThread(results),
  };
}

function extraByThread(
  results: readonly { baseline: Measurement; candidate: Measurement }[],
): Record<string, number> {
  const measured = results.filter(
    (r) =>
      r.baseline.cpuMicrosByThread !== undefined && r.candidate.cpuMicrosByThread !== undefined,
  );
  const kinds = new Set(
    measured.flatMap((r) => [
      ...Object.keys(r.baseline.cpuMicrosByThread ?? {}),
      ...Object.keys(r.candidate.cpuMicrosByThread ?? {}),
    ]),
  );
  const extra: Record<string, number> = {};
  for (const kind of kinds) {
    extra[kind] = median(
      measured.map(
        (r) =>
          (r.candidate.cpuMicrosByThread?.[kind] ?? 0) -
          (r.baseline.cpuMicrosByThread?.[kind] ?? 0),
      ),
    );
  }
  return extra;
}

/**
 * "main +80 µs, v8 +21 µs, otlp-logs +9 µs": a CPU difference by kind of thread, largest first,
 * leaving out the kinds that round to 0.
 */
export function describeThreadCpu(extra: Readonly<Record<string, number>>): string {
  return Object.entries(extra)
    .filter(([, micros]) => Math.round(micros) !== 0)
    .sort(([, a], [, b]) => Math.abs(b) - Math.abs(a))
    .map(([kind, micros]) => `${kind} ${signed(micros)} µs`)
    .join(', ');
}

/** "1.03× ✓" when within the budget (e.g. 0.05 for 5 %), "1.31× ✗" otherwise. */
export function verdict(ratio: number, budget: number, higherIsBetter = false): string {
  const ok = higherIsBetter ? ratio >= 1 - budget : ratio <= 1 + budget;
  return `${ratio.toFixed(3)}× ${ok ? '✓' : '✗'}`;
}
