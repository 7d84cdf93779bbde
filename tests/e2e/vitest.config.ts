import { mergeConfig } from 'vitest/config';
import { withServices } from '../../vitest.shared.ts';

// Each file starts the API and both daemons as processes: one file at a time on a small machine,
// and tests that wait for reminders and status changes due a minute or two ahead. bench/ holds the
// stack budget's own unit tests.
export default mergeConfig(withServices, {
  test: {
    include: ['test/**/*.test.ts', 'bench/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
