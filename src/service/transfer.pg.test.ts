// Transfer on PostgreSQL: a store in a schema of its own, and a second store on the same schema (a
// second server) for the opposite transfers made at once from both.

import { describe } from 'vitest';
import { freshPostgresSchema, PG_URL } from '../../test/kits/api/test-kit.ts';
import { transferSuite } from '../../test/suites/service/transfer-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  transferSuite('PostgreSQL', async () => freshPostgresSchema(PG_URL!, 'transfer'));
});
