// The weekly rota on a real store, run on both (rota.test.ts, rota.pg.test.ts): the days ahead made
// from it once, even by two desks at once on two connections; closed dates skipped; an edit that
// leaves days with tokens alone and asks; a holiday that closes slots and lists the tokens to call.
// Expected slots are written by hand from the rota (2026-03-10 is a Tuesday).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/access/types.ts';
import type { RotaSession } from '../../../src/store/rota-repo.ts';
import type { Store } from '../../../src/store/store.ts';
import { ManualClock } from '../../../src/time/clock.ts';
import { AS_DESK, by } from '../../kits/service/test-kit.ts';
import { createTokenDesk, openTokenDesk } from '../../../src/service/token-desk.ts';
import type { Doctor, TokenDesk } from '../../../src/service/types.ts';

export interface RotaSuiteStores {
  store: Store;
  /** A second connection to the same database (another server's). */
  second(): Promise<Store>;
  close(): Promise<void>;
}

const ADMIN: Actor = Object.freeze({ kind: 'account', id: 'acc-admin', name: 'Priya', role: 'admin', doctorIds: 'all' });
const AS_ADMIN = by(ADMIN);
const at = (hhmm: string, date = '2026-03-10') => new Date(`${date}T${hhmm}:00+05:30`);

/** Tuesdays 09:00–11:00 in OPD 3, four half-hour slots of 4; Thursdays 14:00–15:00, one slot of 10 in the doctor's room. */
const WEEK: RotaSession[] = [
  { weekday: 2, start: '09:00', end: '11:00', slotMinutes: 30, capacity: 4, room: 'OPD 3' },
  { weekday: 4, start: '14:00', end: '15:00', slotMinutes: 60, capacity: 10, room: null },
];

export function rotaSuite(name: string, open: () => Promise<RotaSuiteStores>): void {
  describe(`weekly rota: ${name}`, () => {
    let db: RotaSuiteStores;
    let desk: TokenDesk;
    let doctor: Doctor;
    const extra: { desk: TokenDesk; store: Store }[] = [];

    beforeEach(async () => {
      db = await open();
      desk = createTokenDesk({ store: db.store, timeZone: 'Asia/Kolkata', clock: new ManualClock(at('08:00')) });
      doctor = await desk.createDoctor({ name: 'Dr Rao', department: 'General Medicine', code: 'GM', room: 'Room 7' }, AS_ADMIN);
    });
    afterEach(async () => {
      for (const e of extra.splice(0)) {
        await e.desk.close();
        await e.store.close();
      }
      await desk.close();
      await db.close();
    });

    /** A day's slots as "HH:MM-HH:MM cap room". */
    async function slotsOf(date: string, d: TokenDesk = desk): Promise<string[]> {
      const day = await d.schedule(doctor.id, date);
      return day.slots.map((s) => `${s.start.slice(11, 16)}-${s.end.slice(11, 16)} ${s.capacity} ${s.room}`);
    }
    const TUESDAY = ['09:00-09:30 4 OPD 3', '09:30-10:00 4 OPD 3', '10:00-10:30 4 OPD 3', '10:30-11:00 4 OPD 3'];
    const THURSDAY = ['14:00-15:00 10 Room 7'];

    it('10: setting a rota makes today and the next 13 days: each session\'s slots and room, nothing on other weekdays', async () => {
      const change = await desk.setRota(doctor.id, WEEK, AS_ADMIN);
      expect(change.changed).toEqual(['2026-03-10', '2026-03-12', '2026-03-17', '2026-03-19']);
      expect(change.asks).toEqual([]);
      expect(change.rota).toMatchObject({ doctorId: doctor.id, daysAhead: 14, sessions: WEEK });
      expect(await slotsOf('2026-03-10')).toEqual(TUESDAY);
      expect(await slotsOf('2026-03-11')).toEqual([]);
      expect(await slotsOf('2026-03-12')).toEqual(THURSDAY);
      expect(await slotsOf('2026-03-17')).toEqual(TUESDAY);
      expect(await slotsOf('2026-03-24')).toEqual([]); // the 15th date: beyond OPD_ROTA_DAYS
      // The slots are the engine's, made as POST /api/slots makes them: SlotCreated in the log, by the admin.
      const feed = await desk.eventsAfter(0, 100);
      expect(feed.filter((e) => e.type === 'SlotCreated')).toHaveLength(10);
      // A token can be booked there (the desk sees the slot's room).
      const token = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Meena' }, date: '2026-03-17' }, AS_DESK);
      expect((await desk.getSlot(token.slotId!)).room).toBe('OPD 3');
      // The daily round finds every day made: nothing more.
      expect(await desk.makeRotaDays()).toBe(0);
      expect((await desk.eventsAfter(0, 100)).filter((e) => e.type === 'SlotCreated')).toHaveLength(10);
    });

    it('10: two desks on two connections making the days at once make each doctor-day once', async () => {
      // The rota stored without making anything, as if written before both servers started.
      await db.store.transaction((tx) => tx.rota.putRota({ doctorId: doctor.id, sessions: WEEK, updatedAt: 0 }));
      const store2 = await db.second();
      const desk2 = createTokenDesk({ store: store2, timeZone: 'Asia/Kolkata', clock: new ManualClock(at('08:00')) });
      extra.push({ desk: desk2, store: store2 });
      const made = await Promise.all([desk.makeRotaDays(), desk2.makeRotaDays(), desk.makeRotaDays(), desk2.makeRotaDays()]);
      expect(made.reduce((a, b) => a + b, 0)).toBe(4);
      for (const d of [desk, desk2]) {
        expect(await slotsOf('2026-03-10', d)).toEqual(TUESDAY);
        expect(await slotsOf('2026-03-19', d)).toEqual(THURSDAY);
      }
      expect((await desk.eventsAfter(0, 200)).filter((e) => e.type === 'SlotCreated')).toHaveLength(10);
    });

    it('10: a desk that starts makes the days ahead at once, as many as it is told (OPD_ROTA_DAYS)', async () => {
      await db.store.transaction((tx) => tx.rota.putRota({ doctorId: doctor.id, sessions: WEEK, updatedAt: 0 }));
      const store2 = await db.second();
      const started = await openTokenDesk({ store: store2, timeZone: 'Asia/Kolkata', clock: new ManualClock(at('08:00')), rotaDays: 3 });
      extra.push({ desk: started, store: store2 });
      expect(await slotsOf('2026-03-10', started)).toEqual(TUESDAY);
      expect(await slotsOf('2026-03-12', started)).toEqual(THURSDAY);
      expect(await slotsOf('2026-03-17', started)).toEqual([]); // the 8th date: beyond 3 days
    });

    it('10: a new date on the clock makes the day that came into reach, once', async () => {
      await desk.setRota(doctor.id, WEEK, AS_ADMIN);
      expect(await slotsOf('2026-03-24')).toEqual([]);
      await desk.setClock(at('07:00', '2026-03-11')); // 2026-03-24 is now the 14th date
      expect(await slotsOf('2026-03-24')).toEqual(TUESDAY);
      await desk.setClock(at('09:00', '2026-03-11'));
      await desk.tickAll();
      expect((await desk.eventsAfter(0, 200)).filter((e) => e.type === 'SlotCreated')).toHaveLength(14);
    });

    it('10: editing the rota changes days without tokens and asks about days with tokens, which stay as they were', async () => {
      await desk.setRota(doctor.id, WEEK, AS_ADMIN);
      await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Meena' }, date: '2026-03-10' }, AS_DESK);
      const before = (await desk.eventsAfter(0, 500)).length;
      const change = await desk.setRota(doctor.id, [{ weekday: 2, start: '09:00', end: '10:00', slotMinutes: 60, capacity: 2, room: 'OPD 5' }], AS_ADMIN);
      expect(change.asks).toEqual([{ date: '2026-03-10', liveTokens: 1 }]);
      expect(change.changed).toEqual(['2026-03-12', '2026-03-17', '2026-03-19']);
      expect(await slotsOf('2026-03-10')).toEqual(TUESDAY);
      expect(await slotsOf('2026-03-17')).toEqual(['09:00-10:00 2 OPD 5']);
      expect(await slotsOf('2026-03-12')).toEqual([]);
      const events = (await desk.eventsAfter(0, 500)).slice(before);
      // 03-12: one removed; 03-17: four removed, one made; 03-19: one removed. Nothing on 03-10.
      expect(events.map((e) => `${e.date} ${e.type}`).sort()).toEqual(
        ['2026-03-12 SlotRemoved', '2026-03-17 SlotCreated', ...Array<string>(4).fill('2026-03-17 SlotRemoved'), '2026-03-19 SlotRemoved'].sort(),
      );
      // The same rota again changes nothing.
      const again = await desk.setRota(doctor.id, [{ weekday: 2, start: '09:00', end: '10:00', slotMinutes: 60, capacity: 2, room: 'OPD 5' }], AS_ADMIN);
      expect(again.changed).toEqual([]);
      expect((await desk.eventsAfter(0, 500)).length).toBe(before + events.length);
      // Applied to the day with tokens: the used slot stays as it is, the unused ones go.
      const applied = await desk.applyRota(doctor.id, ['2026-03-10'], AS_ADMIN);
      expect(applied.applied).toEqual(['2026-03-10']);
      expect(applied.kept.map((s) => `${s.start.slice(11, 16)} ${s.occupied}`)).toEqual(['09:00 1']);
      expect(await slotsOf('2026-03-10')).toEqual(['09:00-09:30 4 OPD 3']);
    });

    it('10: a holiday gets no slots; closing a day with slots closes them and lists the tokens to call; reopening makes it again', async () => {
      const holiday = await desk.closeDate({ date: '2026-03-12', reason: 'Holi' }, AS_ADMIN);
      expect(holiday).toMatchObject({ closed: { date: '2026-03-12', doctorId: null, reason: 'Holi' }, slotsClosed: 0, toCall: [] });
      await desk.setRota(doctor.id, WEEK, AS_ADMIN);
      expect(await slotsOf('2026-03-12')).toEqual([]);
      // Leave on a made day with two tokens: its slots close, the tokens wait, the desk is told whom to call.
      const a = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Meena' }, date: '2026-03-17' }, AS_DESK);
      const b = await desk.issueToken({ doctorId: doctor.id, source: 'PAID', patient: { name: 'Ravi' }, date: '2026-03-17' }, AS_DESK);
      const leave = await desk.closeDate({ date: '2026-03-17', doctorId: doctor.id, reason: 'Conference' }, AS_ADMIN);
      expect(leave.slotsClosed).toBe(4);
      expect(leave.toCall.map((t) => [t.number, t.status])).toEqual([
        [a.number, 'WAITLISTED'],
        [b.number, 'WAITLISTED'],
      ]);
      expect(await slotsOf('2026-03-17')).toEqual(TUESDAY.map((s) => s.replace(' 4 ', ' 0 ')));
      expect((await desk.listClosedDates()).map((c) => [c.date, c.doctorId, c.reason])).toEqual([
        ['2026-03-12', null, 'Holi'],
        ['2026-03-17', doctor.id, 'Conference'],
      ]);
      // The same date again is refused and changes nothing.
      const seq = await desk.latestSeq();
      await expect(desk.closeDate({ date: '2026-03-17', doctorId: doctor.id, reason: 'Again' }, AS_ADMIN)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(desk.closeDate({ date: '2026-03-09', reason: 'Past' }, AS_ADMIN)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await desk.latestSeq()).toBe(seq);
      // Reopened: the holiday is made from the rota, the leave's slots get their seats back and seat the waiting.
      expect((await desk.reopenDate({ date: '2026-03-12' }, AS_ADMIN)).reopened).toEqual([{ doctorId: doctor.id, date: '2026-03-12', slots: 1 }]);
      expect(await slotsOf('2026-03-12')).toEqual(THURSDAY);
      await desk.reopenDate({ date: '2026-03-17', doctorId: doctor.id }, AS_ADMIN);
      expect(await slotsOf('2026-03-17')).toEqual(TUESDAY);
      expect((await desk.getToken(a.id)).status).toBe('ALLOCATED');
      expect((await desk.getToken(b.id)).status).toBe('ALLOCATED');
      await expect(desk.reopenDate({ date: '2026-03-17', doctorId: doctor.id }, AS_ADMIN)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('10: a rota the week cannot hold is refused in words and stores nothing', async () => {
      const bad = [
        { weekday: 1, start: '09:00', end: '10:10', slotMinutes: 20, capacity: 3, room: null },
        { weekday: 1, start: '09:30', end: '11:00', slotMinutes: 30, capacity: 3, room: null },
        { weekday: 3, start: '12:00', end: '11:00', slotMinutes: 30, capacity: 3, room: null },
      ];
      await expect(desk.setRota(doctor.id, bad, AS_ADMIN)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message:
          'Monday 09:00–10:10: 70 minutes do not divide into slots of 20 minutes; Wednesday 12:00–11:00: the session must end after it starts; Monday 09:30–11:00 overlaps 09:00–10:10 the same day',
      });
      expect((await desk.getRota(doctor.id)).sessions).toEqual([]);
      expect(await desk.latestSeq()).toBe(0);
    });

    it('10: a doctor renamed or moved to another room: slots without a room of their own show the new room', async () => {
      await desk.setRota(doctor.id, WEEK, AS_ADMIN);
      const moved = await desk.updateDoctor(doctor.id, { room: 'Room 12', name: 'Dr Rao Sharma' }, AS_ADMIN);
      expect(moved).toMatchObject({ name: 'Dr Rao Sharma', room: 'Room 12', code: 'GM' });
      expect(await slotsOf('2026-03-12')).toEqual(['14:00-15:00 10 Room 12']);
      expect(await slotsOf('2026-03-10')).toEqual(TUESDAY);
      expect((await desk.updateDoctor(doctor.id, { room: null }, AS_ADMIN)).room).toBeNull();
      expect(await slotsOf('2026-03-12')).toEqual(['14:00-15:00 10 null']);
    });
  });
}
