// docs/benchmarks.md: each benchmark owns one section, between markers, and rewrites only that
// section when it runs, so `npm run bench` keeps the other figures. Written through prettier so the
// repository's format check stays green.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

export const REPORT_PATH = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

const HEADER = `# Benchmarks

Every figure below was written by \`npm run bench\` (each section names the command that reproduces
it alone). Comparisons are interleaved A/B pairs on one machine, reported as medians of the per-pair
ratios; the machine line says how loaded the machine was, which matters on shared 2-core VMs.
`;

const start = (id: string): string => `<!-- bench:${id}:start -->`;
const end = (id: string): string => `<!-- bench:${id}:end -->`;

/** Replaces (or appends) the section `id` of docs/benchmarks.md (or `path`) with `markdown`. */
export async function writeReportSection(
  id: string,
  markdown: string,
  path: string = REPORT_PATH,
): Promise<string> {
  let current = HEADER;
  try {
    current = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const block = `${start(id)}\n\n${markdown.trim()}\n\n${end(id)}`;
  const from = current.indexOf(start(id));
  const to = current.indexOf(end(id));
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end(id).length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  const config = (await resolveConfig(REPORT_PATH)) ?? {};
  const formatted = await format(next, { ...config, filepath: path });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, formatted);
  return path;
}

/** One line that says on what the figures were taken. */
export function machineLine(): string {
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${String(cpus().length)} cores, load average ${load}`;
}

/** `value` with `digits` decimals. */
export const fixed = (value: number, digits = 2): string => value.toFixed(digits);

/** A difference with its sign, `+41` or `−10` (a minus sign, never `+-10`). */
export function signed(value: number, digits = 0): string {
  const text = Math.abs(value).toFixed(digits);
  return Number(text) === 0 || value > 0 ? `+${text}` : `−${text}`;
}

/** A markdown table from a header row and rows of cells. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
