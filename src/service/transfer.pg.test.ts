// Transfer on PostgreSQL: a store in a schema of its own, and a second store on the same schema (a
// second server) for the opposite transfers made at once from both.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { PG_URL } from '../api/test-kit.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { transferSuite } from './transfer-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  const url = PG_URL!;
  transferSuite('PostgreSQL', async () => {
    const schema = `opd_test_transfer_${randomBytes(5).toString('hex')}`;
    const store = openPostgresStore(url, { schema });
    await store.migrate();
    return {
      store,
      another: async () => openPostgresStore(url, { schema }),
      close: async () => {
        await store.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  });
});
