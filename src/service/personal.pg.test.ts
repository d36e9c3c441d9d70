// Personal data apart (SPEC 12) on PostgreSQL: a store in a schema of its own, read with pg itself.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { PG_URL } from '../../test/kits/api/test-kit.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import type { Store } from '../store/store.ts';
import { personalSuite } from '../../test/suites/service/personal-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  const url = PG_URL!;
  personalSuite('PostgreSQL', async () => {
    const schema = `opd_test_personal_${randomBytes(5).toString('hex')}`;
    const first = openPostgresStore(url, { schema });
    await first.migrate();
    const stores: Store[] = [first];
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    return {
      store: first,
      all: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
      run: async (sql) => {
        await client.query(sql);
      },
      tables: async () =>
        (await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema])).rows.map((r) => r.table_name),
      reopen: async () => {
        const store = openPostgresStore(url, { schema });
        stores.push(store);
        return store;
      },
      close: async () => {
        for (const s of stores) await s.close();
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
        await client.end();
      },
    };
  });
});
