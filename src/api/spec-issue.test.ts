// SPEC 4, 6, 7 through HTTP: `arrived`, an invalid phone, the delay in force on the schedule and the
// board, and the contract (OpenAPI) naming them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, call, harness, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness;
let day: Day;

beforeEach(async () => {
  h = await harness();
  day = await seedDay(h.sut);
});
afterEach(() => h.close());

const issue = (body: Record<string, unknown>) => call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { name: 'Ravi' }, ...body });

describe('POST /api/tokens', () => {
  it('SPEC 4 arrived: true → 201 CHECKED_IN; omitted → ALLOCATED; not a boolean → 400 and nothing changes', async () => {
    expect((await issue({ source: 'EMERGENCY', patient: { name: 'E' }, arrived: true })).body).toMatchObject({ status: 'CHECKED_IN', slotId: day.slots[0].id });
    expect((await issue({ patient: { name: 'W' } })).body).toMatchObject({ status: 'ALLOCATED' });
    const seq = await h.store.latestSeq();
    const bad = await issue({ patient: { name: 'X' }, arrived: 'yes' });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.errors[0]).toMatchObject({ path: '/arrived' });
    expect(await h.store.latestSeq()).toBe(seq);
  });

  it('SPEC 7: an invalid phone is 400 VALIDATION_FAILED at /patient/phone; a valid one comes back as E.164', async () => {
    const bad = await issue({ patient: { name: 'X', phone: '98450 1111' } });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.errors).toEqual([{ in: 'body', path: '/patient/phone', message: 'is not a valid phone number' }]);
    const ok = await issue({ patient: { name: 'Y', phone: '098450-11111' } });
    expect(ok.body.patient.phone).toBe('+919845011111');
    const dup = await issue({ patient: { name: 'Y', phone: '91-9845011111' } });
    expect([dup.status, dup.body.code, dup.body.tokenId]).toEqual([409, 'DUPLICATE_TOKEN', ok.body.id]);
  });
});

describe('SPEC 6: the delay in force on the schedule and the board', () => {
  it('"running 40 min late, until 09:40": schedule and board carry it while it lasts, estimates after it', async () => {
    for (const name of ['A', 'B']) await issue({ patient: { name } });
    expect((await call(h.sut, 'PUT', '/api/clock', { now: at('09:00') })).status).toBe(200);
    const reported = await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/delay`, { minutes: 40 });
    const late = { mode: 'shrink', minutes: 40, from: at('09:00'), until: at('09:40'), reportedAt: at('09:00') };
    expect(reported.body.delay).toEqual(late);
    const schedule = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule`);
    expect(schedule.body.delay).toEqual(late);
    // capacity 2 − ceil(2 × 40 / 60) = 0: both move to 10:00–11:00, which the window does not touch
    expect(schedule.body.slots[1].tokens.map((t: { estimatedAt: string }) => t.estimatedAt)).toEqual([at('10:00'), at('10:30')]);
    const board = await call(h.sut, 'GET', `/api/board?doctors=${day.doctor.id}`);
    expect(board.body.doctors[0].delay).toEqual(late);
    expect((await call(h.sut, 'PUT', '/api/clock', { now: at('09:40') })).status).toBe(200);
    expect((await call(h.sut, 'GET', `/api/board?doctors=${day.doctor.id}`)).body.doctors[0].delay).toBeNull();
  });
});

describe('the contract', () => {
  it('names arrived, the Delay shape and NO_OPEN_SLOT', async () => {
    const doc = (await call(h.sut, 'GET', '/api/openapi.json')).body;
    const body = doc.paths['/api/tokens'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(body)).toContain('"arrived"');
    expect(doc.components.schemas.Delay.properties).toHaveProperty('until');
    expect(JSON.stringify(doc.components.schemas.Schedule)).toContain('Delay');
    expect(doc.paths['/api/tokens'].post.description).toContain('NO_OPEN_SLOT');
    expect(doc.paths['/api/tokens'].post.responses).toHaveProperty('409');
  });
});
