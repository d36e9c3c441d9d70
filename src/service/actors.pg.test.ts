// Actors on events, on PostgreSQL: a store in a schema of its own, its rows read with pg itself.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { PG_URL } from '../../test/kits/api/test-kit.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { actorSuite, type ActorRow } from '../../test/suites/service/actors-suite.ts';

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  const url = PG_URL!;
  actorSuite('PostgreSQL', async () => {
    const schema = `opd_test_actors_${randomBytes(5).toString('hex')}`;
    const store = openPostgresStore(url, { schema });
    await store.migrate();
    const rows = async (): Promise<ActorRow[]> =>
      (await query<{ type: string; actor_id: string | null; actor: unknown }>(url, `SELECT type, actor_id, actor FROM ${pg.escapeIdentifier(schema)}.events ORDER BY seq`)).map(
        (r) => ({ type: r.type, actorId: r.actor_id, actor: r.actor }),
      );
    return {
      store,
      rows,
      close: async () => {
        await store.close();
        await query(url, `DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      },
    };
  });
});
