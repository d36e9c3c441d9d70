import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    // Starting a server process or a browser takes seconds, and much longer on a loaded machine.
    hookTimeout: 120_000,
  },
});
