// The documentation of the configuration is part of the product: .env.example and RUNTIME_CONFIG.md
// list the same variables, and every variable the code reads is documented.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

function envExampleVariables(): Set<string> {
  return new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

function documentedVariables(): Set<string> {
  // The first cell of each table row: | `NAME` | …
  return new Set(
    [...read('RUNTIME_CONFIG.md').matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1]!),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('generated'),
    )
    .map((file) => join(dir, file));
}

describe('runtime configuration documents', () => {
  it('lists the same variables in .env.example and RUNTIME_CONFIG.md', () => {
    expect([...envExampleVariables()].sort()).toEqual([...documentedVariables()].sort());
  });

  it('documents every OTEL_* variable the telemetry package reads', () => {
    const documented = documentedVariables();
    const read = new Set(
      sourceFiles('packages/telemetry/src').flatMap((file) =>
        [...readFileSync(join(root, file), 'utf8').matchAll(/'(OTEL_[A-Z0-9_]+)'/g)].map(
          (m) => m[1]!,
        ),
      ),
    );
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('documents every variable Grafana Alloy reads', () => {
    const documented = documentedVariables();
    const alloy = read('grafana-alloy/config.alloy');
    const used = new Set([...alloy.matchAll(/sys\.env\("([A-Z0-9_]+)"\)/g)].map((m) => m[1]!));
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('documents every variable an app or CLI reads from process.env', () => {
    const documented = documentedVariables();
    const apps = readdirSync(join(root, 'apps')).map((app) => `apps/${app}/src`);
    const dirs = ['packages/db/scripts', 'grafana/scripts', ...apps].filter((dir) =>
      existsSync(join(root, dir)),
    );
    const names = dirs.flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        [
          ...readFileSync(join(root, file), 'utf8').matchAll(
            // process.env.X, process.env['X'], and env.X where a script aliased process.env
            /\b(?:process\.)?env(?:\.|\[')([A-Z][A-Z0-9_]*)/g,
          ),
        ].map((m) => m[1]!),
      ),
    );
    expect(names).toContain('GRAFANA_SERVICE_ACCOUNT_TOKEN');
    expect(names).toContain('DATABASE_URL');
    expect([...new Set(names)].filter((name) => !documented.has(name))).toEqual([]);
  });
});
