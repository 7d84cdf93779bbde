// Loads the alert rule files (Prometheus rule-file format, the format Grafana Cloud's ruler and
// promtool accept) and their rule groups.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { paths } from './paths.ts';

export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: AlertRule[];
}

export interface RuleFile {
  file: string;
  path: string;
  text: string;
  groups: RuleGroup[];
}

function isRuleGroup(value: unknown): value is RuleGroup {
  if (typeof value !== 'object' || value === null) return false;
  const group = value as Partial<RuleGroup>;
  return (
    typeof group.name === 'string' &&
    Array.isArray(group.rules) &&
    group.rules.every((rule: Partial<AlertRule>) => typeof rule.expr === 'string')
  );
}

export function parseRuleFile(text: string, file = '<inline>'): RuleGroup[] {
  const document = parse(text) as { groups?: unknown } | null;
  const groups = document?.groups;
  if (!Array.isArray(groups) || !groups.every(isRuleGroup)) {
    throw new Error(`${file}: expected "groups:" with a name and rules (each with expr) per group`);
  }
  return groups;
}

/** The rule files directly in grafana/alerts (the tests in alerts/tests are not rule files). */
export function loadRuleFiles(directory: string = paths.alerts): RuleFile[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.yml') || file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const path = join(directory, file);
      const text = readFileSync(path, 'utf8');
      return { file, path, text, groups: parseRuleFile(text, file) };
    });
}
