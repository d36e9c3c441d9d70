// The reports' summaries kept as days close, on PostgreSQL: a schema of its own, and a second store
// on it for the two-servers case. Runs only when DATABASE_URL names a server.

import { describe } from 'vitest';
import { PG_URL, freshPostgresSchema } from '../../test/kits/api/test-kit.ts';
import { daySummariesSuite } from '../../test/suites/service/day-summaries-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  daySummariesSuite('PostgreSQL', () => freshPostgresSchema(PG_URL!, 'summaries'));
});
