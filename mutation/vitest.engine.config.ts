import { defineConfig } from 'vitest/config';

// The engine's tests alone: what the mutation run (stryker.config.json) executes against each mutant.
export default defineConfig({
  test: {
    include: ['src/engine/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
