import { mergeConfig } from 'vitest/config';
import { withServices } from '../../vitest.shared.ts';

// Each file starts the API and both daemons as processes: one file at a time on a small machine,
// and tests that wait for reminders and status changes due a minute or two ahead.
export default mergeConfig(withServices, {
  test: {
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
