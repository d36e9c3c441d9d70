// The weekly rota, leave and holidays over HTTP: answers, and refusals that are problem+json and
// change nothing (the log, the rota, the closed dates). The harness's clock reads 2026-03-10 08:00 (a Tuesday).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, call, harness, patient, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness;
let day: Day;
beforeEach(async () => {
  h = await harness();
  day = await seedDay(h.sut);
});
afterEach(async () => {
  await h.close();
});

const session = { weekday: 3, start: '09:00', end: '10:00', slotMinutes: 30, capacity: 3, room: 'OPD 2' };

/** What a refusal must leave as it was. */
async function state() {
  return {
    seq: await h.desk.latestSeq(),
    rota: (await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/rota`)).body,
    closed: (await call(h.sut, 'GET', '/api/closed-dates')).body,
    doctor: (await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}`)).body,
  };
}

describe('10: the rota over HTTP', () => {
  it('PUT answers the rota, the days made and the days asked about; GET reads it back; the slots carry their room', async () => {
    const put = await call(h.sut, 'PUT', `/api/doctors/${day.doctor.id}/rota`, { sessions: [session, { ...session, weekday: 2, room: undefined }] });
    expect(put.status).toBe(200);
    // Today (Tuesday) keeps the slots made by hand (09:00–11:00): the rota's 09:00–10:00 finds its time taken.
    expect(put.body.changed).toEqual(['2026-03-11', '2026-03-17', '2026-03-18']);
    const today = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule?date=2026-03-10`);
    expect(today.body.slots.map((s: { id: string }) => s.id)).toEqual(day.slots.map((s) => s.id));
    expect(put.body.asks).toEqual([]);
    const get = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/rota`);
    expect(get.body).toMatchObject({ daysAhead: 14, sessions: [{ ...session, weekday: 2, room: null }, session] });
    const wed = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule?date=2026-03-11`);
    expect(wed.body.slots.map((s: { start: string; room: string }) => [s.start, s.room])).toEqual([
      ['2026-03-11T09:00:00+05:30', 'OPD 2'],
      ['2026-03-11T09:30:00+05:30', 'OPD 2'],
    ]);
  });

  it('refuses sessions the week cannot hold, naming the field, and changes nothing', async () => {
    const before = await state();
    for (const [body, path] of [
      [{ sessions: [{ ...session, weekday: 8 }] }, '/sessions/0/weekday'],
      [{ sessions: [{ ...session, start: '9:00' }] }, '/sessions/0/start'],
      [{ sessions: [{ ...session, capacity: 0 }] }, '/sessions/0/capacity'],
      [{ sessions: [session, { ...session, start: '09:30', end: '10:30' }] }, '/sessions/1/start'],
      [{ sessions: [{ ...session, end: '10:10' }] }, '/sessions/0/slotMinutes'],
      [{ sessions: [], extra: 1 }, ''],
    ] as const) {
      const res = await call(h.sut, 'PUT', `/api/doctors/${day.doctor.id}/rota`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      if (path !== '') expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect((await call(h.sut, 'PUT', '/api/doctors/nobody/rota', { sessions: [session] })).status).toBe(404);
    expect((await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/rota/apply`, { dates: ['2026-04-30'] })).status).toBe(400);
    expect(await state()).toEqual(before);
  });

  it('a day with tokens is asked about, and applied to only when the admin says so: used slots stay, the rest follows the rota', async () => {
    const noon = { ...session, weekday: 2, start: '12:00', end: '13:00', slotMinutes: 60 };
    await call(h.sut, 'PUT', `/api/doctors/${day.doctor.id}/rota`, { sessions: [noon] });
    const slot = (await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule?date=2026-03-10`)).body.slots[2];
    expect(slot.start).toBe(at('12:00'));
    await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), slotId: slot.id });
    const later = { ...noon, start: '14:00', end: '15:00' };
    const put = await call(h.sut, 'PUT', `/api/doctors/${day.doctor.id}/rota`, { sessions: [later] });
    expect(put.body.asks).toEqual([{ date: '2026-03-10', liveTokens: 1 }]);
    expect(put.body.changed).toEqual(['2026-03-17']);
    const starts = async () => (await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule?date=2026-03-10`)).body.slots.map((s: { start: string }) => s.start.slice(11, 16));
    expect(await starts()).toEqual(['09:00', '10:00', '12:00']);
    const apply = await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/rota/apply`, { dates: ['2026-03-10'] });
    expect(apply.status).toBe(200);
    expect(apply.body.applied).toEqual(['2026-03-10']);
    expect(apply.body.kept.map((s: { id: string; occupied: number }) => [s.id, s.occupied])).toEqual([[slot.id, 1]]);
    expect(await starts()).toEqual(['09:00', '10:00', '12:00', '14:00']);
  });
});

describe('10: leave and holidays over HTTP', () => {
  it('closing a date answers 201 with the tokens to call; refusals change nothing; reopening answers the days made again', async () => {
    const t = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient('Meena') });
    const closed = await call(h.sut, 'POST', '/api/closed-dates', { date: '2026-03-10', doctorId: day.doctor.id, reason: 'Fever' });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ closed: { date: '2026-03-10', doctorId: day.doctor.id, reason: 'Fever' }, slotsClosed: 2 });
    expect(closed.body.toCall.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[t.body.id, 'WAITLISTED']]);
    const before = await state();
    for (const [body, status] of [
      [{ date: '2026-03-10', doctorId: day.doctor.id, reason: 'Again' }, 400],
      [{ date: '2026-03-09', reason: 'Past' }, 400],
      [{ date: '2026-03-20', doctorId: 'nobody', reason: 'Leave' }, 404],
      [{ date: '2026-03-20' }, 400],
      [{ date: '2026-02-30', reason: 'No such day' }, 400],
    ] as const) {
      const res = await call(h.sut, 'POST', '/api/closed-dates', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await call(h.sut, 'DELETE', '/api/closed-dates/2026-03-21')).status).toBe(404);
    expect((await call(h.sut, 'PATCH', `/api/doctors/${day.doctor.id}`, {})).status).toBe(400);
    expect((await call(h.sut, 'PATCH', '/api/doctors/nobody', { room: 'Room 1' })).status).toBe(404);
    expect(await state()).toEqual(before);
    const reopened = await call(h.sut, 'DELETE', `/api/closed-dates/2026-03-10?doctorId=${day.doctor.id}`);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toEqual({ date: '2026-03-10', doctorId: day.doctor.id, reopened: [] }); // no rota: nothing is made
  });

  it('PATCH renames a doctor and moves its room; POST /api/slots takes a room of its own', async () => {
    const patched = await call(h.sut, 'PATCH', `/api/doctors/${day.doctor.id}`, { room: 'Room 4' });
    expect(patched.body).toMatchObject({ name: 'Dr Asha Rao', room: 'Room 4' });
    expect((await call(h.sut, 'GET', `/api/slots/${day.slots[0].id}`)).body.room).toBe('Room 4');
    const own = await call(h.sut, 'POST', '/api/slots', { doctorId: day.doctor.id, start: at('12:00'), end: at('13:00'), capacity: 2, room: 'Minor OT' });
    expect(own.status).toBe(201);
    expect(own.body.room).toBe('Minor OT');
  });
});
