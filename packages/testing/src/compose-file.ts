// Reads the compose files the way Docker Compose does, for the tests that check them: YAML with
// anchors and merge keys (`<<:`), `include`, and `${VAR}` / `${VAR:-default}` / `${VAR-default}` /
// `$$` interpolation from a given environment (an empty one = a fresh clone without .env).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string } | string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | Record<string, unknown>)[];
  expose?: (string | number)[];
  volumes?: (string | Record<string, unknown>)[];
  healthcheck?: { test?: string | string[]; disable?: boolean; [key: string]: unknown };
  depends_on?: string[] | Record<string, { condition?: string; required?: boolean }>;
  profiles?: string[];
  restart?: string;
  [key: string]: unknown;
}

export interface ComposeDocument {
  name?: string;
  include?: (string | { path: string | string[] })[];
  /** Absent in a file that only includes others. */
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

const VARIABLE =
  /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation of one string. */
export function interpolate(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return text.replace(
    VARIABLE,
    (match, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      const value = env[name];
      switch (operator) {
        case ':-':
          return value === undefined || value === '' ? interpolate(argument ?? '', env) : value;
        case '-':
          return value === undefined ? interpolate(argument ?? '', env) : value;
        case ':?':
        case '?':
          if (value === undefined || (operator === ':?' && value === '')) {
            throw new Error(`${name} must be set: ${argument ?? ''}`);
          }
          return value;
        default:
          return value ?? '';
      }
    },
  );
}

/** The names of every variable a text interpolates (`${NAME…}` and `$NAME`, not `$$NAME`). */
export function interpolatedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? match[4];
    if (name !== undefined) names.add(name);
    if (match[3] !== undefined)
      for (const inner of interpolatedVariables(match[3])) names.add(inner);
  }
  return [...names].sort();
}

function interpolateValues(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateValues(item, env));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateValues(item, env)]),
    );
  }
  return value;
}

/** One file as written: merge keys resolved, nothing interpolated, includes not followed. */
export function parseComposeText(text: string): ComposeDocument {
  const document = parse(text, { merge: true }) as ComposeDocument | null;
  if (document === null || typeof document !== 'object') throw new Error('empty compose file');
  return document;
}

export function includedFiles(document: ComposeDocument): string[] {
  return (document.include ?? []).flatMap((entry) =>
    typeof entry === 'string' ? [entry] : [entry.path].flat(),
  );
}

/**
 * The project `docker compose -f <path>` runs: this file's services plus those of the files it
 * includes, interpolated with `env`.
 */
export function loadComposeProject(
  path: string,
  env: Readonly<Record<string, string | undefined>> = {},
): ComposeDocument & { services: Record<string, ComposeService> } {
  const document = parseComposeText(readFileSync(path, 'utf8'));
  const services: Record<string, ComposeService> = {};
  const volumes: Record<string, unknown> = {};
  for (const included of includedFiles(document)) {
    const child = loadComposeProject(join(dirname(path), included), env);
    for (const [name, service] of Object.entries(child.services)) {
      if (name in services) throw new Error(`${included} defines ${name} twice`);
      services[name] = service;
    }
    Object.assign(volumes, child.volumes ?? {});
  }
  const own = interpolateValues(document, env) as ComposeDocument;
  for (const [name, service] of Object.entries(own.services ?? {})) {
    if (name in services) throw new Error(`${path}: ${name} conflicts with an included service`);
    services[name] = service;
  }
  Object.assign(volumes, own.volumes ?? {});
  return { ...own, services, volumes };
}

/** A service's environment as a map (the list form `KEY=value` included). */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const separator = entry.indexOf('=');
        return separator === -1
          ? [entry, '']
          : [entry.slice(0, separator), entry.slice(separator + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}
