// The weekly rota on PostgreSQL: a store in a schema of its own, and a second pool on the same schema (another server).

import { describe } from 'vitest';
import { freshPostgresSchema, PG_URL } from '../../test/kits/api/test-kit.ts';
import { rotaSuite } from '../../test/suites/service/rota-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  rotaSuite('PostgreSQL', async () => {
    const { store, another, close } = await freshPostgresSchema(PG_URL!, 'rota');
    return { store, second: another, close };
  });
});
