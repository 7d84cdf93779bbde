// Reading an app's environment through a zod schema, failing with EVERY problem at once. Apps call it
// from src/config.ts (the only place that reads process.env) and print the error's one-line message.
import { DomainError } from '@game-scheduler/domain';
import type { z } from 'zod';

/** One line per problem: `NAME: what is wrong`. */
export function formatConfigProblems(
  issues: readonly z.core.$ZodIssue[],
  source: Readonly<Record<string, string | undefined>>,
): string[] {
  return issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(config)';
    const first = issue.path[0];
    const missing = typeof first === 'string' && source[first] === undefined;
    if (missing && issue.code === 'invalid_type') return `${name}: is required but not set`;
    return `${name}: ${issue.message}`;
  });
}

/**
 * Parses `env` with `schema`. Empty values count as unset (so a default applies), as in .env.example.
 * Throws DomainError `VALIDATION` whose message lists every problem on one line and whose
 * `details.problems` holds them one by one.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
  options: { name?: string } = {},
): z.output<S> {
  const source: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') source[key] = value;
  }
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = formatConfigProblems(result.error.issues, source);
  const subject =
    options.name === undefined ? 'Invalid configuration' : `Invalid ${options.name} configuration`;
  throw new DomainError('VALIDATION', `${subject}: ${problems.join('; ')}`, {
    details: { problems },
  });
}
