// SPEC 10: the same Idempotency-Key with the same body answers the first response again and changes
// nothing; with another body it is refused with 409 IDEMPOTENCY_KEY_REUSED.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from './idempotency.ts';
import { at, call, harness, patient, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness;
let day: Day;
beforeEach(async () => {
  h = await harness();
  day = await seedDay(h.sut);
});
afterEach(async () => h.close());

const eventCount = async () => (await h.desk.eventsAfter(0, 10_000)).length;
const schedule = async () => (await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule`)).body;

describe('the fingerprint', () => {
  it('ignores key order and absent fields, and tells method, path and body apart', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null }, z: undefined })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    const body = { doctorId: 'd', source: 'WALKIN' };
    expect(requestHash('POST', '/api/tokens', body)).toBe(requestHash('post', '/api/tokens', { source: 'WALKIN', doctorId: 'd' }));
    expect(requestHash('POST', '/api/tokens', body)).not.toBe(requestHash('PUT', '/api/tokens', body));
    expect(requestHash('POST', '/api/tokens/a/cancel', undefined)).not.toBe(requestHash('POST', '/api/tokens/b/cancel', undefined));
    expect(requestHash('POST', '/api/tokens/a/cancel', undefined)).toBe(requestHash('POST', '/api/tokens/a/cancel', null));
  });
});

describe('Idempotency-Key', () => {
  it('POST /api/tokens: the same key and body answer the first token again and issue nothing more', async () => {
    const body = { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() };
    const first = await call(h.sut, 'POST', '/api/tokens', body, { 'idempotency-key': 'desk-1-0001' });
    expect(first.status).toBe(201);
    const events = await eventCount();
    const before = await schedule();

    // the same body with its keys in another order is the same request
    const reordered = { patient: body.patient, source: body.source, doctorId: body.doctorId };
    const again = await call(h.sut, 'POST', '/api/tokens', reordered, { 'idempotency-key': 'desk-1-0001' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await eventCount()).toBe(events);
    expect(await schedule()).toEqual(before);

    const other = await call(h.sut, 'POST', '/api/tokens', { ...body, source: 'PAID' }, { 'idempotency-key': 'desk-1-0001' });
    expect(other.status).toBe(409);
    expect(other.type).toMatch(/^application\/problem\+json/);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await eventCount()).toBe(events);

    // without a key, the same body is a new request (and here a duplicate patient)
    expect((await call(h.sut, 'POST', '/api/tokens', body)).body.code).toBe('DUPLICATE_TOKEN');
  });

  it('a refusal is remembered for its key too', async () => {
    const t = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() });
    const refused = await call(h.sut, 'POST', `/api/tokens/${t.body.id}/complete`, undefined, { 'idempotency-key': 'k-complete' });
    expect(refused.body.code).toBe('INVALID_TRANSITION');
    const again = await call(h.sut, 'POST', `/api/tokens/${t.body.id}/complete`, undefined, { 'idempotency-key': 'k-complete' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
  });

  it('is honoured by every kind of change: doctors, policy, slots, capacity, lifecycle, call-next, delay', async () => {
    const t = (await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), slotId: day.slots[0].id })).body;
    const requests: [string, string, unknown, number][] = [
      ['POST', '/api/doctors', { name: 'Dr Neha Gupta', department: 'Dermatology', code: 'DE' }, 201],
      ['PUT', `/api/doctors/${day.doctor.id}/policy`, { maxBumps: 2 }, 200],
      ['POST', '/api/slots', { doctorId: day.doctor.id, start: at('11:00'), end: at('12:00'), capacity: 3 }, 201],
      ['PATCH', `/api/slots/${day.slots[1].id}`, { capacity: 4 }, 200],
      ['POST', `/api/tokens/${t.id}/check-in`, undefined, 200],
      ['POST', `/api/doctors/${day.doctor.id}/delay`, { minutes: 10 }, 200],
    ];
    for (const [i, [method, url, body, status]] of requests.entries()) {
      const key = `key-${i}`;
      const first = await call(h.sut, method as 'POST', url, body, { 'idempotency-key': key });
      expect(first.status, `${method} ${url}: ${JSON.stringify(first.body)}`).toBe(status);
      const events = await eventCount();
      const doctors = (await call(h.sut, 'GET', '/api/doctors')).body;
      const again = await call(h.sut, method as 'POST', url, body, { 'idempotency-key': key });
      expect(again.status).toBe(status);
      expect(again.body).toEqual(first.body);
      expect(await eventCount()).toBe(events);
      expect((await call(h.sut, 'GET', '/api/doctors')).body).toEqual(doctors);
      // the same key on another route is another request
      const elsewhere = await call(h.sut, 'POST', `/api/tokens/${t.id}/cancel`, undefined, { 'idempotency-key': key });
      expect(elsewhere.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }

    await call(h.sut, 'PUT', '/api/clock', { now: at('09:01') });
    const called = await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/call-next`, undefined, { 'idempotency-key': 'call-1' });
    expect(called.body).toMatchObject({ id: t.id, status: 'CALLED' });
    const again = await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/call-next`, undefined, { 'idempotency-key': 'call-1' });
    expect(again.body).toEqual(called.body);
  });
});
