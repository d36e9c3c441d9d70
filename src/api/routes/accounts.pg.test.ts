// The account administration routes on PostgreSQL; runs only when DATABASE_URL names one.
import { describe } from 'vitest';
import { PG_URL, freshPostgresStore } from '../../../test/kits/api/test-kit.ts';
import { accessAdminSuite } from '../../../test/suites/api/routes/access-admin-suite.ts';

const url = PG_URL;
if (!url) console.log('account administration on PostgreSQL skipped: set DATABASE_URL=postgres://… to run it');

describe.skipIf(!url)('on PostgreSQL', () => {
  accessAdminSuite('PostgreSQL', () => freshPostgresStore(url!));
});
