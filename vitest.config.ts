import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // The json file is what `.ci/run` counts passed/failed tests from.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
