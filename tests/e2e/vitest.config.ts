import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: one Chromium, one server, run apart from the unit suite (npm run test:e2e).
const config = defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});

// vitest reads its config's default export.
// eslint-disable-next-line no-restricted-exports
export default config;
