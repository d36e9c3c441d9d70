// Who caused each event (SPEC 8), as a vitest suite run on both stores: the actor of each kind of
// change lands beside its events (read from the stored rows themselves), the clock's ticks are the
// system's, the live feed never carries an actor while a token's history does, the audit lists one
// actor's events of one day, and an Idempotency-Key is kept per actor.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.ts';
import { ManualClock } from '../../../src/time/clock.ts';
import { ANITA, by, DR_RAO, KIOSK } from '../../kits/service/test-kit.ts';
import { createTokenDesk } from '../../../src/service/token-desk.ts';
import type { TokenDesk } from '../../../src/service/types.ts';
import type { Actor } from '../../../src/access/types.ts';

/** An event row as stored: its type, and its actor columns as the database returns them. */
export interface ActorRow {
  type: string;
  actorId: string | null;
  /** The `actor` column parsed (null when NULL). */
  actor: unknown;
}

export interface ActorSuiteStore {
  store: Store;
  /** Every row of the events table, in seq order, read with the database's own client. */
  rows(): Promise<ActorRow[]>;
  close(): Promise<void>;
}

const ADMIN: Actor = Object.freeze({ kind: 'account', id: 'acc-admin', name: 'Priya', role: 'admin', doctorIds: 'all' });
const at = (hhmm: string, date = '2026-03-10') => new Date(`${date}T${hhmm}:00+05:30`);

/** How each actor is stored: exactly these four fields (never the doctor scope). */
const STORED = {
  anita: { kind: 'account', id: 'acc-anita', name: 'Anita', role: 'desk' },
  rao: { kind: 'account', id: 'acc-rao', name: 'Dr Rao', role: 'doctor' },
  kiosk: { kind: 'apiKey', id: 'key-kiosk', name: 'Lobby kiosk', role: 'desk' },
  admin: { kind: 'account', id: 'acc-admin', name: 'Priya', role: 'admin' },
  system: { kind: 'system', id: 'system', name: 'system', role: 'system' },
};

export function actorSuite(name: string, open: () => Promise<ActorSuiteStore>): void {
  describe(`actors on events: ${name}`, () => {
    let db: ActorSuiteStore;
    let desk: TokenDesk;
    let clock: ManualClock;

    beforeEach(async () => {
      db = await open();
      clock = new ManualClock(at('08:00'));
      desk = createTokenDesk({ store: db.store, timeZone: 'Asia/Kolkata', clock });
    });
    afterEach(async () => {
      await desk.close();
      await db.close();
    });

    /** A doctor with one slot 09:00–10:00 of capacity 1, made by the administrator. */
    async function morning() {
      const doctor = await desk.createDoctor({ name: 'Dr Rao', department: 'General Medicine', code: 'GM' }, by(ADMIN));
      const slot = await desk.createSlot({ doctorId: doctor.id, start: at('09:00').toISOString(), end: at('10:00').toISOString(), capacity: 1 }, by(ADMIN));
      return { doctor, slot };
    }

    const walkIn = (doctorId: string, slotId: string, name: string) => ({ doctorId, source: 'WALKIN' as const, patient: { name }, slotId });

    it('stores the actor of every kind of change beside its events, and the system beside what the moment was due', async () => {
      const { doctor, slot } = await morning();
      const a = await desk.issueToken(walkIn(doctor.id, slot.id, 'A'), by(ANITA));
      const b = await desk.issueToken(walkIn(doctor.id, slot.id, 'B'), by(KIOSK));
      await desk.act(a.id, 'check-in', by(ANITA));
      await desk.callNext(doctor.id, undefined, by(DR_RAO));
      await desk.act(a.id, 'skip', by(DR_RAO));
      await desk.changeCapacity(slot.id, 2, by(ADMIN));
      await desk.act(b.id, 'cancel', by(ANITA));
      const c = await desk.issueToken(walkIn(doctor.id, slot.id, 'C'), by(ANITA));
      await desk.act(c.id, 'no-show', by(ANITA));
      await desk.callNext(doctor.id, undefined, by(DR_RAO));
      await desk.act(a.id, 'complete', by(DR_RAO));
      await desk.delay(doctor.id, 10, undefined, by(DR_RAO));
      await desk.setDoctorPolicy(doctor.id, { maxSkips: 3 }, by(ADMIN));
      const rows = await db.rows();
      expect(rows.map((r) => [r.type, r.actorId])).toEqual([
        // The first change of the day records the policy in force: the system's, not the admin's.
        ['PolicyChanged', 'system'],
        ['SlotCreated', 'acc-admin'],
        ['TokenIssued', 'acc-anita'],
        ['TokenAllocated', 'acc-anita'],
        ['TokenIssued', 'key-kiosk'],
        ['TokenWaitlisted', 'key-kiosk'],
        ['TokenCheckedIn', 'acc-anita'],
        ['TokenCalled', 'acc-rao'],
        ['TokenSkipped', 'acc-rao'],
        ['SlotCapacityChanged', 'acc-admin'],
        // The seat the capacity opened goes to the waiting token: the admin's change did it.
        ['TokenAllocated', 'acc-admin'],
        ['TokenCancelled', 'acc-anita'],
        // The seat B gave up goes to C; the desk marks C absent; the doctor sees A after all.
        ['TokenIssued', 'acc-anita'],
        ['TokenAllocated', 'acc-anita'],
        ['TokenNoShow', 'acc-anita'],
        ['TokenCalled', 'acc-rao'],
        ['TokenCompleted', 'acc-rao'],
        ['DoctorDelayed', 'acc-rao'],
        // Ten minutes lost shrink the slot under way (the default policy): the doctor's delay did it.
        ['SlotCapacityChanged', 'acc-rao'],
        ['PolicyChanged', 'acc-admin'],
      ]);
      const json = new Map(rows.map((r) => [r.actorId, r.actor]));
      expect(json.get('acc-anita')).toEqual(STORED.anita);
      expect(json.get('key-kiosk')).toEqual(STORED.kiosk);
      expect(json.get('acc-rao')).toEqual(STORED.rao);
      expect(json.get('acc-admin')).toEqual(STORED.admin);
      expect(json.get('system')).toEqual(STORED.system);
    });

    it("ticks are the system's: the clock's no-shows and expiries name no person", async () => {
      const { doctor, slot } = await morning();
      await desk.issueToken(walkIn(doctor.id, slot.id, 'A'), by(ANITA));
      await desk.issueToken(walkIn(doctor.id, slot.id, 'B'), by(ANITA));
      const before = (await db.rows()).length;
      // Past the slot's end and the 15 minutes' grace: A is a no-show, B (waitlisted) expires.
      await desk.setClock(at('10:30'));
      const ticked = (await db.rows()).slice(before);
      expect(ticked.map((r) => [r.type, r.actorId, r.actor])).toEqual([
        ['TokenNoShow', 'system', STORED.system],
        ['TokenExpired', 'system', STORED.system],
      ]);
    });

    it('the live feed never carries an actor; a token history names each event’s actor without its id', async () => {
      const { doctor, slot } = await morning();
      const a = await desk.issueToken(walkIn(doctor.id, slot.id, 'A'), by(ANITA));
      await desk.act(a.id, 'check-in', by(KIOSK));
      await desk.setClock(at('10:30'));
      const feed = await desk.eventsAfter(0, 100);
      expect(feed.map((e) => e.type)).toEqual(['PolicyChanged', 'SlotCreated', 'TokenIssued', 'TokenAllocated', 'TokenCheckedIn', 'TokenAged']);
      for (const e of feed) expect(e).not.toHaveProperty('actor');
      expect(JSON.stringify(feed)).not.toMatch(/Anita|acc-anita|kiosk|Priya/i);
      const history = await desk.tokenHistory(a.id);
      expect(history.map((e) => [e.type, e.actor])).toEqual([
        ['TokenIssued', { kind: 'account', name: 'Anita', role: 'desk' }],
        ['TokenAllocated', { kind: 'account', name: 'Anita', role: 'desk' }],
        ['TokenCheckedIn', { kind: 'apiKey', name: 'Lobby kiosk', role: 'desk' }],
        // A checked-in patient is not marked absent by the clock; the clock ages the token.
        ['TokenAged', { kind: 'system', name: 'system', role: 'system' }],
      ]);
    });

    it("the audit lists exactly one actor's events of one local day, in order, with doctor and token number", async () => {
      const { doctor, slot } = await morning();
      const a = await desk.issueToken(walkIn(doctor.id, slot.id, 'A'), by(ANITA));
      await desk.issueToken(walkIn(doctor.id, slot.id, 'K'), by(KIOSK));
      clock.set(at('08:30'));
      await desk.act(a.id, 'check-in', by(ANITA));
      // The next day (23:59 and then 00:00 local): Anita books for the 11th.
      const late = await desk.createSlot({ doctorId: doctor.id, start: at('09:00', '2026-03-11').toISOString(), end: at('10:00', '2026-03-11').toISOString(), capacity: 1 }, by(ADMIN));
      clock.set(at('23:59'));
      const c = await desk.issueToken(walkIn(doctor.id, late.id, 'C'), by(ANITA));
      clock.set(at('00:00', '2026-03-11'));
      const d = await desk.issueToken(walkIn(doctor.id, late.id, 'D'), by(ANITA));

      const day10 = await desk.audit('acc-anita', '2026-03-10');
      expect(day10.map((e) => [e.type, e.tokenNumber, e.at, e.doctor.code])).toEqual([
        ['TokenIssued', 'GM-001', '2026-03-10T08:00:00+05:30', 'GM'],
        ['TokenAllocated', 'GM-001', '2026-03-10T08:00:00+05:30', 'GM'],
        ['TokenCheckedIn', 'GM-001', '2026-03-10T08:30:00+05:30', 'GM'],
        // Booked at 23:59 on the 10th for a slot of the 11th: it happened on the 10th.
        ['TokenIssued', 'GM-001', '2026-03-10T23:59:00+05:30', 'GM'],
        ['TokenAllocated', 'GM-001', '2026-03-10T23:59:00+05:30', 'GM'],
      ]);
      expect(day10.map((e) => e.tokenId)).toEqual([a.id, a.id, a.id, c.id, c.id]);
      expect(day10[0]!.doctor).toEqual({ id: doctor.id, name: 'Dr Rao', code: 'GM' });
      const day11 = await desk.audit('acc-anita', '2026-03-11');
      expect(day11.map((e) => [e.type, e.tokenId])).toEqual([
        ['TokenIssued', d.id],
        ['TokenWaitlisted', d.id],
      ]);
      expect((await desk.audit('key-kiosk', '2026-03-10')).map((e) => e.type)).toEqual(['TokenIssued', 'TokenWaitlisted']);
      expect(await desk.audit('acc-anita', '2026-03-09')).toEqual([]);
      expect(await desk.audit('nobody', '2026-03-10')).toEqual([]);
      // Changes about no token have none.
      expect((await desk.audit('acc-admin', '2026-03-10')).map((e) => [e.type, e.tokenNumber])).toEqual([
        ['SlotCreated', null],
        ['SlotCreated', null],
      ]);
    });

    it('keeps an Idempotency-Key per actor: the same key from another actor is another request', async () => {
      const { doctor, slot } = await morning();
      const key = { key: 'same-key', requestHash: 'h-1' };
      const mine = await desk.issueToken(walkIn(doctor.id, slot.id, 'A'), by(ANITA, key));
      // The kiosk's request with the same key is its own: a new token, not Anita's answer replayed.
      const theirs = await desk.issueToken(walkIn(doctor.id, slot.id, 'A'), by(KIOSK, key));
      expect(theirs.id).not.toBe(mine.id);
      expect([mine.number, theirs.number]).toEqual(['GM-001', 'GM-002']);
      // Anita's retry is answered with her first answer, and changes nothing.
      expect(await desk.issueToken(walkIn(doctor.id, slot.id, 'A'), by(ANITA, key))).toEqual(mine);
      // Another body under her key is refused; under the kiosk's key with another hash, too (each its own).
      await expect(desk.issueToken(walkIn(doctor.id, slot.id, 'X'), by(ANITA, { key: 'same-key', requestHash: 'h-2' }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      await expect(desk.issueToken(walkIn(doctor.id, slot.id, 'X'), by(KIOSK, { key: 'same-key', requestHash: 'h-2' }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      // A third actor's first use of the key is a new request, even with another body.
      const rao = await desk.createDoctor({ name: 'Dr Two', department: 'ENT', code: 'ENT' }, by(DR_RAO, { key: 'same-key', requestHash: 'h-9' }));
      expect(rao.code).toBe('ENT');
      expect((await db.rows()).filter((r) => r.type === 'TokenIssued').map((r) => r.actorId)).toEqual(['acc-anita', 'key-kiosk']);
    });
  });
}
