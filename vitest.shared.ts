// Shared vitest settings for every workspace. Workspace packages resolve to their TypeScript sources
// (the "@game-scheduler/source" export condition), so tests never run against a stale build.
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

const conditions = ['@game-scheduler/source', ...defaultServerConditions];

export const sharedConfig: ViteUserConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

/**
 * For packages with integration tests: PostgreSQL, Redis and RabbitMQ are resolved once per run
 * (environment URLs, else testcontainers) and reach tests through `getServices()`.
 */
export const withServices: ViteUserConfig = mergeConfig(sharedConfig, {
  test: {
    globalSetup: [
      fileURLToPath(new URL('./packages/testing/src/global-setup.ts', import.meta.url)),
    ],
  },
});
