// Parser for the Prometheus text exposition format (what exporters answer on /metrics): one sample
// per line, `name{label="value",…} value [timestamp]`, with `#` comment, HELP and TYPE lines.
import type { Labels } from './relabel.ts';

export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`invalid sample value '${text}'`);
  return value;
}

function parseLabels(
  line: string,
  start: number,
  lineNumber: number,
): { labels: Labels; end: number } {
  const labels: Labels = {};
  let i = start + 1;
  const fail = (message: string): never => {
    throw new Error(`line ${lineNumber}: ${message}: ${line}`);
  };
  for (;;) {
    while (line.charAt(i) === ' ') i += 1;
    if (line.charAt(i) === '}') return { labels, end: i + 1 };
    const name = LABEL_NAME.exec(line.slice(i))?.[0] ?? fail('expected a label name');
    i += name.length;
    if (line.charAt(i) !== '=' || line.charAt(i + 1) !== '"') fail('expected ="');
    i += 2;
    let value = '';
    for (;;) {
      const ch = line.charAt(i);
      if (ch === '') fail('unterminated label value');
      if (ch === '"') break;
      if (ch === '\\') {
        const escaped = line.charAt(i + 1);
        value += escaped === 'n' ? '\n' : escaped;
        i += 2;
      } else {
        value += ch;
        i += 1;
      }
    }
    labels[name] = value;
    i += 1;
    while (line.charAt(i) === ' ') i += 1;
    if (line.charAt(i) === ',') i += 1;
    else if (line.charAt(i) !== '}') fail("expected ',' or '}'");
  }
}

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw new Error(`line ${index + 1}: expected a metric name: ${line}`);
    let labels: Labels = {};
    let rest = line.slice(name.length);
    if (rest.startsWith('{')) {
      const parsed = parseLabels(line, name.length, index + 1);
      labels = parsed.labels;
      rest = line.slice(parsed.end);
    }
    const [valueText = ''] = rest.trim().split(/\s+/);
    samples.push({ name, labels, value: parseValue(valueText) });
  });
  return samples;
}
