import { defineConfig } from 'vitest/config';

export const testConfig = defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores here and in CI: more forks only thrash.
    pool: 'forks',
    maxWorkers: 2,
  },
});

// vitest reads the default export of its config file; this is the one place a default export is needed.
export default testConfig;
