// Transfer (SPEC 7) on a real store, as a vitest suite run on both stores: one transaction over both
// doctor-days, the new token issued first and the old one cancelled, each naming the other, every
// event with the request's actor; a refusal changes nothing; an Idempotency-Key answers again; and
// two opposite transfers at once both go through (the days are locked in one fixed order).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.ts';
import { ManualClock } from '../../../src/time/clock.ts';
import { AS_DESK, withKey } from '../../kits/service/test-kit.ts';
import { createTokenDesk } from '../../../src/service/token-desk.ts';
import type { Doctor, Slot, TokenDesk } from '../../../src/service/types.ts';

export interface TransferSuiteStore {
  store: Store;
  /** Another store on the same database, as a second server would open it (PostgreSQL); absent for SQLite. */
  another?: () => Promise<Store>;
  close(): Promise<void>;
}

const at = (hhmm: string, date = '2026-03-10') => `${date}T${hhmm}:00+05:30`;

export function transferSuite(name: string, open: () => Promise<TransferSuiteStore>): void {
  describe(`transfer: ${name}`, () => {
    let db: TransferSuiteStore;
    let desk: TokenDesk;
    let gm: Doctor;
    let ra: Doctor;
    let gmSlot: Slot;
    let raSlot: Slot;
    const extra: { store: Store; desk: TokenDesk }[] = [];

    beforeEach(async () => {
      db = await open();
      desk = createTokenDesk({ store: db.store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(at('08:00'))) });
      gm = await desk.createDoctor({ name: 'Dr. Gupta', department: 'General Medicine', code: 'GM' }, AS_DESK);
      ra = await desk.createDoctor({ name: 'Dr. Rao', department: 'General Medicine', code: 'RA' }, AS_DESK);
      gmSlot = await desk.createSlot({ doctorId: gm.id, start: at('09:00'), end: at('10:00'), capacity: 3 }, AS_DESK);
      raSlot = await desk.createSlot({ doctorId: ra.id, start: at('10:00'), end: at('11:00'), capacity: 3 }, AS_DESK);
    });
    afterEach(async () => {
      for (const x of extra.splice(0)) {
        await x.desk.close();
        await x.store.close();
      }
      await desk.close();
      await db.close();
    });

    const issue = (doctorId: string, name: string, phone?: string) =>
      desk.issueToken({ doctorId, source: 'FOLLOWUP', patient: { name, ...(phone ? { phone } : {}) } }, AS_DESK);

    it('7: transfer: the new token is issued with Dr. Rao and names the old; the old is CANCELLED naming the new; both histories say so, by the desk', async () => {
      const old = await issue(gm.id, 'Asha Verma', '98450 11111');
      const moved = await desk.transferToken(old.id, { doctorId: ra.id }, AS_DESK);
      expect(moved).toMatchObject({
        number: 'RA-001', doctorId: ra.id, slotId: raSlot.id, source: 'FOLLOWUP', status: 'ALLOCATED',
        patient: { name: 'Asha Verma', phone: '+919845011111' },
        transferredFrom: { tokenId: old.id, number: 'GM-001', doctorId: gm.id, date: '2026-03-10' },
      });
      expect(await desk.getToken(old.id)).toMatchObject({ status: 'CANCELLED', transferredTo: { tokenId: moved.id, number: 'RA-001', doctorId: ra.id, date: '2026-03-10' } });
      expect(await desk.getToken(moved.id)).toEqual(moved);
      expect((await desk.schedule(ra.id, '2026-03-10')).slots[0]!.tokens.map((t) => t.number)).toEqual(['RA-001']);
      expect((await desk.getSlot(gmSlot.id)).occupied).toBe(0);
      const anita = { kind: 'account', name: 'Anita', role: 'desk' };
      const oldHistory = await desk.tokenHistory(old.id);
      expect(oldHistory.at(-1)).toMatchObject({ type: 'TokenCancelled', reason: 'transferred', transferredTo: { number: 'RA-001' }, actor: anita });
      const newHistory = await desk.tokenHistory(moved.id);
      expect(newHistory.map((e) => e.type)).toEqual(['TokenIssued', 'TokenAllocated']);
      expect(newHistory[0]).toMatchObject({ number: 'RA-001', transferredFrom: { number: 'GM-001' }, actor: anita });
      expect(JSON.stringify(newHistory[0])).not.toContain('Asha');
      // The new day's events come first in the log, then the old day's.
      const log = await desk.eventsAfter(0, 100);
      expect(log.slice(-3).map((e) => [e.type, e.doctorId])).toEqual([['TokenIssued', ra.id], ['TokenAllocated', ra.id], ['TokenCancelled', gm.id]]);
    });

    it('7: a checked-in patient moves to the same doctor on another day checked in, and a slot can be named', async () => {
      const tomorrow = await desk.createSlot({ doctorId: gm.id, start: at('09:00', '2026-03-11'), end: at('10:00', '2026-03-11'), capacity: 2 }, AS_DESK);
      const old = await issue(gm.id, 'Bela');
      await desk.act(old.id, 'check-in', AS_DESK);
      const moved = await desk.transferToken(old.id, { doctorId: gm.id, date: '2026-03-11' }, AS_DESK);
      expect(moved).toMatchObject({ number: 'GM-001', status: 'CHECKED_IN', slotId: tomorrow.id, transferredFrom: { number: 'GM-001', date: '2026-03-10' } });
      const other = await issue(gm.id, 'Chandra');
      expect(await desk.transferToken(other.id, { doctorId: ra.id, slotId: raSlot.id }, AS_DESK)).toMatchObject({ number: 'RA-001', slotId: raSlot.id });
    });

    it('7: a refused transfer says why in words and changes nothing on either day', async () => {
      const old = await issue(gm.id, 'Dev', '9845022222');
      await issue(ra.id, 'Dev again', '+91 98450 22222');
      const count = async () => (await desk.eventsAfter(0, 1000)).length;
      const before = await count();
      await expect(desk.transferToken(old.id, { doctorId: ra.id }, AS_DESK)).rejects.toMatchObject({ code: 'DUPLICATE_TOKEN', message: 'The patient already holds RA-001 with Dr. Rao on 10 Mar.' });
      await expect(desk.transferToken(old.id, { doctorId: gm.id }, AS_DESK)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED', message: 'The token is already with Dr. Gupta on 10 Mar: choose another doctor or another day.',
      });
      await expect(desk.transferToken(old.id, { doctorId: ra.id, date: '2026-03-12' }, AS_DESK)).rejects.toMatchObject({ code: 'NO_OPEN_SLOT', message: 'Dr. Rao has no OPD on 12 Mar.' });
      await expect(desk.transferToken(old.id, { doctorId: ra.id, date: '2026-03-09' }, AS_DESK)).rejects.toMatchObject({ code: 'NO_OPEN_SLOT', message: 'Dr. Rao has no OPD left on 9 Mar.' });
      await expect(desk.transferToken(old.id, { doctorId: ra.id, slotId: gmSlot.id }, AS_DESK)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(desk.transferToken('nope', { doctorId: ra.id }, AS_DESK)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const seen = await issue(gm.id, 'Esha');
      await desk.act(seen.id, 'check-in', AS_DESK);
      await desk.callNext(gm.id, '2026-03-10', AS_DESK);
      await desk.act(seen.id, 'complete', AS_DESK);
      const after = await count();
      await expect(desk.transferToken(seen.id, { doctorId: ra.id }, AS_DESK)).rejects.toMatchObject({ code: 'INVALID_TRANSITION', message: 'GM-002 cannot be transferred: the patient was already seen.' });
      expect(await count()).toBe(after);
      // Of the refusals, only what any refused request records: the policy in force, noted the first
      // time a day is seen (12 Mar, which has no OPD). No token, seat or number changed on any day.
      expect((await desk.eventsAfter(0, 1000)).slice(before).map((e) => [e.type, e.date])).toEqual([
        ['PolicyChanged', '2026-03-12'],
        ...['TokenIssued', 'TokenAllocated', 'TokenCheckedIn', 'TokenCalled', 'TokenCompleted'].map((type) => [type, '2026-03-10']),
      ]);
      expect((await desk.getToken(old.id)).status).toBe('ALLOCATED');
      const moved = await desk.transferToken((await issue(gm.id, 'Farah')).id, { doctorId: ra.id }, AS_DESK);
      await expect(desk.transferToken(moved.transferredFrom!.tokenId, { doctorId: ra.id, date: '2026-03-11' }, AS_DESK)).rejects.toMatchObject({
        code: 'INVALID_TRANSITION', message: 'GM-003 cannot be transferred: it was already moved to RA-002.',
      });
    });

    it('7: a transfer retried with its Idempotency-Key answers the first answer and moves nothing again; another body is refused', async () => {
      const old = await issue(gm.id, 'Gita');
      const key = { key: 'move-gita', requestHash: 'h1' };
      const first = await desk.transferToken(old.id, { doctorId: ra.id }, withKey(key));
      expect(await desk.transferToken(old.id, { doctorId: ra.id }, withKey(key))).toEqual(first);
      await expect(desk.transferToken(old.id, { doctorId: ra.id, date: '2026-03-11' }, withKey({ key: 'move-gita', requestHash: 'h2' }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect((await desk.schedule(ra.id, '2026-03-10')).slots[0]!.tokens).toHaveLength(1);
      expect((await desk.eventsAfter(0, 1000)).filter((e) => e.type === 'TokenIssued' && e.doctorId === ra.id)).toHaveLength(1);
    });

    it('7: opposite transfers at the same moment, on one server or two, all go through (both days locked in one order)', async () => {
      const desks = [desk];
      if (db.another) {
        const store = await db.another();
        const second = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(at('08:00'))) });
        extra.push({ store, desk: second });
        desks.push(second);
      }
      await desk.changeCapacity(gmSlot.id, 20, AS_DESK);
      await desk.changeCapacity(raSlot.id, 20, AS_DESK);
      const fromGm = await Promise.all(Array.from({ length: 8 }, (_, i) => issue(gm.id, `G${i}`)));
      const fromRa = await Promise.all(Array.from({ length: 8 }, (_, i) => issue(ra.id, `R${i}`)));
      const moves = fromGm.flatMap((g, i) => [
        desks[i % desks.length]!.transferToken(g.id, { doctorId: ra.id }, AS_DESK),
        desks[(i + 1) % desks.length]!.transferToken(fromRa[i]!.id, { doctorId: gm.id }, AS_DESK),
      ]);
      const done = await Promise.all(moves);
      expect(done.map((t) => t.status)).toEqual(new Array(16).fill('ALLOCATED'));
      const gmDay = await desk.schedule(gm.id, '2026-03-10');
      const raDay = await desk.schedule(ra.id, '2026-03-10');
      expect(gmDay.slots[0]!.tokens.map((t) => t.patient!.name).sort()).toEqual(fromRa.map((t) => t.patient!.name).sort());
      expect(raDay.slots[0]!.tokens.map((t) => t.patient!.name).sort()).toEqual(fromGm.map((t) => t.patient!.name).sort());
      expect(new Set(done.map((t) => t.number)).size).toBe(16);
    });
  });
}
