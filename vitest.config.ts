import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The closing summary for CI is read from this file by .ci/run.
    reporters: ['default', ['json', { outputFile: 'test-results/results.json' }]],
    env: { DOTENV_CONFIG_QUIET: 'true' },
  },
});
