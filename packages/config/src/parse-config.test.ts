import { isDomainError } from '@game-scheduler/domain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from './parse-config.ts';

const schema = z.object({
  DATABASE_URL: z.url(),
  BATCH_SIZE: z.coerce.number().int().positive().default(10),
  MODE: z.enum(['a', 'b']).default('a'),
});

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error, 'VALIDATION')) return error.details?.problems as string[];
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('parseConfig', () => {
  it('returns the parsed values with defaults applied', () => {
    expect(parseConfig(schema, { DATABASE_URL: 'postgresql://db/x', BATCH_SIZE: '3' })).toEqual({
      DATABASE_URL: 'postgresql://db/x',
      BATCH_SIZE: 3,
      MODE: 'a',
    });
  });

  it('treats an empty value as unset so the default applies', () => {
    expect(parseConfig(schema, { DATABASE_URL: 'postgresql://db/x', BATCH_SIZE: ' ' })).toEqual(
      expect.objectContaining({ BATCH_SIZE: 10 }),
    );
  });

  it('lists every problem, naming each variable, a missing one as required', () => {
    const problems = problemsOf(() => parseConfig(schema, { BATCH_SIZE: '-1', MODE: 'c' }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('DATABASE_URL: is required but not set');
    expect(problems[1]).toMatch(/^BATCH_SIZE: /);
    expect(problems[2]).toMatch(/^MODE: /);
  });

  it('puts all problems in a one-line message', () => {
    expect(() => parseConfig(schema, {}, { name: 'status daemon' })).toThrow(
      /^Invalid status daemon configuration: DATABASE_URL: is required but not set$/,
    );
  });
});
