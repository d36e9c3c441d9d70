// The weekly rota on PostgreSQL: a store in a schema of its own, and a second pool on the same schema (another server).

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { PG_URL } from '../api/test-kit.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { rotaSuite } from './rota-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  const url = PG_URL!;
  rotaSuite('PostgreSQL', async () => {
    const schema = `opd_test_rota_${randomBytes(5).toString('hex')}`;
    const store = openPostgresStore(url, { schema });
    await store.migrate();
    return {
      store,
      second: async () => openPostgresStore(url, { schema }),
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
