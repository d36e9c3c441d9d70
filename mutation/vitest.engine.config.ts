import { defineConfig } from 'vitest/config';

// The engine's example tests: what the mutation run (stryker.config.json) executes against each mutant.
// Left out: the property tests (half a minute per mutant on a shared machine, and random unless seeded;
// they stay in `npm test`) and the lint-rule test (it runs ESLint, not the engine). The aim is that each
// rule is pinned by a named example test; every example runs the invariant checker after each command.
export default defineConfig({
  test: {
    include: ['src/engine/**/*.test.ts'],
    exclude: ['src/engine/properties.test.ts', 'src/engine/determinism-lint.test.ts'],
    testTimeout: 120_000,
  },
});
