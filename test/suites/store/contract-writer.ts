// The store contract (contract.ts), continued: a writer in few round trips (the catch-up read
// under the lock, writes sent with the commit) and what happens when they fail.

import { beforeEach, describe, expect, it } from 'vitest';
import { bookedDay, DATE, doctor, expectNothingOf, marker, pause, seed, slotRows, text, tokenRows, versionOf } from './contract-fixtures.ts';
import { DuplicateKeyError, TransactionClosedError } from '../../../src/store/errors.ts';
import type { DayKey, Store, Transaction } from '../../../src/store/store.ts';

export function writerContract(store: () => Store): void {
  let sut: Store;
  beforeEach(() => {
    sut = store();
  });

  describe('a writer in few round trips: catch-up read under the lock, writes with the commit', () => {
    it('locks and reads the events from a position: all of them, some, none', async () => {
      const f = bookedDay();
      await seed(sut, f);
      const n = f.events.length;
      await sut.transaction(async (tx) => {
        expect(await tx.lockDayAndRead(f.key, 0)).toEqual({ version: n, events: f.events });
        expect(await tx.lockDayAndRead(f.key, 3)).toEqual({ version: n, events: f.events.slice(3) });
        expect(await tx.lockDayAndRead(f.key, n)).toEqual({ version: n, events: [] });
        // A copy ahead of the log (a restored database): nothing to read, the version says so.
        expect(await tx.lockDayAndRead(f.key, n + 5)).toEqual({ version: n, events: [] });
        // The doctor read with the lock is the one committed.
        expect(await tx.getDoctor('doc-1')).toEqual(doctor('doc-1', 'GM'));
        // A day not written yet: its row is created, version 0.
        expect(await tx.lockDayAndRead({ doctorId: 'doc-1', date: '2026-01-06' }, 0)).toEqual({ version: 0, events: [] });
      });
      expect(await versionOf(sut, { doctorId: 'doc-1', date: '2026-01-06' })).toBe(0);
    });

    it('writes appendAtCommit and putIdempotencyAtCommit with the commit, in call order, visible to later calls', async () => {
      const f = bookedDay();
      await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
      const [first, rest] = [f.events.slice(0, 2), f.events.slice(2)];
      const record = { key: 'k-commit', requestHash: 'h', response: '{"ok":true,"value":"it\'s \\ \\"done\\""}', createdAt: 'now' };
      const seen = await sut.transaction(async (tx) => {
        expect(await tx.lockDayAndRead(f.key, 0)).toEqual({ version: 0, events: [] });
        tx.appendAtCommit(f.key, first, [], [], null);
        // A later call of the same transaction sees what is waiting for the commit.
        const sofar = await tx.dayEvents(f.key, 0);
        tx.appendAtCommit(f.key, rest, slotRows(f), tokenRows(f), null);
        tx.putIdempotencyAtCommit(record);
        return sofar;
      }, record.key);
      expect(seen).toEqual(first);
      expect(await sut.dayEvents(f.key, 0)).toEqual(f.events);
      expect(await versionOf(sut, f.key)).toBe(f.events.length);
      for (const t of tokenRows(f)) expect(await sut.getToken(t.id)).toEqual(t);
      for (const sl of slotRows(f)) expect(await sut.getSlot(sl.id)).toEqual(sl);
      expect(await sut.transaction((tx) => tx.getIdempotency(record.key))).toEqual(record);
      const all = await sut.eventsAfter(0, 100);
      expect(all.map((e) => e.event)).toEqual(f.events);
    });

    it('keeps any text exactly: quotes, backslashes, SQL, braces, commas, "NULL"', async () => {
      await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
      const key: DayKey = { doctorId: 'doc-1', date: DATE };
      const nasty = ["O'Brien", 'back\\slash \\\'', "'); COMMIT; --", '{a,b}', '"NULL"', 'NULL', 'tab\tnew\nline', 'ಆಶಾ 🙂', ''];
      const events = nasty.map((text, i) => ({ ...marker(`tok ${text} ${i}`, i), note: text }) as unknown as ReturnType<typeof marker>);
      const f = bookedDay();
      const tokens = tokenRows(f).map((t, i) => ({ ...t, number: nasty[i]! }));
      const patients = tokens.map((t, i) => ({
        tokenId: t.id,
        doctorId: t.doctorId,
        date: t.date,
        name: nasty[(i + 3) % nasty.length]!,
        phone: nasty[i + 1]!,
        phoneE164: nasty[i + 2]!,
        patientId: i === 0 ? null : nasty[i + 4]!,
        nameFolded: nasty[i + 5]!,
        idFolded: null,
      }));
      const record = { key: nasty.join('|'), requestHash: nasty[1]!, response: JSON.stringify(nasty), createdAt: nasty[2]! };
      await sut.transaction(async (tx) => {
        await tx.lockDayAndRead(key, 0);
        await tx.append(key, events.slice(0, 4), slotRows(f), []);
        tx.appendAtCommit(key, events.slice(4), [], tokens, null);
        tx.putIdempotencyAtCommit(record);
        for (const p of patients) tx.putPersonalAtCommit(p);
      }, record.key);
      const personal = await sut.personal.ofTokens(tokens.map((t) => t.id));
      expect(personal.sort((a, b) => a.tokenId.localeCompare(b.tokenId))).toEqual(patients.sort((a, b) => a.tokenId.localeCompare(b.tokenId)));
      const back = await sut.dayEvents(key, 0);
      expect(back.map(text)).toEqual(events.map(text));
      expect((await sut.transaction((tx) => tx.lockDayAndRead(key, 2))).events).toEqual(events.slice(2));
      for (const t of tokens) expect(await sut.getToken(t.id)).toEqual(t);
      expect((await sut.tokenEvents(`tok ${nasty[0]} 0`)).map((e) => e.event)).toEqual([events[0]]);
      expect(await sut.transaction((tx) => tx.getIdempotency(record.key))).toEqual(record);
    });

    it('fails the whole transaction when a write at commit fails, and writes nothing of it', async () => {
      const f = bookedDay();
      await seed(sut, f);
      const other: DayKey = { doctorId: 'doc-1', date: '2026-01-06' };
      // A slot id taken by another doctor-day: found only by the database, at the commit.
      const stolen = { ...slotRows(f)[0]!, ...other };
      const record = { key: 'k-stolen', requestHash: 'h', response: '{}', createdAt: 'now' };
      const failed = sut.transaction(async (tx) => {
        await tx.lockDayAndRead(other, 0);
        tx.appendAtCommit(other, [marker('t-other', 0)], [], [], null);
        tx.appendAtCommit(other, [marker('t-other-2', 1)], [stolen], [], null);
        tx.putIdempotencyAtCommit(record);
        return 'looks fine';
      }, record.key);
      await expect(failed).rejects.toThrow(/another doctor-day/);
      expect(await sut.dayEvents(other, 0)).toEqual([]);
      expect(await sut.getSlot(stolen.id)).toEqual(slotRows(f)[0]);
      expect(await sut.transaction((tx) => tx.getIdempotency(record.key))).toBeNull();
      expect(await sut.eventsAfter(0, 100)).toHaveLength(f.events.length);

      // A key recorded meanwhile: DuplicateKeyError, and the append that came with it is not written.
      await sut.transaction(async (tx) => tx.putIdempotencyAtCommit({ ...record, key: 'k-taken' }));
      const taken = sut.transaction(async (tx) => {
        await tx.lockDayAndRead(f.key, f.events.length);
        tx.appendAtCommit(f.key, [marker('t-dup', 0)], [], [], null);
        tx.putIdempotencyAtCommit({ ...record, key: 'k-taken' });
      });
      await expect(taken).rejects.toMatchObject({ key: 'idempotency.key' });
      await expect(taken).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await sut.dayEvents(f.key, 0)).toEqual(f.events);
      expect(await versionOf(sut, f.key)).toBe(f.events.length);
    });

    it('writes nothing when the work throws after queueing its writes, and refuses them after the work settled', async () => {
      const f = bookedDay();
      await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
      const boom = new Error('boom');
      await expect(
        sut.transaction(async (tx) => {
          await tx.lockDayAndRead(f.key, 0);
          tx.appendAtCommit(f.key, f.events, slotRows(f), tokenRows(f), null);
          tx.putIdempotencyAtCommit({ key: 'k', requestHash: 'h', response: '{}', createdAt: 'now' });
          throw boom;
        }, 'k'),
      ).rejects.toBe(boom);
      await expectNothingOf(sut, f);
      expect(await sut.transaction((tx) => tx.getIdempotency('k'))).toBeNull();
      let leaked: Transaction | undefined;
      await sut.transaction(async (tx) => {
        leaked = tx;
      });
      expect(() => leaked!.appendAtCommit(f.key, f.events, [], [], null)).toThrow(TransactionClosedError);
      expect(() => leaked!.putIdempotencyAtCommit({ key: 'k', requestHash: 'h', response: '{}', createdAt: 'now' })).toThrow(TransactionClosedError);
      await expectNothingOf(sut, f);
    });

    it('serializes a doctor-day: every writer catches up on exactly the events committed before its lock', async () => {
      await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
      const key: DayKey = { doctorId: 'doc-1', date: DATE };
      const n = 40;
      // Each writer keeps a copy as a server does, and reads only what it has not seen.
      const copies: ReturnType<typeof marker>[][] = [[], [], [], []];
      const seen = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          sut.transaction(async (tx) => {
            const copy = copies[i % copies.length]!;
            const known = copy.length;
            const { version, events } = await tx.lockDayAndRead(key, known);
            if (known + events.length !== version) throw new Error(`version ${version} but ${known} + ${events.length} events`);
            await pause(i % 3);
            tx.appendAtCommit(key, [marker(`w${i}`, version)], [], [], null);
            return { i, version, events: events as ReturnType<typeof marker>[] };
          }).then((r) => {
            const copy = copies[r.i % copies.length]!;
            // The copy is extended only when it was still where this writer started from.
            if (copy.length + r.events.length === r.version) copy.push(...r.events, marker(`w${r.i}`, r.version));
            return r.version;
          }),
        ),
      );
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      const events = (await sut.dayEvents(key, 0)) as ReturnType<typeof marker>[];
      expect(events.map((e) => e.effectiveRank)).toEqual(Array.from({ length: n }, (_, i) => i));
      for (const copy of copies) expect(copy).toEqual(events.slice(0, copy.length));
    });
  });

}
