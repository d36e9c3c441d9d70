// POST /api/tokens/:id/transfer (SPEC 7, 10) through `app.inject` on the real desk (SQLite): the new
// token with `transferredFrom`, the old one's `transferredTo`, problems in words, idempotency, and
// bad input refused with nothing changed.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, harness, patient, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness;
let gm: Day;
let ra: Day;
beforeEach(async () => {
  h = await harness();
  gm = await seedDay(h.sut, 'GM');
  ra = await seedDay(h.sut, 'RA');
  // (seedDay names every doctor Dr Asha Rao: the codes, GM and RA, tell them apart.)
});
afterEach(async () => h.close());

const issue = async (doctorId: string) => (await call(h.sut, 'POST', '/api/tokens', { doctorId, source: 'WALKIN', patient: patient('Meena Iyer') })).body;
const transfer = (id: string, body: unknown, headers: Record<string, string> = {}) => call(h.sut, 'POST', `/api/tokens/${id}/transfer`, body, headers);
const events = async () => h.desk.latestSeq();

describe('POST /api/tokens/:id/transfer', () => {
  it('7: answers 201 with the new token naming the old; the old token reads CANCELLED naming the new', async () => {
    const old = await issue(gm.doctor.id);
    const res = await transfer(old.id, { doctorId: ra.doctor.id, slotId: ra.slots[1].id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: 'RA-001', doctorId: ra.doctor.id, slotId: ra.slots[1].id, source: 'WALKIN', status: 'ALLOCATED', patient: old.patient,
      transferredFrom: { tokenId: old.id, number: 'GM-001', doctorId: gm.doctor.id, date: '2026-03-10' },
    });
    expect(res.body.transferredTo).toBeUndefined();
    const before = await call(h.sut, 'GET', `/api/tokens/${old.id}`);
    expect(before.body).toMatchObject({ status: 'CANCELLED', transferredTo: { tokenId: res.body.id, number: 'RA-001', doctorId: ra.doctor.id, date: '2026-03-10' } });
    const history = await call(h.sut, 'GET', `/api/tokens/${old.id}/events`);
    expect(history.body.at(-1)).toMatchObject({ type: 'TokenCancelled', reason: 'transferred', transferredTo: { number: 'RA-001' } });
    const plain = await call(h.sut, 'GET', `/api/tokens/${(await issue(gm.doctor.id)).id}`);
    expect(Object.keys(plain.body)).not.toContain('transferredFrom');
  });

  it('7: refusals are problem+json in words and change nothing', async () => {
    const old = await issue(gm.doctor.id);
    const seq = await events();
    const cases: [unknown, number, string, string | RegExp][] = [
      [{ doctorId: ra.doctor.id, date: '2026-03-11' }, 409, 'NO_OPEN_SLOT', 'Dr Asha Rao has no OPD on 11 Mar.'],
      [{ doctorId: gm.doctor.id }, 400, 'VALIDATION_FAILED', 'The token is already with Dr Asha Rao on 10 Mar: choose another doctor or another day.'],
      [{ doctorId: ra.doctor.id, slotId: gm.slots[0].id }, 404, 'NOT_FOUND', /no slot/],
      [{ doctorId: 'nobody' }, 404, 'NOT_FOUND', /no doctor/],
      [{ doctorId: ra.doctor.id, date: '10 March' }, 400, 'VALIDATION_FAILED', /date/],
      [{ doctorId: ra.doctor.id, source: 'PAID' }, 400, 'VALIDATION_FAILED', /source/],
      [{}, 400, 'VALIDATION_FAILED', /doctorId/],
    ];
    for (const [body, status, code, detail] of cases) {
      const res = await transfer(old.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.type).toContain('application/problem+json');
      expect(res.body.code).toBe(code);
      expect(res.body.detail).toMatch(detail);
    }
    const same = await transfer(old.id, { doctorId: gm.doctor.id });
    expect(same.body.errors).toEqual([{ in: 'body', path: '/doctorId', message: "is the token's own doctor on 10 Mar" }]);
    expect(await events()).toBe(seq + 1); // only the policy noted on 11 Mar, the day first seen (as any refused request)
    expect((await transfer('missing', { doctorId: ra.doctor.id })).status).toBe(404);
    const completed = await issue(gm.doctor.id);
    await call(h.sut, 'POST', `/api/tokens/${completed.id}/no-show`);
    const refused = await transfer(completed.id, { doctorId: ra.doctor.id });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_TRANSITION', detail: 'GM-002 cannot be transferred: the patient was marked as not come.' });
    expect((await call(h.sut, 'GET', `/api/tokens/${old.id}`)).body.status).toBe('ALLOCATED');
  });

  it('7: the same Idempotency-Key and body answer the first 201 again and move nothing; another body is refused', async () => {
    const old = await issue(gm.doctor.id);
    const key = { 'idempotency-key': 'move-1' };
    const first = await transfer(old.id, { doctorId: ra.doctor.id }, key);
    const seq = await events();
    const again = await transfer(old.id, { doctorId: ra.doctor.id }, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await events()).toBe(seq);
    const other = await transfer(old.id, { doctorId: ra.doctor.id, flexible: true }, key);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
