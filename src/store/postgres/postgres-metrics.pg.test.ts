// The PostgreSQL store tells its observer how long each transaction took and how long the message
// that locks a doctor-day waited: a writer that waits behind another one shows that wait. Runs only
// when DATABASE_URL names a PostgreSQL database; its schema is fresh and dropped afterwards.

import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { LIVE } from '../../../test/kits/patience.ts';
import { baseUrl as url, freshSchemas, sql } from '../../../test/kits/pg-kit.ts';
import { DATE, doctor } from '../../../test/suites/store/contract-fixtures.ts';
import type { StoreObserver } from '../store.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

if (!url) console.log('PostgreSQL metrics tests skipped: set DATABASE_URL=postgres://… to run them');

const schemas = freshSchemas('opd_test_metrics');
const schema = schemas.next();
let store: PostgresStore | undefined;

afterAll(async () => {
  await store?.close();
  await schemas.dropAll();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!url)('PostgreSQL store metrics', () => {
  it('sees every transaction, and the lock wait of a writer behind another', async () => {
    const transactions: number[] = [];
    const lockWaits: number[] = [];
    const observer: StoreObserver = { commitBatch: () => {}, transaction: (s) => transactions.push(s), lockWait: (s) => lockWaits.push(s) };
    const sut = (store = openPostgresStore(url!, { schema, metrics: observer }));
    await sut.migrate();
    await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
    expect(transactions).toHaveLength(1);
    expect(lockWaits).toHaveLength(0);
    // The doctor-day's row exists from here on: a writer waits on it in its first message (a new
    // day's writer would wait later, on the INSERT of the row).
    const key = { doctorId: 'doc-1', date: DATE };
    await sut.transaction((tx) => tx.lockDay(key));
    expect(transactions).toHaveLength(2);
    expect(lockWaits).toHaveLength(1);
    transactions.length = 0;
    lockWaits.length = 0;

    let locked: () => void = () => {};
    const firstHasLock = new Promise<void>((resolve) => (locked = resolve));
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const first = sut.transaction(async (tx) => {
      await tx.lockDay(key);
      locked();
      await released;
    });
    await firstHasLock;
    const second = sut.transaction((tx) => tx.lockDayAndRead(key, 0));
    // The first lets go 500 ms after the second is seen waiting for the row (a waiter holds the
    // row's tuple lock while it waits), however long the second took to get there on a busy machine.
    const table = `${pg.escapeIdentifier(schema)}.doctor_days`;
    const waiting = () => sql(url!, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'tuple' AND relation = to_regclass($1)", [table])).rows[0]!.n);
    await expect.poll(waiting, LIVE).toBe(1);
    await sleep(500);
    release();
    await Promise.all([first, second]);

    expect(lockWaits).toHaveLength(2);
    // The first got the lock at once (no holder); the second waited for the first's commit.
    expect(Math.max(...lockWaits)).toBeGreaterThanOrEqual(0.3);
    expect(transactions).toHaveLength(2);
    expect(Math.max(...transactions)).toBeGreaterThanOrEqual(0.45);

    // A transaction that fails is timed too (to its ROLLBACK).
    await expect(
      sut.transaction(async (tx) => {
        await tx.lockDay(key);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(transactions).toHaveLength(3);
    expect(lockWaits).toHaveLength(3);
  });
});
