import { defineConfig } from 'vitest/config';
import { TEST_TIMEOUT_MS } from './test/kits/patience.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Starting a server process or a browser takes seconds, and up to a minute on a loaded machine:
    // the limit is scaled for CI (test/kits/patience.ts). It only bounds a hang; nothing waits for it.
    testTimeout: TEST_TIMEOUT_MS,
    hookTimeout: TEST_TIMEOUT_MS,
  },
});
