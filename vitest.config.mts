// Test runner configuration. Server-backed tests share one Temporal dev server per run (started in
// test/support/global-setup.ts) and run one file at a time: 2 cores, and a worker Runtime per process.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
  },
});
