// The one behaviour both stores promise, as a vitest suite. Each store's test file calls
// storeContract with a factory that opens a fresh, migrated, empty store.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, bookedDay, DATE, doctor, marker, pause, slotRows, tokenRows, type DayFixture } from './contract-fixtures.ts';
import { DuplicateKeyError, TransactionClosedError } from './errors.ts';
import type { DayKey, EventActor, Store, Transaction } from './store.ts';

async function seed(store: Store, f: DayFixture, code = 'GM'): Promise<number[]> {
  return store.transaction(async (tx) => {
    if (!(await store.getDoctor(f.key.doctorId))) await tx.insertDoctor(doctor(f.key.doctorId, code));
    await tx.lockDay(f.key);
    return tx.append(f.key, f.events, slotRows(f), tokenRows(f));
  });
}

const versionOf = (store: Store, key: DayKey) => store.transaction((tx) => tx.lockDay(key));
const text = (v: unknown) => JSON.stringify(v);

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
        const b = doctor('doc-b', 'ENT', '2026-01-02T00:00:00.000Z');
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

    describe('who caused each event', () => {
      const anita: EventActor = { kind: 'account', id: 'acc-anita', name: "Anita 'A' \\ ಅನಿತಾ", role: 'desk' };
      const kiosk: EventActor = { kind: 'apiKey', id: 'key-kiosk', name: 'Lobby kiosk', role: 'desk' };

      it("stores each append's actor beside its events (its four fields only), null when none, and reads it back", async () => {
        const f = bookedDay();
        await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
        // An Actor carries its doctor scope too: the log never keeps it.
        const withScope = { ...anita, doctorIds: ['doc-1'] } as EventActor;
        await sut.transaction(async (tx) => {
          await tx.lockDay(f.key);
          await tx.append(f.key, f.events.slice(0, 2), [], []);
          tx.appendAtCommit(f.key, f.events.slice(2, 4), [], [], withScope);
          tx.appendAtCommit(f.key, f.events.slice(4), slotRows(f), tokenRows(f), kiosk);
        });
        const all = await sut.eventsAfter(0, 100);
        expect(all.map((e) => e.actor)).toEqual([null, null, anita, anita, ...f.events.slice(4).map(() => kiosk)]);
        expect(all[2]!.actor).not.toHaveProperty('doctorIds');
        // A token's history carries them too: t3 (the walk-in) was issued in the kiosk's part.
        const history = await sut.tokenEvents(`doc-1-${DATE}-t3`);
        expect(history.length).toBeGreaterThan(0);
        for (const e of history) expect(e.actor).toEqual(kiosk);
        expect(await sut.dayEvents(f.key, 0)).toEqual(f.events);
      });

      it("lists one actor's events whose time is in [from, to), in order, with the number of the token each names", async () => {
        const f = bookedDay();
        await seed(sut, f);
        const t1 = `doc-1-${DATE}-t1`;
        const nine = at('09:00');
        // marker(id, n) happens at 09:00 + n ms.
        await sut.transaction(async (tx) => {
          await tx.lockDay(f.key);
          tx.appendAtCommit(f.key, [marker(t1, 10)], [], [], anita);
          tx.appendAtCommit(f.key, [marker(t1, 15)], [], [], kiosk);
          tx.appendAtCommit(f.key, [marker('no-such-token', 20), marker(t1, 30)], [], [], anita);
        });
        const mine = await sut.actorEvents('acc-anita', nine, nine + 1000);
        expect(mine.map((e) => [e.event.at - nine, e.tokenNumber, e.doctorId, e.date])).toEqual([
          [10, 'GM-001', 'doc-1', DATE],
          [20, null, 'doc-1', DATE],
          [30, 'GM-001', 'doc-1', DATE],
        ]);
        expect(mine.map((e) => e.actor)).toEqual([anita, anita, anita]);
        expect(mine.map((e) => e.seq)).toEqual([...mine.map((e) => e.seq)].sort((x, y) => x - y));
        // The range includes its start and excludes its end.
        expect((await sut.actorEvents('acc-anita', nine + 10, nine + 20)).map((e) => e.event.at - nine)).toEqual([10]);
        expect((await sut.actorEvents('acc-anita', nine + 11, nine + 30)).map((e) => e.event.at - nine)).toEqual([20]);
        expect((await sut.actorEvents('key-kiosk', nine, nine + 1000)).map((e) => e.event.at - nine)).toEqual([15]);
        // Events written without an actor are nobody's.
        expect(await sut.actorEvents('acc-anita', 0, nine)).toEqual([]);
        expect(await sut.actorEvents('nobody', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
      });
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
        const tokens = tokenRows(f).map((t, i) => ({ ...t, number: nasty[i]!, patient: { name: nasty[(i + 3) % nasty.length]!, phone: nasty[i + 1]! } }));
        const record = { key: nasty.join('|'), requestHash: nasty[1]!, response: JSON.stringify(nasty), createdAt: nasty[2]! };
        await sut.transaction(async (tx) => {
          await tx.lockDayAndRead(key, 0);
          await tx.append(key, events.slice(0, 4), slotRows(f), []);
          tx.appendAtCommit(key, events.slice(4), [], tokens, null);
          tx.putIdempotencyAtCommit(record);
        }, record.key);
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

async function expectNothingOf(store: Store, f: DayFixture): Promise<void> {
  expect(await store.dayEvents(f.key, 0)).toEqual([]);
  expect(await store.eventsAfter(0, 100)).toEqual([]);
  expect(await store.latestSeq()).toBe(0);
  for (const s of slotRows(f)) expect(await store.getSlot(s.id)).toBeNull();
  for (const t of tokenRows(f)) expect(await store.getToken(t.id)).toBeNull();
  expect(await versionOf(store, f.key)).toBe(0);
}
