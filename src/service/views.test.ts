// What the desk writes and shows besides the engine's state: the slots and tokens tables after every
// kind of change (each event rewrites the rows it touches, checked by `opd check`'s own mapping), and
// the feed's form of a delay. Found unguarded by the service's mutation run (docs/testing.md).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { checkStore } from './day-check.ts';
import { createTokenDesk } from './token-desk.ts';
import type { FeedEvent, TokenDesk } from './types.ts';
import { AS_DESK } from '../../test/kits/service/test-kit.ts';
import { ManualClock } from '../time/clock.ts';

const TZ = 'Asia/Kolkata';
const DATE = '2026-03-10';
const iso = (hhmm: string) => `${DATE}T${hhmm}:00+05:30`;

let store: Store;
let desk: TokenDesk;
beforeEach(async () => {
  store = await openStore({ kind: 'sqlite', file: ':memory:' });
  desk = createTokenDesk({ store, timeZone: TZ, clock: new ManualClock(new Date(iso('08:00'))) });
});
afterEach(async () => {
  await desk.close();
  await store.close();
});

async function doctorWithSlots(capacities: number[]) {
  const doctor = await desk.createDoctor({ name: 'Dr. Meera Iyer', department: 'General Medicine' }, AS_DESK);
  const slots = [];
  for (const [i, capacity] of capacities.entries()) {
    const h = String(9 + i).padStart(2, '0');
    const next = String(10 + i).padStart(2, '0');
    slots.push(await desk.createSlot({ doctorId: doctor.id, start: iso(`${h}:00`), end: iso(`${next}:00`), capacity }, AS_DESK));
  }
  return { doctor, slots };
}

/** The tables hold exactly what the log rebuilds (`opd check`), and occupied counts as seen by the desk. */
async function tablesMatchTheLog() {
  const check = await checkStore(store, { timeZone: TZ });
  expect(check.failed.flatMap((d) => d.problems)).toEqual([]);
  return check;
}

const events = async (type: string): Promise<FeedEvent[]> => (await desk.eventsAfter(0, 1000)).filter((e) => e.type === type);

describe('SPEC 8: the slots and tokens tables follow every event', () => {
  it('a slot nobody books has its row from its creation, through a capacity change and a delay', async () => {
    const { doctor, slots } = await doctorWithSlots([2]);
    expect((await tablesMatchTheLog()).slots).toBe(1);
    await desk.changeCapacity(slots[0]!.id, 4, AS_DESK);
    await tablesMatchTheLog();
    await desk.delay(doctor.id, 30, DATE, AS_DESK); // shrink: 4 × 30/60 = 2 seats lost
    expect((await desk.getSlot(slots[0]!.id)).capacity).toBe(2);
    await tablesMatchTheLog();
  });

  it('a bump into a later slot and a bump to the waitlist rewrite the token and both slots', async () => {
    const { doctor, slots } = await doctorWithSlots([1, 1]);
    const [s9, s10] = slots;
    const o1 = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'A' }, slotId: s9!.id }, AS_DESK);
    await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'W' }, slotId: s10!.id }, AS_DESK);
    await desk.issueToken({ doctorId: doctor.id, source: 'PAID', patient: { name: 'P' }, slotId: s9!.id }, AS_DESK); // bumps o1; s10 is full, so o1 waits
    await desk.issueToken({ doctorId: doctor.id, source: 'FOLLOWUP', patient: { name: 'F' }, slotId: s10!.id }, AS_DESK); // bumps W to the waitlist
    const bumps = (await events('TokenBumped')) as (FeedEvent & { fromSlotId: string; toSlotId: string | null })[];
    expect(bumps.map((e) => [e.fromSlotId, e.toSlotId])).toEqual([
      [s9!.id, null],
      [s10!.id, null],
    ]);
    expect((await desk.getToken(o1.id)).status).toBe('WAITLISTED');
    await tablesMatchTheLog();
  });

  it('a bump into a free seat of a later slot rewrites both slots', async () => {
    const { doctor, slots } = await doctorWithSlots([1, 1]);
    const [s9, s10] = slots;
    const o = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'A' }, slotId: s9!.id }, AS_DESK);
    await desk.issueToken({ doctorId: doctor.id, source: 'PAID', patient: { name: 'P' }, slotId: s9!.id }, AS_DESK);
    expect(await desk.getToken(o.id)).toMatchObject({ status: 'ALLOCATED', slotId: s10!.id, bumps: 1 });
    expect((await desk.getSlot(s10!.id)).occupied).toBe(1);
    await tablesMatchTheLog();
  });

  it('a capacity cut that moves one token to a later slot and one to the waitlist rewrites every slot it touched', async () => {
    const { doctor, slots } = await doctorWithSlots([3, 1]);
    const [s9, s10] = slots;
    for (const name of ['A', 'B', 'C']) await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name }, slotId: s9!.id }, AS_DESK);
    await desk.changeCapacity(s9!.id, 1, AS_DESK);
    const moved = (await events('TokenAllocated')).filter((e) => (e as { reason?: string }).reason === 'moved');
    const waited = (await events('TokenWaitlisted')).filter((e) => (e as { reason?: string }).reason === 'moved');
    expect([moved.length, waited.length]).toEqual([1, 1]);
    expect([(await desk.getSlot(s9!.id)).occupied, (await desk.getSlot(s10!.id)).occupied]).toEqual([1, 1]);
    await tablesMatchTheLog();
  });

  it('a policy change that moves tokens out rewrites the slots they left (nothing else in that change names them)', async () => {
    // Each slot holds an ONLINE token and an EMERGENCY in its overflow seat; dropping the allowance
    // moves o1 to the free seat at 11:00 and o2, with no seat left, to the waitlist.
    const { doctor, slots } = await doctorWithSlots([1, 1, 1]);
    const [s9, s10, s11] = slots;
    for (const [name, slot] of [
      ['o1', s9],
      ['o2', s10],
    ] as const) {
      await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name }, slotId: slot!.id }, AS_DESK);
      await desk.issueToken({ doctorId: doctor.id, source: 'EMERGENCY', patient: { name: `${name} emergency` }, slotId: slot!.id }, AS_DESK);
    }
    await desk.setDoctorPolicy(doctor.id, { allowance: {} }, AS_DESK);
    const moved = (await events('TokenAllocated')).filter((e) => (e as { reason?: string }).reason === 'moved');
    const waited = (await events('TokenWaitlisted')).filter((e) => (e as { reason?: string }).reason === 'moved');
    expect(moved.map((e) => [(e as { fromSlotId?: string }).fromSlotId, (e as { slotId?: string }).slotId])).toEqual([[s9!.id, s11!.id]]);
    expect(waited.map((e) => (e as { fromSlotId?: string }).fromSlotId)).toEqual([s10!.id]);
    const check = await tablesMatchTheLog();
    expect(check.slots).toBe(3);
  });

  it('a delay in shift mode rewrites the times of the slots it shifted', async () => {
    const { doctor, slots } = await doctorWithSlots([2, 2]);
    await desk.setDoctorPolicy(doctor.id, { delayMode: 'shift' }, AS_DESK);
    await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'A' }, slotId: slots[0]!.id }, AS_DESK);
    const schedule = await desk.delay(doctor.id, 30, DATE, AS_DESK);
    expect(schedule.slots.map((s) => [s.start, s.end])).toEqual([
      [iso('09:30'), iso('10:30')],
      [iso('10:30'), iso('11:30')],
    ]);
    await tablesMatchTheLog();
  });
});

describe('SPEC 6: estimated times in the schedule and the slot', () => {
  it('two tokens in a 60-minute slot of 2 seats are expected at 09:00 and 09:30; a waitlisted one has no estimate', async () => {
    const { doctor, slots } = await doctorWithSlots([2]);
    for (const name of ['A', 'B', 'C']) await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name }, slotId: slots[0]!.id }, AS_DESK);
    const schedule = await desk.schedule(doctor.id, DATE);
    expect(schedule.slots[0]!.tokens.map((t) => [t.number, t.estimatedAt])).toEqual([
      ['GM-001', iso('09:00')],
      ['GM-002', iso('09:30')],
    ]);
    expect(schedule.waitlist.map((t) => [t.number, t.estimatedAt])).toEqual([['GM-003', null]]);
    const detail = await desk.getSlot(slots[0]!.id);
    expect(detail.tokens.map((t) => t.estimatedAt)).toEqual([iso('09:00'), iso('09:30')]);
    expect(detail.waitlist.map((t) => [t.number, t.estimatedAt])).toEqual([['GM-003', null]]);
  });
});

describe('SPEC 8: a new slot in the feed', () => {
  it('carries the slot with the hospital’s ISO times', async () => {
    const { slots } = await doctorWithSlots([3]);
    const [created] = await events('SlotCreated');
    expect(created).toMatchObject({ type: 'SlotCreated', slot: { id: slots[0]!.id, start: iso('09:00'), end: iso('10:00'), capacity: 3 } });
  });
});

describe('SPEC 6, 8: a delay in the feed', () => {
  it('shrink names the lost window in the hospital’s ISO times; shift names no window and the slots it moved', async () => {
    const { doctor, slots } = await doctorWithSlots([4, 4]);
    await desk.delay(doctor.id, 30, DATE, AS_DESK);
    await desk.setDoctorPolicy(doctor.id, { delayMode: 'shift' }, AS_DESK);
    await desk.delay(doctor.id, 15, DATE, AS_DESK);
    const delays = await events('DoctorDelayed');
    expect(delays.map(({ seq: _seq, ...e }) => e)).toEqual([
      {
        doctorId: doctor.id,
        date: DATE,
        type: 'DoctorDelayed',
        at: iso('08:00'),
        minutes: 30,
        mode: 'shrink',
        window: { from: iso('09:00'), to: iso('09:30') },
        shiftedSlotIds: [],
      },
      { doctorId: doctor.id, date: DATE, type: 'DoctorDelayed', at: iso('08:00'), minutes: 15, mode: 'shift', window: null, shiftedSlotIds: slots.map((s) => s.id) },
    ]);
  });
});
