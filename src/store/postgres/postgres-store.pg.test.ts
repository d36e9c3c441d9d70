// Runs only when DATABASE_URL names a PostgreSQL database; every store it opens gets a fresh schema,
// dropped when the file is done.

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, freshSchemas } from '../../../test/kits/pg-kit.ts';
import { bookedDay, doctor, slotRows, tokenRows } from '../../../test/suites/store/contract-fixtures.ts';
import { storeContract } from '../../../test/suites/store/contract.ts';
import { MIGRATIONS } from '../migrations.ts';
import { openPostgresStore } from './postgres-store.ts';

const url = baseUrl;
if (!url) console.log('PostgreSQL store tests skipped: set DATABASE_URL=postgres://… to run them');

const schemas = freshSchemas('opd_test');
const freshSchema = () => schemas.next();
afterAll(() => schemas.dropAll());

describe.skipIf(!url)('PostgreSQL store', () => {
  storeContract('PostgreSQL', async () => {
    const store = openPostgresStore(url!, { schema: freshSchema() });
    await store.migrate();
    return store;
  });

  it("reads one actor's events of a day through the (actor_id, at) index", async () => {
    const schema = freshSchema();
    const store = openPostgresStore(url!, { schema });
    await store.migrate();
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
      // An empty table is cheapest to scan: ask for the plan a big one gets.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT e.seq, e.doctor_id, e.date, e.payload, e.actor, t.number AS token_number FROM events e LEFT JOIN tokens t ON t.id = e.token_id
         WHERE e.actor_id = 'acc-1' AND e.at >= 0 AND e.at < 1 ORDER BY e.seq`,
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan using events_actor_at on events e .*\n\s+Index Cond: \(\(actor_id = 'acc-1'::text\) AND \(at >= 0\) AND \(at < 1\)\)/);
    } finally {
      await client.end();
    }
  });

  it('survives two servers migrating the same schema at once', async () => {
    const schema = freshSchema();
    const stores = Array.from({ length: 4 }, () => openPostgresStore(url!, { schema }));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      await Promise.all(stores.map((s) => s.migrate()));
      const f = bookedDay();
      await stores[0]!.transaction(async (tx) => {
        await tx.insertDoctor(doctor('doc-1', 'GM'));
        await tx.append(f.key, f.events, slotRows(f), tokenRows(f));
      });
      expect(await stores[3]!.dayEvents(f.key, 0)).toEqual(f.events);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(`SELECT version FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY version`);
      await client.end();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('serializes one doctor-day across two store instances (two servers)', async () => {
    const schema = freshSchema();
    const [a, b] = [openPostgresStore(url!, { schema }), openPostgresStore(url!, { schema })];
    try {
      await a.migrate();
      await a.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
      const key = { doctorId: 'doc-1', date: '2026-01-05' };
      const versions = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).transaction(async (tx) => {
            const version = await tx.lockDay(key);
            await tx.append(key, [{ type: 'TokenCheckedIn', tokenId: `t${i}`, at: version }], [], []);
            return version;
          }),
        ),
      );
      expect(versions.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect((await b.dayEvents(key, 0)).map((e) => e.at)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses text PostgreSQL cannot hold (a NUL) and writes nothing; the connection serves on', async () => {
    const schema = freshSchema();
    const store = openPostgresStore(url!, { schema, max: 1 });
    try {
      await store.migrate();
      await store.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
      const key = { doctorId: 'doc-1', date: '2026-01-05' };
      const failed = store.transaction(async (tx) => {
        await tx.lockDayAndRead(key, 0);
        tx.appendAtCommit(key, [{ type: 'TokenCheckedIn', tokenId: 'nul\0here', at: 1 }], [], [], null);
      });
      await expect(failed).rejects.toThrow(/NUL/);
      expect(await store.dayEvents(key, 0)).toEqual([]);
      // The same (only) connection: its prepared statements and state are fine after the rollback.
      await store.transaction(async (tx) => {
        expect(await tx.lockDayAndRead(key, 0)).toEqual({ version: 0, events: [] });
        tx.appendAtCommit(key, [{ type: 'TokenCheckedIn', tokenId: 't1', at: 1 }], [], [], null);
      });
      expect(await store.dayEvents(key, 0)).toEqual([{ type: 'TokenCheckedIn', tokenId: 't1', at: 1 }]);
    } finally {
      await store.close();
    }
  });

  it('keeps payloads as the exact JSON text (json, not jsonb)', async () => {
    const schema = freshSchema();
    const store = openPostgresStore(url!, { schema });
    try {
      await store.migrate();
      const f = bookedDay();
      await store.transaction(async (tx) => {
        await tx.insertDoctor(doctor('doc-1', 'GM'));
        await tx.append(f.key, f.events.slice(0, 3), [], []);
        tx.appendAtCommit(f.key, f.events.slice(3), [], [], null);
      });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(`SELECT payload::text AS text FROM ${pg.escapeIdentifier(schema)}.events ORDER BY position`);
      await client.end();
      expect(rows.map((r: { text: string }) => r.text)).toEqual(f.events.map((e) => JSON.stringify(e)));
    } finally {
      await store.close();
    }
  });
});
