import { inject } from 'vitest';
import type { TestServices } from './services.ts';
import './global-setup.ts';

/** The services resolved by the global setup (see vitest.shared.ts `withServices`). */
export function getServices(): TestServices {
  return inject('services');
}
