import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.tally/**', 'dist/**'],
    // CLI processes spawned by tests run the sources being tested, never a stale build;
    // test/build.test.ts checks the build itself.
    env: { TALLY_FROM_SOURCE: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
