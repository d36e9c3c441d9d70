// The reports on PostgreSQL; runs only when DATABASE_URL names one.
import { describe } from 'vitest';
import { PG_URL, freshPostgresStore } from '../../../test/kits/api/test-kit.ts';
import { reportsSuite } from '../../../test/suites/api/routes/reports-suite.ts';

const url = PG_URL;
if (!url) console.log('reports on PostgreSQL skipped: set DATABASE_URL=postgres://… to run it');

describe.skipIf(!url)('on PostgreSQL', () => {
  reportsSuite('PostgreSQL', () => freshPostgresStore(url!));
});
