// The one behaviour both stores promise, as a vitest suite. Each store's test file calls
// storeContract with a factory that opens a fresh, migrated, empty store.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, bookedDay, DATE, doctor, expectNothingOf, marker, pause, seed, slotRows, text, tokenRows, versionOf } from './contract-fixtures.ts';
import { actorsContract } from './contract-actors.ts';
import { writerContract } from './contract-writer.ts';
import { DuplicateKeyError, TransactionClosedError } from '../../../src/store/errors.ts';
import type { DayKey, Store, Transaction } from '../../../src/store/store.ts';

export function storeContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let sut: Store;
    beforeEach(async () => {
      sut = await makeStore();
    });
    afterEach(async () => {
      await sut.close();
    });

    describe('doctors', () => {
      it('inserts, reads by id and code, lists in creation order, replaces the policy', async () => {
        const b = { ...doctor('doc-b', 'ENT', '2026-01-02T00:00:00.000Z'), room: 'OPD Block B-12' };
        const a = doctor('doc-a', 'GM', '2026-01-01T00:00:00.000Z');
        await sut.transaction(async (tx) => {
          await tx.insertDoctor(b);
          await tx.insertDoctor(a);
          // A transaction sees its own writes (the desk reads the policy under the day's lock).
          expect(await tx.getDoctor('doc-a')).toEqual(a);
          expect(await tx.getDoctor('nobody')).toBeNull();
        });
        expect(await sut.getDoctor('doc-a')).toEqual(a);
        expect(await sut.getDoctorByCode('ENT')).toEqual(b);
        expect(await sut.getDoctor('nobody')).toBeNull();
        expect(await sut.getDoctorByCode('XX')).toBeNull();
        expect((await sut.listDoctors()).map((d) => d.id)).toEqual(['doc-a', 'doc-b']);
        await sut.transaction((tx) => tx.setDoctorPolicy('doc-a', { preemption: 'off' }));
        expect((await sut.getDoctor('doc-a'))!.policy).toEqual({ preemption: 'off' });
        await expect(sut.transaction((tx) => tx.setDoctorPolicy('nobody', {}))).rejects.toThrow(/no doctor/);
      });

      it('refuses a taken code or id with DuplicateKeyError and keeps the first doctor', async () => {
        await sut.transaction((tx) => tx.insertDoctor(doctor('doc-a', 'GM')));
        const byCode = sut.transaction((tx) => tx.insertDoctor(doctor('doc-b', 'GM')));
        await expect(byCode).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(byCode).rejects.toMatchObject({ key: 'doctor.code', value: 'GM' });
        await expect(sut.transaction((tx) => tx.insertDoctor(doctor('doc-a', 'ENT')))).rejects.toMatchObject({ key: 'doctor.id' });
        expect((await sut.listDoctors()).map((d) => [d.id, d.code])).toEqual([['doc-a', 'GM']]);
      });
    });

    describe('the event log of a doctor-day', () => {
      it('round-trips payloads byte for byte, in position order, from any version', async () => {
        const f = bookedDay();
        const seqs = await seed(sut, f);
        expect(f.events.length).toBeGreaterThan(6);
        expect(seqs).toHaveLength(f.events.length);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(seqs.length);
        const back = await sut.dayEvents(f.key, 0);
        expect(back).toEqual(f.events);
        expect(back.map(text)).toEqual(f.events.map(text));
        expect(await sut.dayEvents(f.key, 3)).toEqual(f.events.slice(3));
        expect(await sut.dayEvents(f.key, f.events.length)).toEqual([]);
        expect(await sut.dayEvents({ doctorId: 'doc-1', date: '2026-01-06' }, 0)).toEqual([]);
      });

      it('counts events as the version; positions continue across transactions', async () => {
        const f = bookedDay();
        await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
        expect(await versionOf(sut, f.key)).toBe(0);
        const [first, rest] = [f.events.slice(0, 2), f.events.slice(2)];
        await sut.transaction(async (tx) => {
          expect(await tx.lockDay(f.key)).toBe(0);
          await tx.append(f.key, first, [], []);
          expect(await tx.dayEvents(f.key, 0)).toEqual(first);
        });
        const version = await sut.transaction(async (tx) => {
          const v = await tx.lockDay(f.key);
          expect(await tx.dayEvents(f.key, v)).toEqual([]);
          await tx.append(f.key, rest, [], []);
          return v;
        });
        expect(version).toBe(2);
        expect(await versionOf(sut, f.key)).toBe(f.events.length);
        expect(await sut.dayEvents(f.key, 0)).toEqual(f.events);
        expect(await sut.dayEvents(f.key, 2)).toEqual(rest);
      });

      it('appends projection rows without events, leaving the version alone', async () => {
        const f = bookedDay();
        await seed(sut, f);
        const slot = { ...slotRows(f)[0]!, capacity: 5 };
        expect(await sut.transaction((tx) => tx.append(f.key, [], [slot], []))).toEqual([]);
        expect(await versionOf(sut, f.key)).toBe(f.events.length);
        expect((await sut.getSlot(slot.id))!.capacity).toBe(5);
      });

      it('refuses a doctor-day of an unknown doctor', async () => {
        await expect(versionOf(sut, { doctorId: 'ghost', date: DATE })).rejects.toThrow();
      });
    });

    describe('projections', () => {
      it('stores slot and token rows and replaces them on the next append', async () => {
        const f = bookedDay();
        await seed(sut, f);
        for (const s of slotRows(f)) expect(await sut.getSlot(s.id)).toEqual(s);
        const tokens = tokenRows(f);
        for (const t of tokens) expect(await sut.getToken(t.id)).toEqual(t);
        expect(tokens.some((t) => t.slotId === null)).toBe(true);
        const moved = { ...tokens[0]!, status: 'CHECKED_IN' as const, slotId: null, bumps: 1, skips: 2 };
        const slot = { ...slotRows(f)[1]!, occupied: 0, start: at('10:30'), end: at('11:30') };
        await sut.transaction((tx) => tx.append(f.key, [marker(moved.id, 0)], [slot], [moved]));
        expect(await sut.getToken(moved.id)).toEqual(moved);
        expect(await sut.getSlot(slot.id)).toEqual(slot);
        expect(await sut.getSlot('nope')).toBeNull();
        expect(await sut.getToken('nope')).toBeNull();
      });

      it('refuses rows of another doctor-day, and slot ids taken by another day', async () => {
        const f = bookedDay();
        await seed(sut, f);
        const other: DayKey = { doctorId: 'doc-1', date: '2026-01-06' };
        const stolen = { ...slotRows(f)[0]!, ...other };
        await expect(sut.transaction((tx) => tx.append(f.key, [], [stolen], []))).rejects.toThrow(/another doctor-day|doc-1\/2026-01-06/);
        await expect(sut.transaction((tx) => tx.append(other, [], [stolen], []))).rejects.toThrow(/another doctor-day/);
        expect(await sut.getSlot(stolen.id)).toEqual(slotRows(f)[0]);
      });
    });

    describe('the store-wide sequence', () => {
      it('lists events after a seq in order, with their doctor-day, at most `limit`', async () => {
        const a = bookedDay('doc-1', DATE, 'GM');
        const b = bookedDay('doc-2', DATE, 'ENT');
        const seqsA = await seed(sut, a, 'GM');
        const seqsB = await seed(sut, b, 'ENT');
        const all = await sut.eventsAfter(0, 1000);
        expect(all.map((e) => e.seq)).toEqual([...seqsA, ...seqsB]);
        expect(all.map((e) => e.event)).toEqual([...a.events, ...b.events]);
        expect(all[0]).toMatchObject({ doctorId: 'doc-1', date: DATE });
        expect(all.at(-1)).toMatchObject({ doctorId: 'doc-2', date: DATE });
        const page = await sut.eventsAfter(seqsA[2]!, 4);
        expect(page.map((e) => e.seq)).toEqual(all.slice(3, 7).map((e) => e.seq));
        expect(await sut.eventsAfter(all.at(-1)!.seq, 10)).toEqual([]);
        expect(await sut.latestSeq()).toBe(all.at(-1)!.seq);
      });

      it("gives a token's history: the events whose tokenId it is, in order", async () => {
        const f = bookedDay();
        await seed(sut, f);
        const t1 = `doc-1-${DATE}-t1`;
        await sut.transaction((tx) => tx.append(f.key, [marker(t1, 99), marker('other', 100)], [], []));
        const history = await sut.tokenEvents(t1);
        const expected = [...f.events, marker(t1, 99)].filter((e) => 'tokenId' in e && e.tokenId === t1);
        expect(history.map((e) => e.event)).toEqual(expected);
        expect(history.map((e) => e.event.type)).toContain('TokenBumped');
        expect(history.map((e) => e.seq)).toEqual([...history.map((e) => e.seq)].sort((x, y) => x - y));
        expect(await sut.tokenEvents('nobody')).toEqual([]);
      });
    });

    actorsContract(() => sut);
    writerContract(() => sut);

    describe('idempotency records', () => {
      it('stores, reads and refuses a second record for a key', async () => {
        const record = { key: 'k-1', requestHash: 'h', response: '{"ok":true,"value":{"n":"GM-001"}}', createdAt: '2026-01-05T08:00:00.000Z' };
        await sut.transaction((tx) => tx.putIdempotency(record), 'k-1');
        expect(await sut.transaction((tx) => tx.getIdempotency('k-1'), 'k-1')).toEqual(record);
        expect(await sut.transaction((tx) => tx.getIdempotency('k-2'))).toBeNull();
        await expect(sut.transaction((tx) => tx.putIdempotency({ ...record, response: 'x' }))).rejects.toMatchObject({
          key: 'idempotency.key',
        });
      });

      it('runs transactions of one key one at a time', async () => {
        let firsts = 0;
        await Promise.all(
          Array.from({ length: 12 }, () =>
            sut.transaction(async (tx) => {
              if (await tx.getIdempotency('same')) return;
              await pause(2);
              await tx.putIdempotency({ key: 'same', requestHash: 'h', response: '{}', createdAt: 'now' });
              firsts++;
            }, 'same'),
          ),
        );
        expect(firsts).toBe(1);
      });
    });

    describe('atomicity', () => {
      it('leaves nothing behind when the work throws', async () => {
        await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
        const f = bookedDay();
        const boom = new Error('boom');
        const failed = sut.transaction(async (tx) => {
          await tx.lockDay(f.key);
          await tx.append(f.key, f.events, slotRows(f), tokenRows(f));
          await tx.putIdempotency({ key: 'k', requestHash: 'h', response: '{}', createdAt: 'now' });
          await tx.insertDoctor(doctor('doc-2', 'ENT'));
          await tx.setDoctorPolicy('doc-1', { preemption: 'off' });
          throw boom;
        }, 'k');
        await expect(failed).rejects.toBe(boom);
        await expectNothingOf(sut, f);
        expect(await sut.transaction((tx) => tx.getIdempotency('k'))).toBeNull();
        expect((await sut.listDoctors()).map((d) => d.id)).toEqual(['doc-1']);
        expect((await sut.getDoctor('doc-1'))!.policy).toEqual(doctor('doc-1', 'GM').policy);
        expect(await seed(sut, f)).toHaveLength(f.events.length);
      });

      it('rolls back a work that swallowed a failed call, and refuses calls after it', async () => {
        await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
        const f = bookedDay();
        let later: unknown;
        const swallowed = sut.transaction(async (tx) => {
          await tx.append(f.key, f.events, slotRows(f), tokenRows(f));
          await tx.insertDoctor(doctor('doc-2', 'GM')).catch(() => {});
          later = await tx.getIdempotency('k').catch((e: unknown) => e);
          return 'looks fine';
        });
        await expect(swallowed).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(later).toBeInstanceOf(TransactionClosedError);
        await expectNothingOf(sut, f);
      });

      it('refuses a transaction object used after its work settled', async () => {
        let leaked: Transaction | undefined;
        await sut.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked!.getIdempotency('k')).rejects.toBeInstanceOf(TransactionClosedError);
      });

      it('never shows uncommitted writes to reads outside the transaction', async () => {
        const f = bookedDay();
        await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
        await sut.transaction(async (tx) => {
          await tx.append(f.key, f.events, slotRows(f), tokenRows(f));
          expect(await sut.eventsAfter(0, 100)).toEqual([]);
          expect(await sut.dayEvents(f.key, 0)).toEqual([]);
          expect(await sut.getToken(tokenRows(f)[0]!.id)).toBeNull();
        });
        expect(await sut.dayEvents(f.key, 0)).toEqual(f.events);
      });
    });

    describe('concurrency', () => {
      it('serializes a doctor-day: versions without gaps, every event exactly once', async () => {
        await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
        const key: DayKey = { doctorId: 'doc-1', date: DATE };
        const n = 40;
        const seen = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            sut.transaction(async (tx) => {
              const version = await tx.lockDay(key);
              const before = await tx.dayEvents(key, 0);
              if (before.length !== version) throw new Error(`version ${version} but ${before.length} events`);
              await pause(i % 3);
              const [seq] = await tx.append(key, [marker(`w${i}`, version)], [], []);
              return { version, seq: seq! };
            }),
          ),
        );
        expect(seen.map((s) => s.version).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        const events = await sut.dayEvents(key, 0);
        expect(events.map((e) => (e as ReturnType<typeof marker>).effectiveRank)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(new Set(events.map((e) => (e as ReturnType<typeof marker>).tokenId)).size).toBe(n);
        const bySeq = [...seen].sort((a, b) => a.seq - b.seq).map((s) => s.version);
        expect(bySeq).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(await versionOf(sut, key)).toBe(n);
      });

      it('lets different doctor-days proceed together without losing any event', async () => {
        await sut.transaction(async (tx) => {
          for (const [id, code] of [['doc-1', 'GM'], ['doc-2', 'ENT'], ['doc-3', 'ORT']] as const) await tx.insertDoctor(doctor(id, code));
        });
        const keys: DayKey[] = ['doc-1', 'doc-2', 'doc-3'].map((doctorId) => ({ doctorId, date: DATE }));
        await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            sut.transaction(async (tx) => {
              const key = keys[i % 3]!;
              const version = await tx.lockDay(key);
              await pause(1);
              await tx.append(key, [marker(`w${i}`, version)], [], []);
            }),
          ),
        );
        for (const key of keys) expect(await versionOf(sut, key)).toBe(10);
        expect(await sut.eventsAfter(0, 100)).toHaveLength(30);
      });
    });

    it('finds the doctor-days with a slot ending after a time', async () => {
      const days = [bookedDay('doc-1', '2026-01-05', 'GM'), bookedDay('doc-1', '2026-01-06', 'GM'), bookedDay('doc-2', '2026-01-05', 'ENT')];
      for (const [i, f] of days.entries()) await seed(sut, f, ['GM', 'GM', 'ENT'][i]);
      const keys = (time: number) => sut.daysWithSlotsEndingAfter(time);
      expect(await keys(0)).toEqual([
        { doctorId: 'doc-1', date: '2026-01-05' },
        { doctorId: 'doc-1', date: '2026-01-06' },
        { doctorId: 'doc-2', date: '2026-01-05' },
      ]);
      expect(await keys(at('10:59', '2026-01-05'))).toHaveLength(3);
      expect(await keys(at('11:00', '2026-01-05'))).toEqual([{ doctorId: 'doc-1', date: '2026-01-06' }]);
      expect(await keys(at('11:00', '2026-01-06'))).toEqual([]);
    });

    it('lists the doctor-days, all or of one date, and reads one as a whole: version, log and rows', async () => {
      const days = [bookedDay('doc-2', '2026-01-05', 'ENT'), bookedDay('doc-1', '2026-01-06', 'GM'), bookedDay('doc-1', '2026-01-05', 'GM')];
      for (const [i, f] of days.entries()) await seed(sut, f, ['ENT', 'GM', 'GM'][i]);
      expect(await sut.listDays()).toEqual([
        { doctorId: 'doc-1', date: '2026-01-05' },
        { doctorId: 'doc-2', date: '2026-01-05' },
        { doctorId: 'doc-1', date: '2026-01-06' },
      ]);
      expect(await sut.listDays('2026-01-06')).toEqual([{ doctorId: 'doc-1', date: '2026-01-06' }]);
      expect(await sut.listDays('2026-01-07')).toEqual([]);

      const f = days[2]!;
      const whole = await sut.readDayRecords(f.key);
      const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(whole.version).toBe(f.events.length);
      expect(text(whole.events)).toBe(text(f.events));
      expect(byId(whole.slots)).toEqual(byId(slotRows(f)));
      expect(byId(whole.tokens)).toEqual(byId(tokenRows(f)));
      expect(await sut.readDayRecords({ doctorId: 'doc-9', date: '2026-01-05' })).toEqual({ version: 0, events: [], slots: [], tokens: [] });
    });

    it('migrates again without harm', async () => {
      const f = bookedDay();
      await seed(sut, f);
      await sut.migrate();
      await sut.migrate();
      expect(await sut.dayEvents(f.key, 0)).toEqual(f.events);
      expect(await seed(sut, bookedDay('doc-1', '2026-01-06'))).toHaveLength(f.events.length);
    });
  });
}
