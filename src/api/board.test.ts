// GET /api/board (the waiting-room screen's data) and GET /api/clock: token numbers and times in the
// order the doctor will see them, never a patient's name, id or phone.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, call, harness, patient, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness;
let day: Day;
beforeEach(async () => {
  h = await harness();
  day = await seedDay(h.sut);
});
afterEach(async () => h.close());

const issue = async (source: string, slot: 0 | 1, who = patient()) => {
  const res = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source, patient: who, slotId: day.slots[slot].id });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: string; status: string };
};
const board = (query = `doctors=${day.doctor.id}`) => call(h.sut, 'GET', `/api/board?${query}`);

describe('GET /api/board', () => {
  it('shows who is served, who is next (checked in first, in call-next order, then expected) and the waitlist', async () => {
    const people = [patient('Meera Nair'), patient('Arjun Das'), patient('Kavya Iyer'), patient('Rohan Gupta')];
    const walkin = await issue('WALKIN', 0, people[0]);
    const paid = await issue('PAID', 0, people[1]);
    const waiting = await issue('WALKIN', 0, people[2]); // slot 0 (capacity 2) is full
    const online = await issue('ONLINE', 1, people[3]);
    expect(waiting.status).toBe('WAITLISTED');
    await call(h.sut, 'PUT', '/api/clock', { now: at('09:05') });
    for (const t of [walkin, paid]) expect((await call(h.sut, 'POST', `/api/tokens/${t.id}/check-in`)).status).toBe(200);

    const before = await board();
    expect(before.status).toBe(200);
    const [doctor] = before.body.doctors;
    expect(doctor.doctor).toEqual({ id: day.doctor.id, name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM', room: null });
    expect(doctor.date).toBe('2026-03-10');
    expect(doctor.currentSlot).toEqual({ id: day.slots[0].id, start: at('09:00'), end: at('10:00') });
    expect(doctor.serving).toEqual([]);
    // PAID before WALKIN among the checked in; the ONLINE of 10:00 is expected, not yet checked in
    expect(doctor.next.map((t: { number: string; status: string }) => `${t.number} ${t.status}`)).toEqual([
      `${paid.number} CHECKED_IN`,
      `${walkin.number} CHECKED_IN`,
      `${online.number} ALLOCATED`,
    ]);
    expect(doctor.waitlist.map((t: { number: string }) => t.number)).toEqual([waiting.number]);

    const called = await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/call-next`);
    expect(called.body.id).toBe(paid.id);
    const after = (await board()).body.doctors[0];
    expect(after.serving.map((t: { number: string }) => t.number)).toEqual([paid.number]);
    expect(after.next.map((t: { number: string }) => t.number)).toEqual([walkin.number, online.number]);

    // Nothing that names a patient reaches a waiting-room screen.
    const text = JSON.stringify((await board()).body);
    for (const p of people) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.id);
      expect(text).not.toContain(p.phone);
      expect(text).not.toContain(p.phone.replaceAll(' ', '').slice(3)); // as stored (E.164), without the country code
    }
    expect(text).not.toContain('patient');
  });

  it('lists at most `limit` tokens and says how many more there are', async () => {
    for (let i = 0; i < 4; i++) await issue('WALKIN', 0); // 2 seated, 2 waiting
    const res = await board(`doctors=${day.doctor.id}&limit=1`);
    const doctor = res.body.doctors[0];
    expect([doctor.next.length, doctor.moreNext, doctor.waitlist.length, doctor.moreWaitlist]).toEqual([1, 1, 1, 1]);
  });

  it('moves on to the next slot once the current one has ended, and leaves its unchecked tokens out', async () => {
    const late = await issue('WALKIN', 0);
    const online = await issue('ONLINE', 1);
    await call(h.sut, 'PUT', '/api/clock', { now: at('10:05') });
    const doctor = (await board()).body.doctors[0];
    expect(doctor.currentSlot.id).toBe(day.slots[1].id);
    expect(doctor.next.map((t: { id: string }) => t.id)).toEqual([online.id]);
    expect(doctor.next.map((t: { id: string }) => t.id)).not.toContain(late.id);
    await call(h.sut, 'PUT', '/api/clock', { now: at('11:30') });
    expect((await board()).body.doctors[0].currentSlot).toBeNull();
  });

  it('shows every doctor without `doctors`, and the named ones in the order named', async () => {
    const second = await seedDay(h.sut, 'OR');
    const all = await board('');
    expect(all.status).toBe(200);
    expect(all.body.doctors.map((d: { doctor: { code: string } }) => d.doctor.code).sort()).toEqual(['GM', 'OR']);
    const named = await board(`doctors=${second.doctor.id},${day.doctor.id}`);
    expect(named.body.doctors.map((d: { doctor: { code: string } }) => d.doctor.code)).toEqual(['OR', 'GM']);
    // the hospital's wall-clock time, as every time of the API
    expect(named.body.now).toBe('2026-03-10T08:00:00+05:30');
  });

  it('refuses an unknown doctor (404) and bad queries (400)', async () => {
    const unknown = await board('doctors=nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    for (const q of ['doctors=,', `doctors=${day.doctor.id}&limit=0`, 'limit=x', 'date=10-03-2026', 'colour=red']) {
      const res = await board(q);
      expect(res.status, q).toBe(400);
      expect(res.body.code, q).toBe('VALIDATION_FAILED');
    }
  });
});
