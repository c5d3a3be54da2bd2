// Records replay histories (npm run histories:record): not part of the test suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/replay/**/*.record.ts'],
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
