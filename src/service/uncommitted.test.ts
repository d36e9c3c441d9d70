// A server's in-memory doctor-day never keeps what a transaction that failed (or whose commit is in
// doubt) did to it: the next change reads the day again from the log.

import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store/errors.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { createTokenDesk } from './token-desk.ts';
import type { TokenDesk } from './types.ts';
import { ManualClock } from '../time/clock.ts';
import { AS_DESK } from '../../test/kits/service/test-kit.ts';

const DATE = '2026-03-10';
const desk = (store: Store) => createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(`${DATE}T08:00:00+05:30`)) });

/** The store, whose next transaction fails the way a lost connection does: before or after it commits. */
function flaky(store: Store): { store: Store; failNext: (how: 'rolled back' | 'committed') => void } {
  let fail: 'rolled back' | 'committed' | null = null;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return async (work: Parameters<Store['transaction']>[0], key?: string) => {
          const how = fail;
          fail = null;
          if (how === null) return target.transaction(work, key);
          if (how === 'rolled back') {
            await target
              .transaction(async (tx) => {
                await work(tx);
                throw new Error('roll back');
              }, key)
              .catch(() => undefined);
            throw new StoreUnavailableError('not-committed', { cause: new Error('Connection terminated unexpectedly') });
          }
          await target.transaction(work, key);
          throw new StoreUnavailableError('unknown', { cause: new Error('Connection terminated unexpectedly') });
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, failNext: (how) => (fail = how) };
}

describe('after a failed or uncertain commit', () => {
  let store: Store | undefined;
  const desks: TokenDesk[] = [];
  afterEach(async () => {
    for (const d of desks.splice(0)) await d.close();
    await store?.close();
  });

  for (const how of ['rolled back', 'committed'] as const) {
    it(`reads the day again (the transaction ${how}, the server was told the database was lost)`, async () => {
      store = await openStore({ kind: 'sqlite', file: ':memory:' });
      const f = flaky(store);
      const a = desk(f.store); // the server whose connection is lost
      const b = desk(store); // another server on the same database
      desks.push(a, b);
      const doctor = await b.createDoctor({ name: 'Dr Cache', department: 'General Medicine' }, AS_DESK);
      await b.createSlot({ doctorId: doctor.id, start: `${DATE}T10:00:00+05:30`, end: `${DATE}T11:00:00+05:30`, capacity: 5 }, AS_DESK);
      await a.schedule(doctor.id, DATE); // A has the day in memory

      f.failNext(how);
      await expect(a.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'In doubt' }, date: DATE }, AS_DESK)).rejects.toBeInstanceOf(StoreUnavailableError);
      // Another server books: if it was rolled back, the log is now as long as A's copy would be.
      const other = await b.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Other server' }, date: DATE }, AS_DESK);

      // A acts on what the log holds, not on its own copy.
      expect((await a.act(other.id, 'check-in', AS_DESK)).status).toBe('CHECKED_IN');
      const next = await a.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Next' }, date: DATE }, AS_DESK);
      const names = (await b.schedule(doctor.id, DATE)).slots[0]!.tokens.map((t) => t.patient?.name);
      const expected = how === 'committed' ? ['In doubt', 'Other server', 'Next'] : ['Other server', 'Next'];
      expect(names.sort()).toEqual(expected.sort());
      expect(next.number).toBe(`${doctor.code}-${String(expected.length).padStart(3, '0')}`);
    });
  }
});
