// The token desk on a real store (SQLite in memory, or a file where a restart matters).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { createTokenDesk, openTokenDesk } from './token-desk.ts';
import { NO_DESK_OBSERVER, ServiceError, type TokenDesk } from './types.ts';
import { startDeskTicks } from './tick-timer.ts';
import { ManualClock, SYSTEM_CLOCK } from '../time/clock.ts';
import { AS_DESK, withKey } from '../../test/kits/service/test-kit.ts';

const TZ = 'Asia/Kolkata';
const at = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00+05:30`);

async function refusal(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ServiceError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('token desk', () => {
  let store: Store;
  let desk: TokenDesk;

  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    desk = createTokenDesk({ store, timeZone: TZ, clock: new ManualClock(at('08:00')) });
  });
  afterEach(async () => {
    await desk.close();
    await store.close();
  });

  async function morning() {
    const doctor = await desk.createDoctor({ name: 'Dr. Meera Iyer', department: 'General Medicine' }, AS_DESK);
    const s9 = await desk.createSlot({ doctorId: doctor.id, start: '2026-03-10T09:00:00+05:30', end: '2026-03-10T10:00:00+05:30', capacity: 2 }, AS_DESK);
    const s10 = await desk.createSlot({ doctorId: doctor.id, start: '2026-03-10T10:00:00+05:30', end: '2026-03-10T11:00:00+05:30', capacity: 2 }, AS_DESK);
    return { doctor, s9, s10 };
  }

  it('gives doctors codes from their department (GM; then GMB for a second, Dr. B) and refuses a taken code', async () => {
    const a = await desk.createDoctor({ name: 'Dr. A', department: 'General Medicine' }, AS_DESK);
    const b = await desk.createDoctor({ name: 'Dr. B', department: 'General Medicine' }, AS_DESK);
    expect([a.code, b.code]).toEqual(['GM', 'GMB']);
    expect((await refusal(desk.createDoctor({ name: 'Dr. C', department: 'X', code: 'GM' }, AS_DESK))).code).toBe('VALIDATION_FAILED');
    expect((await desk.listDoctors()).map((d) => d.code)).toEqual(['GM', 'GMB']);
  });

  it('lists the day\'s cancelled and no-show tokens apart, by number, so the desk can show them (seen ones stay in their slot)', async () => {
    const { doctor, s9 } = await morning();
    const a = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Asha' }, slotId: s9.id }, AS_DESK);
    const b = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Ravi' }, slotId: s9.id }, AS_DESK);
    const c = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Sita' }, slotId: s9.id }, AS_DESK);
    await desk.act(c.id, 'cancel', AS_DESK);
    await desk.act(a.id, 'no-show', AS_DESK);
    const day = await desk.schedule(doctor.id, '2026-03-10');
    expect(day.finished.map((t) => [t.number, t.status, t.patient?.name])).toEqual([
      ['GM-001', 'NO_SHOW', 'Asha'],
      ['GM-003', 'CANCELLED', 'Sita'],
    ]);
    expect(day.slots[0]!.tokens.map((t) => t.number)).toEqual([b.number]);
  });

  it('runs the classic morning: seats, waitlist, a paid token bumps the last booked, the schedule shows it', async () => {
    const { doctor, s9, s10 } = await morning();
    expect(s9).toMatchObject({ start: '2026-03-10T09:00:00+05:30', capacity: 2, occupied: 0 });
    const o1 = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Asha', id: 'P1' }, slotId: s9.id }, AS_DESK);
    const o2 = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Ravi', id: 'P2' }, slotId: s9.id }, AS_DESK);
    const o3 = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Sita', id: 'P3' }, slotId: s9.id }, AS_DESK);
    expect([o1.number, o1.status, o1.slotId, o1.estimatedAt]).toEqual(['GM-001', 'ALLOCATED', s9.id, '2026-03-10T09:00:00+05:30']);
    expect([o3.status, o3.slotId]).toEqual(['WAITLISTED', null]);
    await desk.setClock(at('09:15'));
    const paid = await desk.issueToken({ doctorId: doctor.id, source: 'PAID', patient: { name: 'Kiran' }, slotId: s9.id }, AS_DESK);
    expect(paid.status).toBe('ALLOCATED');
    expect(paid.bumped).toMatchObject({ id: o2.id, number: 'GM-002', slotId: s10.id, bumps: 1 });
    const schedule = await desk.schedule(doctor.id, '2026-03-10');
    expect(schedule.slots.map((s) => s.tokens.map((t) => t.number))).toEqual([['GM-004', 'GM-001'], ['GM-002']]);
    expect(schedule.waitlist.map((t) => t.number)).toEqual(['GM-003']);
    expect(await desk.getToken(o2.id)).toMatchObject({ slotId: s10.id, status: 'ALLOCATED' });
    const detail = await desk.getSlot(s9.id);
    expect(detail.waitlist.map((t) => t.number)).toEqual(['GM-003']);
  });

  it('a cancel promotes the waiting token; a refused action changes nothing', async () => {
    const { doctor, s9 } = await morning();
    const a = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'A' }, slotId: s9.id }, AS_DESK);
    await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'B' }, slotId: s9.id }, AS_DESK);
    const c = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'C' }, slotId: s9.id }, AS_DESK);
    await desk.act(a.id, 'cancel', AS_DESK);
    expect((await desk.getToken(c.id)).status).toBe('ALLOCATED');
    const before = JSON.stringify(await desk.schedule(doctor.id, '2026-03-10'));
    expect((await refusal(desk.act(a.id, 'check-in', AS_DESK))).code).toBe('INVALID_TRANSITION');
    expect(JSON.stringify(await desk.schedule(doctor.id, '2026-03-10'))).toBe(before);
  });

  it('idempotency: the same key and request answer the first answer again and change nothing; another request is refused', async () => {
    const { doctor, s9 } = await morning();
    const idem = { key: 'k-1', requestHash: 'h-1' };
    const input = { doctorId: doctor.id, source: 'WALKIN' as const, patient: { name: 'W' }, slotId: s9.id };
    const first = await desk.issueToken(input, withKey(idem));
    const again = await desk.issueToken(input, withKey(idem));
    expect(again).toEqual(first);
    expect((await desk.schedule(doctor.id, '2026-03-10')).slots[0]!.occupied).toBe(1);
    expect((await refusal(desk.issueToken(input, withKey({ key: 'k-1', requestHash: 'h-2' })))).code).toBe('IDEMPOTENCY_KEY_REUSED');
    const dup = { key: 'k-2', requestHash: 'h-3' };
    await desk.issueToken({ ...input, patient: { name: 'X', id: 'P9' } }, AS_DESK);
    const refused = await refusal(desk.issueToken({ ...input, patient: { name: 'X', id: 'P9' } }, withKey(dup)));
    const refusedAgain = await refusal(desk.issueToken({ ...input, patient: { name: 'X', id: 'P9' } }, withKey(dup)));
    expect([refused.code, refusedAgain.code, refusedAgain.details]).toEqual(['DUPLICATE_TOKEN', 'DUPLICATE_TOKEN', refused.details]);
  });

  it('the manual clock ticks at once: an absent patient becomes a no-show 15 minutes after the slot ends', async () => {
    const { doctor, s9 } = await morning();
    const t = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'A' }, slotId: s9.id }, AS_DESK);
    await desk.setClock(at('10:14'));
    expect((await desk.getToken(t.id)).status).toBe('ALLOCATED');
    await desk.setClock(at('10:15'));
    expect((await desk.getToken(t.id)).status).toBe('NO_SHOW');
    const history = await desk.tokenHistory(t.id);
    expect(history.map((e) => e.type)).toEqual(['TokenIssued', 'TokenAllocated', 'TokenNoShow']);
  });

  it('the feed carries every event in order, with ISO times and without patient names or phones', async () => {
    const { doctor, s9 } = await morning();
    await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Secret Name', phone: '9845012345' }, slotId: s9.id }, AS_DESK);
    const events = await desk.eventsAfter(0, 100);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(['PolicyChanged', 'SlotCreated', 'SlotCreated', 'TokenIssued', 'TokenAllocated']);
    expect(JSON.stringify(events)).not.toMatch(/Secret|9845012345/);
    expect(events[3]).toMatchObject({ number: 'GM-001', source: 'ONLINE', at: '2026-03-10T08:00:00+05:30' });
    expect(events[3]).not.toHaveProperty('patient');
    expect(await desk.eventsAfter(5, 100)).toEqual([]);
  });

  it('concurrent bookings into a slot of capacity 5: exactly 5 seated, numbers unique and gap-free', async () => {
    const doctor = await desk.createDoctor({ name: 'Dr. P', department: 'Pediatrics' }, AS_DESK);
    const slot = await desk.createSlot({ doctorId: doctor.id, start: '2026-03-10T09:00:00+05:30', end: '2026-03-10T10:00:00+05:30', capacity: 5 }, AS_DESK);
    const tokens = await Promise.all(
      Array.from({ length: 40 }, (_, i) => desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: `P${i}` }, slotId: slot.id }, AS_DESK)),
    );
    expect(tokens.filter((t) => t.status === 'ALLOCATED')).toHaveLength(5);
    expect(tokens.map((t) => t.number).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `${doctor.code}-${String(i + 1).padStart(3, '0')}`));
    expect((await desk.getSlot(slot.id)).occupied).toBe(5);
  });

  it('SPEC 1: a slot belongs to the hospital-local date of its start (00:30 IST on 11 March is 19:00 UTC on 10 March)', async () => {
    const doctor = await desk.createDoctor({ name: 'Dr. Night', department: 'Emergency Medicine' }, AS_DESK);
    await desk.createSlot({ doctorId: doctor.id, start: '2026-03-10T19:00:00Z', end: '2026-03-10T20:00:00Z', capacity: 1 }, AS_DESK);
    expect((await desk.schedule(doctor.id, '2026-03-10')).slots).toHaveLength(0);
    expect((await desk.schedule(doctor.id, '2026-03-11')).slots.map((s) => s.start)).toEqual(['2026-03-11T00:30:00+05:30']);
  });

  it('a token for a day that has passed, or a day without OPD, is refused with NO_OPEN_SLOT (it could only wait forever)', async () => {
    const { doctor } = await morning();
    expect((await refusal(desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Late' }, date: '2026-03-09' }, AS_DESK))).code).toBe('NO_OPEN_SLOT');
    expect((await refusal(desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Soon' }, date: '2026-03-11' }, AS_DESK))).code).toBe('NO_OPEN_SLOT');
  });

  it('replaying an old policy change answers it again but never brings that policy back', async () => {
    const { doctor, s9 } = await morning();
    await desk.setDoctorPolicy(doctor.id, { allowance: { EMERGENCY: 1, WALKIN: -1 } }, withKey({ key: 'pol-1', requestHash: 'a' }));
    await desk.setDoctorPolicy(doctor.id, {}, withKey({ key: 'pol-2', requestHash: 'b' }));
    const w1 = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'W1' }, slotId: s9.id }, AS_DESK);
    const w2 = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'W2' }, slotId: s9.id }, AS_DESK);
    const again = await desk.setDoctorPolicy(doctor.id, { allowance: { EMERGENCY: 1, WALKIN: -1 } }, withKey({ key: 'pol-1', requestHash: 'a' }));
    expect(again.policy).toEqual({ allowance: { EMERGENCY: 1, WALKIN: -1 } });
    expect((await desk.getDoctor(doctor.id)).policy).toEqual({});
    expect([(await desk.getToken(w1.id)).status, (await desk.getToken(w2.id)).status]).toEqual(['ALLOCATED', 'ALLOCATED']);
  });

  it('refuses what is not there: unknown doctor, slot, token; the clock of a system-clock desk', async () => {
    expect((await refusal(desk.schedule('nope'))).code).toBe('NOT_FOUND');
    expect((await refusal(desk.getSlot('nope'))).code).toBe('NOT_FOUND');
    expect((await refusal(desk.act('nope', 'cancel', AS_DESK))).code).toBe('NOT_FOUND');
    const system = createTokenDesk({ store, timeZone: TZ, clock: SYSTEM_CLOCK });
    expect((await refusal(system.setClock(at('09:00')))).code).toBe('CLOCK_NOT_MANUAL');
    await system.close();
  });
});

describe('token desk on the system clock (SPEC 6: the service ticks open doctor-days by itself)', () => {
  it('marks an absent patient a no-show once the slot has ended, once the ticks run; the desk alone starts none', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:' });
    const desk = createTokenDesk({ store, timeZone: TZ, clock: SYSTEM_CLOCK });
    let stopTicks = () => {};
    try {
      const doctor = await desk.createDoctor({ name: 'Dr. Now', department: 'General Medicine', policy: { noShowGraceMinutes: 0 } }, AS_DESK);
      const now = Date.now();
      const slot = await desk.createSlot({
        doctorId: doctor.id,
        start: new Date(now - 10 * 60_000).toISOString(),
        end: new Date(now + 300).toISOString(),
        capacity: 1,
      }, AS_DESK);
      const token = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Absent' }, slotId: slot.id }, AS_DESK);
      expect(token.status).toBe('ALLOCATED');
      // The slot has ended, but no timer was started: nothing ticks the day.
      await new Promise((r) => setTimeout(r, 600));
      expect((await desk.getToken(token.id)).status).toBe('ALLOCATED');
      // Whoever starts the service starts the ticks (the server does, every 15 s; here every 50 ms).
      stopTicks = startDeskTicks(desk, { everyMs: 50, observer: NO_DESK_OBSERVER, onError: () => {} });
      // Bounded wait for the clock's own ticks; no timing is asserted.
      for (let i = 0; i < 100 && (await desk.getToken(token.id)).status === 'ALLOCATED'; i++) await new Promise((r) => setTimeout(r, 50));
      expect((await desk.getToken(token.id)).status).toBe('NO_SHOW');
    } finally {
      stopTicks();
      await desk.close();
      await store.close();
    }
  });
});

describe('token desk on a file', () => {
  it('a new desk on the same file finds every token and goes on numbering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opd-desk-'));
    try {
      const file = join(dir, 'opd.sqlite');
      let store = await openStore({ kind: 'sqlite', file });
      let desk = createTokenDesk({ store, timeZone: TZ, clock: new ManualClock(at('08:00')) });
      const doctor = await desk.createDoctor({ name: 'Dr. O', department: 'Orthopedics' }, AS_DESK);
      const slot = await desk.createSlot({ doctorId: doctor.id, start: '2026-03-10T09:00:00+05:30', end: '2026-03-10T10:00:00+05:30', capacity: 2 }, AS_DESK);
      const first = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'A' }, slotId: slot.id }, AS_DESK);
      await desk.close();
      await store.close();
      store = await openStore({ kind: 'sqlite', file });
      desk = await openTokenDesk({ store, timeZone: TZ, clock: new ManualClock() });
      // A manual clock resumes at the latest event's time, not at today's.
      expect(desk.now().toISOString()).toBe(at('08:00').toISOString());
      await desk.close();
      // A manual clock given a time keeps it: only one never set resumes at the log's end.
      desk = await openTokenDesk({ store, timeZone: TZ, clock: new ManualClock(at('07:00')) });
      expect(desk.now().toISOString()).toBe(at('07:00').toISOString());
      await desk.close();
      desk = await openTokenDesk({ store, timeZone: TZ, clock: new ManualClock() });
      expect(await desk.getToken(first.id)).toMatchObject({ number: 'OR-001', status: 'ALLOCATED' });
      const second = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'B' }, slotId: slot.id }, AS_DESK);
      expect(second.number).toBe('OR-002');
      await desk.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
