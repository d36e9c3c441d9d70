// Personal data apart (SPEC 12) on PostgreSQL: a store in a schema of its own, read with pg itself.

import { describe } from 'vitest';
import { PG_URL } from '../../test/kits/api/test-kit.ts';
import { rawPostgres } from '../../test/kits/store/raw-database.ts';
import { personalSuite } from '../../test/suites/service/personal-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  personalSuite('PostgreSQL', () => rawPostgres(PG_URL!, 'personal'));
});
