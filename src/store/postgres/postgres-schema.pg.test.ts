// The PostgreSQL schema after every step: the log and its projection rows carry no foreign keys to
// doctor_days (migration 11: the append statement writes that row first, under the day's lock), and
// an append to a new doctor-day still creates its row, at the version the events make.

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, freshSchemas } from '../../../test/kits/pg-kit.ts';
import { doctor } from '../../../test/suites/store/contract-fixtures.ts';
import { openPostgresStore } from './postgres-store.ts';

const url = baseUrl;
const schemas = freshSchemas('opd_schema');
afterAll(() => schemas.dropAll());

describe.skipIf(!url)('PostgreSQL schema', () => {
  it('has no foreign keys from events, slots and tokens; an append creates its doctor-day', async () => {
    const schema = schemas.next();
    const store = openPostgresStore(url!, { schema });
    const client = new pg.Client({ connectionString: url });
    try {
      await store.migrate();
      await client.connect();
      const { rows } = await client.query<{ tbl: string; ref: string }>(
        `SELECT c.conrelid::regclass::text AS tbl, c.confrelid::regclass::text AS ref FROM pg_constraint c
          WHERE c.contype = 'f' AND c.connamespace = $1::regnamespace ORDER BY 1, 2`,
        [schema],
      );
      const keys = rows.map((r) => `${r.tbl.replace(`${schema}.`, '')} -> ${r.ref.replace(`${schema}.`, '')}`);
      expect(keys.filter((k) => /^(events|slots|tokens) /.test(k))).toEqual([]);
      expect(keys).toContain('doctor_days -> doctors');

      const key = { doctorId: 'doc-1', date: '2026-01-05' };
      await store.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
      await store.transaction(async (tx) => {
        tx.appendAtCommit(key, [{ type: 'TokenCheckedIn', tokenId: 't1', at: 1 }, { type: 'TokenCheckedIn', tokenId: 't2', at: 2 }], [], [], null);
      });
      const days = await client.query(`SELECT doctor_id, date, version FROM ${pg.escapeIdentifier(schema)}.doctor_days`);
      expect(days.rows).toEqual([{ doctor_id: 'doc-1', date: '2026-01-05', version: 2 }]);
    } finally {
      await client.end();
      await store.close();
    }
  });
});
