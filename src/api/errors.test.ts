// Every refusal as RFC 9457 problem+json with its machine code and status, and bad input never a 5xx.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from './app.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { PROBLEMS, toProblem } from './problem.ts';
import { at, call, DAY, harness, patient, seedDay, type Answer, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness;
let day: Day;
beforeEach(async () => {
  h = await harness();
  day = await seedDay(h.sut);
});
afterEach(async () => h.close());

function expectProblem(res: Answer, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: expect.stringMatching(/^urn:opd-tokens:problem:/), title: expect.any(String), detail: expect.any(String) });
  expect(res.body.detail.length).toBeGreaterThan(5);
}

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('400 VALIDATION_FAILED', () => {
  it('refuses malformed JSON', async () => {
    const res = await call(h.sut, 'POST', '/api/doctors', '{"name": "Dr X",');
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.detail).toMatch(/not valid JSON/);
  });

  it('refuses wrong types, naming the field', async () => {
    const res = await call(h.sut, 'POST', '/api/slots', { doctorId: day.doctor.id, start: at('12:00'), end: at('13:00'), capacity: '3' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ in: 'body', path: '/capacity', message: expect.stringMatching(/number/) }]);
  });

  it('refuses unknown fields, at any depth', async () => {
    const top = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), priority: 'high' });
    expectProblem(top, 400, 'VALIDATION_FAILED');
    expect(top.body.detail).toMatch(/priority/);
    const deep = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { ...patient(), age: 40 } });
    expectProblem(deep, 400, 'VALIDATION_FAILED');
    expect(deep.body.errors[0].path).toBe('/patient');
    const policy = await call(h.sut, 'PUT', `/api/doctors/${day.doctor.id}/policy`, { allowance: { VIP: 2 } });
    expectProblem(policy, 400, 'VALIDATION_FAILED');
  });

  it('refuses missing fields', async () => {
    const res = await call(h.sut, 'POST', '/api/doctors', { name: 'Dr X' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['/department']);
    expectProblem(await call(h.sut, 'POST', '/api/tokens'), 400, 'VALIDATION_FAILED');
    expectProblem(await call(h.sut, 'PATCH', `/api/slots/${day.slots[0].id}`, {}), 400, 'VALIDATION_FAILED');
  });

  it('checks the words: doctor code, times with an offset, dates, sources, policy values', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/api/doctors', { name: 'Dr X', department: 'ENT', code: 'ent' }],
      ['POST', '/api/doctors', { name: 'Dr X', department: 'ENT', code: 'ENTXY' }],
      ['POST', '/api/doctors', { name: ' ', department: 'ENT' }],
      ['POST', '/api/slots', { doctorId: day.doctor.id, start: '2026-03-10T12:00:00', end: at('13:00'), capacity: 1 }],
      ['POST', '/api/slots', { doctorId: day.doctor.id, start: at('13:00'), end: at('12:00'), capacity: 1 }],
      ['POST', '/api/slots', { doctorId: day.doctor.id, start: at('12:00'), end: at('13:00'), capacity: -1 }],
      ['POST', '/api/slots', { doctorId: day.doctor.id, start: at('12:00'), end: at('13:00'), capacity: 1.5 }],
      ['POST', '/api/tokens', { doctorId: day.doctor.id, source: 'VIP', patient: patient() }],
      ['POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), date: '2026-02-30' }],
      ['PUT', `/api/doctors/${day.doctor.id}/policy`, { preemption: 'always' }],
      ['PUT', `/api/doctors/${day.doctor.id}/policy`, { agingMinutes: 0 }],
      ['PUT', `/api/doctors/${day.doctor.id}/policy`, { maxBumps: -1 }],
      ['PUT', `/api/doctors/${day.doctor.id}/policy`, { delayMode: 'stretch' }],
      ['POST', `/api/doctors/${day.doctor.id}/delay`, { minutes: 0 }],
      ['PUT', '/api/clock', { now: 'tomorrow' }],
    ];
    for (const [method, url, body] of cases) {
      const res = await call(h.sut, method as 'POST', url, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
    expectProblem(await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule?date=10-03-2026`), 400, 'VALIDATION_FAILED');
    expectProblem(await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule?day=${DAY}`), 400, 'VALIDATION_FAILED');
    expectProblem(await call(h.sut, 'GET', '/api/events?after=-1'), 400, 'VALIDATION_FAILED');
    const longKey = await call(h.sut, 'POST', '/api/doctors', { name: 'Dr X', department: 'ENT' }, { 'idempotency-key': 'k'.repeat(300) });
    expectProblem(longKey, 400, 'VALIDATION_FAILED');
    expect(longKey.body.errors[0].in).toBe('headers');
  });

  it('refuses a doctor code that is taken (the desk says VALIDATION_FAILED)', async () => {
    expectProblem(await call(h.sut, 'POST', '/api/doctors', { name: 'Dr Y', department: 'ENT', code: 'GM' }), 400, 'VALIDATION_FAILED');
  });
});

describe('transport refusals', () => {
  it('413 for an oversized body', async () => {
    const res = await call(h.sut, 'POST', '/api/doctors', { name: 'x'.repeat(BODY_LIMIT), department: 'ENT' });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('415 for a body that is not JSON', async () => {
    const res = await call(h.sut, 'POST', '/api/doctors', 'name=Dr X', { 'content-type': 'application/x-www-form-urlencoded' });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await call(h.sut, 'POST', '/api/doctors', 'Dr X', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('404 for unknown routes and methods', async () => {
    const res = await call(h.sut, 'GET', '/api/patients');
    expectProblem(res, 404, 'NOT_FOUND');
    expect(res.body.detail).toBe('There is no route GET /api/patients.');
    expectProblem(await call(h.sut, 'DELETE', `/api/doctors/${day.doctor.id}`), 404, 'NOT_FOUND');
    expectProblem(await call(h.sut, 'POST', '/api/tokens/x/teleport'), 404, 'NOT_FOUND');
  });
});

describe('404 NOT_FOUND for unknown ids', () => {
  it('on every route that takes an id', async () => {
    const cases: [string, string, unknown?][] = [
      ['GET', `/api/doctors/${UNKNOWN}`],
      ['PUT', `/api/doctors/${UNKNOWN}/policy`, {}],
      ['GET', `/api/doctors/${UNKNOWN}/schedule`],
      ['POST', `/api/doctors/${UNKNOWN}/call-next`],
      ['POST', `/api/doctors/${UNKNOWN}/delay`, { minutes: 10 }],
      ['GET', `/api/slots/${UNKNOWN}`],
      ['PATCH', `/api/slots/${UNKNOWN}`, { capacity: 1 }],
      ['POST', '/api/slots', { doctorId: UNKNOWN, start: at('12:00'), end: at('13:00'), capacity: 1 }],
      ['POST', '/api/tokens', { doctorId: UNKNOWN, source: 'WALKIN', patient: patient() }],
      ['POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), slotId: UNKNOWN }],
      ['GET', `/api/tokens/${UNKNOWN}`],
      ['GET', `/api/tokens/${UNKNOWN}/events`],
      ...['cancel', 'no-show', 'check-in', 'complete', 'skip'].map((a): [string, string] => ['POST', `/api/tokens/${UNKNOWN}/${a}`]),
    ];
    for (const [method, url, body] of cases) expectProblem(await call(h.sut, method as 'GET', url, body), 404, 'NOT_FOUND');
  });
});

describe('the desk refusals', () => {
  it('409 INVALID_TRANSITION, and nothing changes', async () => {
    const t = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() });
    const res = await call(h.sut, 'POST', `/api/tokens/${t.body.id}/complete`);
    expectProblem(res, 409, 'INVALID_TRANSITION');
    expect((await call(h.sut, 'GET', `/api/tokens/${t.body.id}`)).body.status).toBe('ALLOCATED');
  });

  it('409 DUPLICATE_TOKEN naming the existing token', async () => {
    const p = patient();
    const first = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: p });
    const res = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'PAID', patient: { name: 'someone', id: p.id } });
    expectProblem(res, 409, 'DUPLICATE_TOKEN');
    expect(res.body.tokenId).toBe(first.body.id);
  });

  it('409 SLOT_OVERLAP', async () => {
    const res = await call(h.sut, 'POST', '/api/slots', { doctorId: day.doctor.id, start: at('09:30'), end: at('10:30'), capacity: 1 });
    expectProblem(res, 409, 'SLOT_OVERLAP');
  });

  it('409 SLOT_ENDED', async () => {
    expect((await call(h.sut, 'PUT', '/api/clock', { now: at('10:30') })).status).toBe(200);
    expectProblem(await call(h.sut, 'PATCH', `/api/slots/${day.slots[0].id}`, { capacity: 5 }), 409, 'SLOT_ENDED');
    expectProblem(await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), slotId: day.slots[0].id }), 409, 'SLOT_ENDED');
  });

  it('409 NO_OPEN_SLOT: every slot of the doctor-day has ended, in the desk words', async () => {
    expect((await call(h.sut, 'PUT', '/api/clock', { now: at('11:30') })).status).toBe(200);
    const res = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() });
    expectProblem(res, 409, 'NO_OPEN_SLOT');
    expect(res.body.detail).toMatch(/ has no OPD left on \d{1,2} [A-Z][a-z]{2}\.$/);
  });

  it('404 QUEUE_EMPTY when nobody is checked in', async () => {
    expectProblem(await call(h.sut, 'POST', `/api/doctors/${day.doctor.id}/call-next`), 404, 'QUEUE_EMPTY');
  });
});

describe('the one table', () => {
  it('maps every code to its status', () => {
    expect(Object.fromEntries(Object.entries(PROBLEMS).map(([c, p]) => [c, p.status]))).toEqual({
      VALIDATION_FAILED: 400, NOT_FOUND: 404, INVALID_TRANSITION: 409, DUPLICATE_TOKEN: 409, IDEMPOTENCY_KEY_REUSED: 409,
      SLOT_OVERLAP: 409, SLOT_ENDED: 409, NO_OPEN_SLOT: 409, QUEUE_EMPTY: 404, CLOCK_NOT_MANUAL: 404,
      PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415, SERVICE_UNAVAILABLE: 503, DATABASE_UNAVAILABLE: 503, INTERNAL: 500,
      METHOD_NOT_ALLOWED: 405, REQUEST_TIMEOUT: 408, HEADERS_TOO_LARGE: 431, FEED_FULL: 503,
      UNAUTHENTICATED: 401, FORBIDDEN: 403, TOO_MANY_REQUESTS: 429, USERNAME_TAKEN: 409, SETUP_CLOSED: 409, LAST_ADMIN: 409,
    });
  });

  it('503 DATABASE_UNAVAILABLE with Retry-After for a lost database; an uncertain commit says so', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:5432'), { code: 'ECONNREFUSED' });
    h.desk.getDoctor = async () => {
      throw new StoreUnavailableError('not-committed', { cause });
    };
    const down = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}`);
    expectProblem(down, 503, 'DATABASE_UNAVAILABLE');
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
    expect(down.body.outcome).toBe('not-committed');
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.9/);
    h.desk.issueToken = async () => {
      throw new StoreUnavailableError('unknown', { cause });
    };
    const unsure = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() });
    expectProblem(unsure, 503, 'DATABASE_UNAVAILABLE');
    expect(unsure.headers['retry-after']).toBe(down.headers['retry-after']);
    expect(unsure.body.outcome).toBe('unknown');
    expect(unsure.body.detail).toMatch(/may or may not/);
  });

  it('hides the internals of a real failure', async () => {
    expect(toProblem(new Error('SQLITE_CORRUPT: database disk image is malformed at /var/opd.sqlite'))).toMatchObject({ status: 500, code: 'INTERNAL', detail: 'internal error' });
    h.desk.getDoctor = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'policy')");
    };
    const res = await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}`);
    expectProblem(res, 500, 'INTERNAL');
    expect(res.body.detail).toBe('internal error');
    expect(JSON.stringify(res.body)).not.toMatch(/policy|TypeError/);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });
});
