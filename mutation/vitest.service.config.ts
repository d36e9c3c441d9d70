import { defineConfig } from 'vitest/config';

// The service's tests that the service mutation run (stryker.service.config.json) executes against each
// mutant: the token desk and HTTP suites on SQLite in memory, called through `app.inject`. Left out:
// the PostgreSQL suites (a shared server, and they test the same rules as their SQLite twins), the
// random junk properties (seconds per mutant; they stay in `npm test`), and the suites about the
// transport rather than the deciding code: real sockets and signals (transport, server), the built
// web files (web), the OpenAPI linter (openapi-lint), timer lateness (tick-timer) and shared feed reads
// (feed-hub).
export default defineConfig({
  test: {
    include: ['src/service/**/*.test.ts', 'src/api/**/*.test.ts'],
    exclude: [
      '**/*.pg.test.ts',
      'src/api/junk.test.ts',
      'src/api/transport.test.ts',
      'src/api/server.test.ts',
      'src/api/web.test.ts',
      'src/api/openapi-lint.test.ts',
      'src/service/tick-timer.test.ts',
      'src/service/feed-hub.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
