import { isDomainError } from '@game-scheduler/domain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { healthPort } from './fields.ts';
import { parseConfig } from './parse-config.ts';

const schema = z.object({ HEALTH_PORT: healthPort });

describe('HEALTH_PORT (healthPort)', () => {
  it('is a port from 0 to 65535, and none when unset or empty', () => {
    expect(parseConfig(schema, { HEALTH_PORT: '8081' })).toEqual({ HEALTH_PORT: 8081 });
    expect(parseConfig(schema, { HEALTH_PORT: '0' })).toEqual({ HEALTH_PORT: 0 });
    expect(parseConfig(schema, { HEALTH_PORT: '65535' })).toEqual({ HEALTH_PORT: 65_535 });
    expect(parseConfig(schema, {})).toEqual({ HEALTH_PORT: undefined });
    expect(parseConfig(schema, { HEALTH_PORT: ' ' })).toEqual({ HEALTH_PORT: undefined });
  });

  it('rejects anything else with one clear line', () => {
    for (const value of ['65536', '-1', '80.5', 'http', '8081x']) {
      try {
        parseConfig(schema, { HEALTH_PORT: value });
        expect.fail(`${value} was accepted`);
      } catch (error) {
        expect(isDomainError(error, 'VALIDATION'), value).toBe(true);
        expect((error as Error).message, value).toBe(
          'Invalid configuration: HEALTH_PORT: must be a port number from 0 to 65535 (0: any free port), or empty for none',
        );
      }
    }
  });
});
