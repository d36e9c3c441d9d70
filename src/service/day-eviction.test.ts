// A finished day costs no memory (issue 13): once a past doctor-day is over, the desk drops its cached
// copies and stops ticking it; touched again, it is rebuilt from the log, whole and correct. Days that
// are not over (today's, or a past one with a patient still checked in) stay cached.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { DayKey, Store } from '../store/store.ts';
import { createTokenDesk } from './token-desk.ts';
import type { TokenDesk } from './types.ts';
import { ManualClock } from '../time/clock.ts';
import { AS_DESK } from '../../test/kits/service/test-kit.ts';

const TZ = 'Asia/Kolkata';
const at = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+05:30`);

describe('finished doctor-days leave the caches', () => {
  let store: Store;
  let desk: TokenDesk;
  /** Reads of a doctor-day's whole log (from its first event): a day rebuilt, not caught up. */
  let wholeReads: string[];

  beforeEach(async () => {
    const real = await openStore({ kind: 'sqlite', file: ':memory:' });
    wholeReads = [];
    store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'dayEvents') {
          return (key: DayKey, from: number) => {
            if (from === 0) wholeReads.push(key.date);
            return target.dayEvents(key, from);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    desk = createTokenDesk({ store, timeZone: TZ, clock: new ManualClock(at('2026-03-10', '08:00')) });
  });
  afterEach(async () => {
    await desk.close();
    await store.close();
  });

  async function dayWith(date: string, checkIn: boolean) {
    const doctor = await desk.createDoctor({ name: `Dr. ${date}`, department: 'General Medicine' }, AS_DESK);
    const slot = await desk.createSlot({ doctorId: doctor.id, start: `${date}T09:00:00+05:30`, end: `${date}T10:00:00+05:30`, capacity: 2 }, AS_DESK);
    const a = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', slotId: slot.id, patient: { name: 'Asha' } }, AS_DESK);
    const b = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', slotId: slot.id, patient: { name: 'Ravi' } }, AS_DESK);
    if (checkIn) await desk.act(b.id, 'check-in', AS_DESK);
    return { doctor, a, b };
  }

  it('drops a past day once it is over, ticks it no more, and rebuilds it from the log when read', async () => {
    const { doctor, a, b } = await dayWith('2026-03-10', false);
    await desk.schedule(doctor.id, '2026-03-10');
    await desk.schedule(doctor.id, '2026-03-10');
    expect(wholeReads).toEqual(['2026-03-10']); // read whole once, then only caught up
    // The next morning: the tick closes the day (both tokens no-shows), and the day is dropped.
    await desk.setClock(at('2026-03-11', '07:00'));
    // Still within the hours a past day is ticked, but this one is over: not ticked again.
    expect(await desk.tickAll()).toBe(0);
    const day = await desk.schedule(doctor.id, '2026-03-10');
    expect(wholeReads).toEqual(['2026-03-10', '2026-03-10']); // rebuilt from the log
    expect(day.finished.map((t) => [t.id, t.status, t.patient?.name])).toEqual([
      [a.id, 'NO_SHOW', 'Asha'],
      [b.id, 'NO_SHOW', 'Ravi'],
    ]);
    expect((await desk.getToken(a.id)).status).toBe('NO_SHOW');
  });

  it('keeps today’s days, and a past day whose patient is still checked in (a tick may still change it)', async () => {
    const { doctor } = await dayWith('2026-03-10', true);
    await desk.schedule(doctor.id, '2026-03-10');
    await desk.setClock(at('2026-03-11', '07:00'));
    const today = await dayWith('2026-03-11', false);
    await desk.schedule(today.doctor.id, '2026-03-11');
    expect(await desk.tickAll()).toBe(2); // yesterday's day (not over) and today's
    await desk.schedule(doctor.id, '2026-03-10');
    await desk.schedule(today.doctor.id, '2026-03-11');
    expect(wholeReads).toEqual(['2026-03-10', '2026-03-11']); // neither was dropped
  });
});
