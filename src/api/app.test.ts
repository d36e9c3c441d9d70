// Every endpoint of SPEC 10 answering as the contract says, through `app.inject` on the real desk.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, call, DAY, harness, patient, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness;
let day: Day;
beforeEach(async () => {
  h = await harness();
  day = await seedDay(h.sut);
});
afterEach(async () => h.close());

const issue = (body: Record<string, unknown>) => call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, ...body });

describe('doctors', () => {
  it('creates, lists and reads doctors; a code is derived when none is given', async () => {
    expect(day.doctor).toMatchObject({ name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM', policy: {} });
    const second = await call(h.sut, 'POST', '/api/doctors', { name: 'Dr Vikram Shah', department: 'Orthopaedics' });
    expect(second.status).toBe(201);
    expect(second.body.code).toMatch(/^[A-Z]{2,4}$/);

    const list = await call(h.sut, 'GET', '/api/doctors');
    expect(list.status).toBe(200);
    expect(list.body.map((d: { id: string }) => d.id).sort()).toEqual([day.doctor.id, second.body.id].sort());

    const one = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(day.doctor);
  });

  it("keeps a doctor's room, shows it on the board, and refuses an overlong one", async () => {
    expect(day.doctor.room).toBeNull();
    const withRoom = await call(h.sut, 'POST', '/api/doctors', { name: 'Dr Vikram Shah', department: 'Orthopaedics', room: 'Room 3' });
    expect(withRoom.status).toBe(201);
    expect(withRoom.body.room).toBe('Room 3');
    expect((await call(h.sut, 'GET', `/api/doctors/${withRoom.body.id}`)).body.room).toBe('Room 3');
    const board = await call(h.sut, 'GET', `/api/board?doctors=${withRoom.body.id}`);
    expect(board.status).toBe(200);
    expect(board.body.doctors[0].doctor.room).toBe('Room 3');
    const tooLong = await call(h.sut, 'POST', '/api/doctors', { name: 'Dr Long Room', department: 'ENT', room: 'x'.repeat(61) });
    expect(tooLong.status).toBe(400);
    expect((await call(h.sut, 'GET', '/api/doctors')).body).toHaveLength(2);
  });

  it('replaces the policy overrides', async () => {
    const policy = { preemption: 'off', allowance: { EMERGENCY: 2, ONLINE: -1 }, agingMinutes: null, delayMode: 'shift' };
    const put = await call(h.sut, 'PUT', `/api/doctors/${day.doctor.id}/policy`, policy);
    expect(put.status).toBe(200);
    expect(put.body.policy).toEqual(policy);
    const replaced = await call(h.sut, 'PUT', `/api/doctors/${day.doctor.id}/policy`, { maxBumps: 0 });
    expect(replaced.body.policy).toEqual({ maxBumps: 0 });
    expect((await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}`)).body.policy).toEqual({ maxBumps: 0 });
  });
});

describe('slots and the schedule', () => {
  it('creates a slot (201) and reads it with its tokens and tied waitlist', async () => {
    expect(day.slots[0]).toMatchObject({ doctorId: day.doctor.id, capacity: 2, occupied: 0 });
    expect(Date.parse(day.slots[0].start)).toBe(Date.parse(at('09:00')));
    const a = await issue({ source: 'WALKIN', patient: patient(), slotId: day.slots[0].id });
    const b = await issue({ source: 'PAID', patient: patient(), slotId: day.slots[0].id });
    // a walk-in cannot bump a walk-in: it waits, tied to the slot it asked for
    const c = await issue({ source: 'WALKIN', patient: patient(), slotId: day.slots[0].id });
    expect(c.body.status).toBe('WAITLISTED');

    const slot = await call(h.sut, 'GET', `/api/slots/${day.slots[0].id}`);
    expect(slot.status).toBe(200);
    expect(slot.body.occupied).toBe(2);
    // serving order: PAID before WALKIN
    expect(slot.body.tokens.map((t: { id: string }) => t.id)).toEqual([b.body.id, a.body.id]);
    expect(slot.body.waitlist.map((t: { id: string }) => t.id)).toEqual([c.body.id]);
  });

  it('changes capacity: raising it seats the waitlist, 0 closes the slot and moves its tokens', async () => {
    const s = day.slots[0].id;
    await issue({ source: 'WALKIN', patient: patient(), slotId: s });
    await issue({ source: 'WALKIN', patient: patient(), slotId: s });
    const waiting = await issue({ source: 'WALKIN', patient: patient(), slotId: s });
    expect(waiting.body.status).toBe('WAITLISTED');

    const raised = await call(h.sut, 'PATCH', `/api/slots/${s}`, { capacity: 3 });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ id: s, capacity: 3, occupied: 3 });
    expect((await call(h.sut, 'GET', `/api/tokens/${waiting.body.id}`)).body).toMatchObject({ status: 'ALLOCATED', slotId: s });

    const closed = await call(h.sut, 'PATCH', `/api/slots/${s}`, { capacity: 0 });
    expect(closed.body).toMatchObject({ capacity: 0, occupied: 0 });
  });

  it('answers the doctor-day: slots with tokens and the waitlist', async () => {
    const t = await issue({ source: 'FOLLOWUP', patient: patient() });
    const schedule = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule?date=${DAY}`);
    expect(schedule.status).toBe(200);
    expect(schedule.body.doctor).toEqual(day.doctor);
    expect(schedule.body.date).toBe(DAY);
    expect(schedule.body.slots).toHaveLength(2);
    expect(schedule.body.slots[0].tokens.map((x: { id: string }) => x.id)).toEqual([t.body.id]);
    expect(schedule.body.waitlist).toEqual([]);
    // today by default
    expect((await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule`)).body).toEqual(schedule.body);
  });
});

describe('tokens', () => {
  it('issues a token (201) with `bumped: null`, reads it and its history', async () => {
    const p = patient('Meena Iyer');
    const t = await issue({ source: 'ONLINE', patient: p });
    expect(t.status).toBe(201);
    // The phone comes back as E.164: one writing for every way it was typed (SPEC 7).
    const stored = { ...p, phone: p.phone.replaceAll(' ', '') };
    expect(t.body).toMatchObject({ number: 'GM-001', doctorId: day.doctor.id, slotId: day.slots[0].id, source: 'ONLINE', status: 'ALLOCATED', patient: stored, bumps: 0, skips: 0, bumped: null });
    expect(t.body.estimatedAt).not.toBeNull();

    const read = await call(h.sut, 'GET', `/api/tokens/${t.body.id}`);
    expect(read.status).toBe(200);
    const { bumped: _bumped, ...token } = t.body;
    expect(read.body).toEqual(token);

    const history = await call(h.sut, 'GET', `/api/tokens/${t.body.id}/events`);
    expect(history.status).toBe(200);
    expect(history.body.map((e: { type: string }) => e.type)).toEqual(['TokenIssued', 'TokenAllocated']);
    expect(history.body[1]).toMatchObject({ doctorId: day.doctor.id, date: DAY, slotId: day.slots[0].id, reason: 'free-seat' });
    expect(JSON.stringify(history.body)).not.toContain('Meena');
  });

  it('answers the token it displaced in `bumped`', async () => {
    const s = day.slots[0].id;
    await issue({ source: 'PAID', patient: patient(), slotId: s });
    const walkIn = await issue({ source: 'WALKIN', patient: patient(), slotId: s });
    const paid = await issue({ source: 'PAID', patient: patient(), slotId: s });
    expect(paid.body.status).toBe('ALLOCATED');
    expect(paid.body.bumped).toMatchObject({ id: walkIn.body.id, bumps: 1, slotId: day.slots[1].id });
  });

  it('runs the lifecycle: check-in, call-next, skip, complete; cancel; no-show', async () => {
    const a = await issue({ source: 'PAID', patient: patient(), slotId: day.slots[0].id });
    const b = await issue({ source: 'WALKIN', patient: patient(), slotId: day.slots[0].id });
    const c = await issue({ source: 'ONLINE', patient: patient(), slotId: day.slots[1].id });
    const act = (id: string, action: string) => call(h.sut, 'POST', `/api/tokens/${id}/${action}`);

    expect((await act(a.body.id, 'check-in')).body.status).toBe('CHECKED_IN');
    expect((await act(b.body.id, 'check-in')).body.status).toBe('CHECKED_IN');
    expect((await call(h.sut, 'PUT', '/api/clock', { now: at('09:05') })).status).toBe(200);

    const first = await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/call-next`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: a.body.id, status: 'CALLED' });
    const skipped = await act(a.body.id, 'skip');
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ status: 'CHECKED_IN', skips: 1 });
    const again = await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/call-next`, { date: DAY });
    expect(again.body.status).toBe('CALLED');
    const done = await act(again.body.id, 'complete');
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('COMPLETED');

    const other = again.body.id === a.body.id ? b.body.id : a.body.id;
    const noShow = await act(other, 'no-show');
    expect(noShow.status).toBe(200);
    expect(noShow.body.status).toBe('NO_SHOW');

    // a JSON content type with an empty body, or `{}`, counts as no body
    const cancelled = await call(h.sut, 'POST', `/api/tokens/${c.body.id}/cancel`, '');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect((await call(h.sut, 'POST', `/api/tokens/${c.body.id}/cancel`, {})).body.code).toBe('INVALID_TRANSITION');
  });

  it('reports a delay and answers the doctor-day', async () => {
    await issue({ source: 'WALKIN', patient: patient(), slotId: day.slots[0].id });
    const delayed = await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/delay`, { minutes: 30, date: DAY });
    expect(delayed.status).toBe(200);
    expect(delayed.body.date).toBe(DAY);
    // shrink: the first slot loses ceil(2 × 30 / 60) = 1 seat
    expect(delayed.body.slots[0].capacity).toBe(1);
    const history = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule`);
    expect(history.body).toEqual(delayed.body);
  });
});

describe('clock, health, contract and docs', () => {
  it('sets the manual clock', async () => {
    const set = await call(h.sut, 'PUT', '/api/clock', { now: '2026-03-10T09:30:00+05:30' });
    expect(set.status).toBe(200);
    expect(Date.parse(set.body.now)).toBe(Date.parse('2026-03-10T09:30:00+05:30'));
    expect(h.desk.now().toISOString()).toBe('2026-03-10T04:00:00.000Z');
    expect(set.body).toEqual({ now: '2026-03-10T09:30:00+05:30', timeZone: 'Asia/Kolkata', today: '2026-03-10' });
  });

  it('reads the clock in the hospital zone, with its local date', async () => {
    await call(h.sut, 'PUT', '/api/clock', { now: '2026-03-10T20:00:00Z' });
    const res = await call(h.sut, 'GET', '/api/clock');
    expect(res.status).toBe(200);
    // 20:00 UTC is 01:30 the next day in Kolkata: the desk's "today" is the hospital's.
    expect(res.body).toEqual({ now: '2026-03-11T01:30:00+05:30', timeZone: 'Asia/Kolkata', today: '2026-03-11' });
  });

  it('refuses to set the clock of a system-clock server (404 CLOCK_NOT_MANUAL)', async () => {
    const sys = await harness({ clock: 'system' });
    try {
      const res = await call(sys.sut, 'PUT', '/api/clock', { now: '2026-03-10T09:30:00+05:30' });
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('CLOCK_NOT_MANUAL');
    } finally {
      await sys.close();
    }
  });

  it('answers health with the request id echoed', async () => {
    const res = await h.sut.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'desk-7.42' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', now: '2026-03-10T02:30:00.000Z' });
    expect(res.headers['x-request-id']).toBe('desk-7.42');
    const generated = await h.sut.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'no spaces\nplease' } });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes an OpenAPI 3 document with every path of the contract and the schemas it names', async () => {
    const res = await call(h.sut, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    const expected = [
      'POST /api/doctors', 'GET /api/doctors', 'GET /api/doctors/{id}', 'PUT /api/doctors/{id}/policy',
      'POST /api/slots', 'GET /api/slots/{id}', 'PATCH /api/slots/{id}', 'GET /api/doctors/{id}/schedule',
      'POST /api/tokens', 'GET /api/tokens', 'GET /api/tokens/{id}', 'GET /api/tokens/{id}/events',
      'POST /api/tokens/{id}/cancel', 'POST /api/tokens/{id}/no-show', 'POST /api/tokens/{id}/check-in',
      'POST /api/tokens/{id}/complete', 'POST /api/tokens/{id}/skip', 'POST /api/tokens/{id}/transfer',
      'POST /api/doctors/{id}/call-next', 'POST /api/doctors/{id}/delay', 'GET /api/events', 'PUT /api/clock',
      // beyond the spec's table: for the web desk and waiting-room screens
      'GET /api/clock', 'GET /api/board', 'GET /api/audit',
      // signing in and out (SPEC 11)
      'POST /api/session', 'GET /api/session', 'DELETE /api/session',
      // the first admin, and the admin's accounts, keys and display links
      'GET /api/setup', 'POST /api/setup',
      'GET /api/accounts', 'POST /api/accounts', 'PATCH /api/accounts/{id}', 'PUT /api/accounts/{id}/password',
      'GET /api/api-keys', 'POST /api/api-keys', 'DELETE /api/api-keys/{id}',
      'GET /api/display-links', 'POST /api/display-links', 'DELETE /api/display-links/{id}',
      // a doctor's name and room, the weekly rota, leave and holidays
      'PATCH /api/doctors/{id}', 'GET /api/doctors/{id}/rota', 'PUT /api/doctors/{id}/rota', 'POST /api/doctors/{id}/rota/apply',
      'GET /api/closed-dates', 'POST /api/closed-dates', 'DELETE /api/closed-dates/{date}',
      // the slip, the slip's paper, and the patient's own page (public, by the code on the slip)
      'GET /api/tokens/{id}/slip', 'GET /api/settings', 'PUT /api/settings',
      'GET /api/patient/{code}', 'GET /api/patient/{code}/events',
      // the administrator's reports and the what-if of a past day
      'GET /api/reports', 'GET /api/reports/what-if',
      // erasing one patient's personal data (SPEC 12)
      'POST /api/patients/erase',
    ];
    expect(ops.sort()).toEqual(expected.sort());
    // every $ref resolves
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    for (const r of refs) expect(doc.components.schemas).toHaveProperty(r);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Doctor', 'Token', 'IssuedToken', 'Slot', 'SlotDetail', 'Schedule', 'FeedEvent', 'Problem']));
    const issue = doc.paths['/api/tokens'].post;
    expect(issue.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(issue.parameters.map((p: { name: string }) => p.name)).toContain('idempotency-key');
    expect(issue.responses['409'].content).toHaveProperty(['application/problem+json']);
  });

  it('serves the browsable reference at /docs', async () => {
    const res = await h.sut.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('swagger-ui');
  });
});
