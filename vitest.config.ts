import { defineConfig } from 'vitest/config';

// Integration and e2e tests start real processes on a shared 2-core machine: generous timeouts,
// forks so a crashed test cannot take its neighbours with it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
