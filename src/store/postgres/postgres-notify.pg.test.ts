// The wake-up of other servers' feeds on PostgreSQL: sent after COMMIT from the store's notify
// connection (never by the backend of the transaction that appended, where NOTIFY would hold a
// database-wide lock through the commit's WAL flush), only for transactions that committed events.

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, freshSchemas } from '../../../test/kits/pg-kit.ts';
import { doctor, pause } from '../../../test/suites/store/contract-fixtures.ts';
import { openPostgresStore } from './postgres-store.ts';

const url = baseUrl;
const schemas = freshSchemas('opd_notify');
afterAll(() => schemas.dropAll());

describe.skipIf(!url)('PostgreSQL store: NOTIFY after commit', () => {
  it('notifies from its own connection once events are committed, and not for a rollback or a commit without events', async () => {
    const schema = schemas.next();
    const store = openPostgresStore(url!, { schema, max: 2 });
    const listener = new pg.Client({ connectionString: url });
    const heard: { pid: number; events: number }[] = [];
    try {
      await store.migrate();
      await listener.connect();
      const reader = new pg.Client({ connectionString: url });
      await reader.connect();
      listener.on('notification', (n) => {
        // What a woken reader finds: the committed events must already be there.
        void reader.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(schema)}.events`).then(({ rows }) => heard.push({ pid: n.processId, events: rows[0]!.n }));
      });
      await listener.query(`LISTEN ${pg.escapeIdentifier(`opd_events_${schema}`)}`);
      const key = { doctorId: 'doc-1', date: '2026-01-05' };

      await store.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM'))); // no events
      const rolledBack = store.transaction(async (tx) => {
        await tx.lockDayAndRead(key, 0);
        await tx.append(key, [{ type: 'TokenCheckedIn', tokenId: 't0', at: 1 }], [], []);
        throw new Error('the work fails after appending');
      });
      await expect(rolledBack).rejects.toThrow('the work fails after appending');
      await pause(500);
      expect(heard).toEqual([]);

      await store.transaction(async (tx) => {
        await tx.lockDayAndRead(key, 0);
        tx.appendAtCommit(key, [{ type: 'TokenCheckedIn', tokenId: 't1', at: 1 }], [], [], null);
      });
      for (let i = 0; i < 50 && heard.length === 0; i++) await pause(100);
      await reader.query('SELECT 1'); // the reader's count of the last notification is in
      expect(heard).toHaveLength(1);
      expect(heard[0]!.events).toBe(1);
      // Sent by the store's notify connection, not by the pooled backend that ran the transaction.
      const { rows } = await reader.query<{ name: string }>('SELECT application_name AS name FROM pg_stat_activity WHERE pid = $1', [heard[0]!.pid]);
      await reader.end();
      expect(rows).toEqual([{ name: 'opd-notify' }]);
    } finally {
      await listener.end();
      await store.close();
    }
  });
});
