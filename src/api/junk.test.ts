// Junk against every route: random methods, paths, ids, queries, headers, content types and bodies.
// Whatever comes in, the answer is never a 5xx, always problem+json when refused, and the doctor-day
// does not change. Every body is junk by construction (not JSON, not an object, or an object with a
// field no schema knows), so a valid request never slips in and changes the state legitimately.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, call, harness, patient, seedDay, type Day, type Harness } from './test-kit.ts';

let h: Harness;
let day: Day;
let tokenId: string;
beforeAll(async () => {
  h = await harness();
  day = await seedDay(h.sut);
  tokenId = (await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() })).body.id;
});
afterAll(async () => h.close());

// Every route but the live feed, which streams until the client leaves (events.test.ts covers it).
const ROUTES: [string, string][] = [
  ['POST', '/api/doctors'],
  ['GET', '/api/doctors'],
  ['GET', '/api/doctors/:doctor'],
  ['PUT', '/api/doctors/:doctor/policy'],
  ['GET', '/api/doctors/:doctor/schedule'],
  ['POST', '/api/doctors/:doctor/call-next'],
  ['POST', '/api/doctors/:doctor/delay'],
  ['POST', '/api/slots'],
  ['GET', '/api/slots/:slot'],
  ['PATCH', '/api/slots/:slot'],
  ['POST', '/api/tokens'],
  ['GET', '/api/tokens/:token'],
  ['GET', '/api/tokens/:token/events'],
  ['POST', '/api/tokens/:token/cancel'],
  ['POST', '/api/tokens/:token/no-show'],
  ['POST', '/api/tokens/:token/check-in'],
  ['POST', '/api/tokens/:token/complete'],
  ['POST', '/api/tokens/:token/skip'],
  ['PUT', '/api/clock'],
  ['GET', '/api/openapi.json'],
  ['GET', '/healthz'],
  ['GET', '/api/nowhere'],
  ['POST', '/api/tokens/:token/:junk'],
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '%', '%zz', '..', '../..', '%00', '\u0000', 'null', '{}', '[]', 'ö', '🙂', '?', '#', 'a'.repeat(300)),
);
const idOrJunk = (real: () => string) => fc.oneof(fc.constant(null), junkText).map((v) => (v === null ? real() : encodeURIComponent(v)));

const path = fc
  .record({
    route: fc.constantFrom(...ROUTES.map(([, r]) => r)),
    doctor: idOrJunk(() => day.doctor.id),
    slot: idOrJunk(() => day.slots[0].id),
    token: idOrJunk(() => tokenId),
    junk: junkText.map(encodeURIComponent),
    query: fc.option(fc.oneof(fc.constantFrom('date=2026-13-01', 'date=', 'after=x', 'after=-5', 'date=2026-03-10&date=2026-03-11', '%%', '&&=='), junkText.map(encodeURIComponent)), { nil: undefined }),
  })
  .map(({ route, doctor, slot, token, junk, query }) => {
    const p = route.replace(':doctor', doctor).replace(':slot', slot).replace(':token', token).replace(':junk', junk);
    return query === undefined ? p : `${p}?${query}`;
  });

/** Valid objects with one field too many are still junk: the schemas are strict. */
const parsesToObjectOrNull = (s: string) => {
  try {
    const v: unknown = JSON.parse(s);
    return v === null || (typeof v === 'object' && !Array.isArray(v));
  } catch {
    return false;
  }
};
const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 60 }).filter((s) => s.trim() !== '' && !parsesToObjectOrNull(s)),
  fc.constantFrom('{', '{"capacity": 3', '[1,2', '{"__proto__": {"x": 1}}', '{"constructor": {"prototype": {}}}', 'true', '12', '"x"', '[]'),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => v !== null && (typeof v !== 'object' || Array.isArray(v))).map((v) => JSON.stringify(v)),
  fc
    .record({
      capacity: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.string()),
      minutes: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double()),
      now: fc.constantFrom(at('12:00'), 'yesterday', 12),
      name: fc.string(),
      department: fc.string(),
      doctorId: fc.constant('x'),
      source: fc.constantFrom('WALKIN', 'VIP', 3),
      patient: fc.constant(patient()),
      preemption: fc.constantFrom('off', 'sometimes'),
      date: fc.constantFrom('2026-03-10', '2026-02-30', ''),
    }, { requiredKeys: [] })
    .chain((fields) => fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 0, maxKeys: 3 }).map((extra) => ({ ...extra, ...fields })))
    .map((fields) => JSON.stringify({ ...fields, 'zz-unknown-field': true })),
);

/** Mostly a route's own method (so that the junk reaches validation and the desk), else any method. */
const method = (route: string) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ROUTES.filter(([, r]) => route.startsWith(r.split('/:')[0]!)).map(([m]) => m)) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) });

const request = fc.record({
  url: path,
  body,
  contentType: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', '') },
  ),
  idempotencyKey: fc.option(fc.oneof(junkText, fc.constant('k'.repeat(256))), { nil: undefined }),
}).chain((r) => method(r.url).map((m) => ({ ...r, method: m })));

describe('junk in, no 5xx out, nothing changed', () => {
  it('holds for random requests against every route', async () => {
    const state = async () => ({
      schedule: (await call(h.sut, 'GET', `/api/doctors/${day.doctor.id}/schedule`)).body,
      doctors: (await call(h.sut, 'GET', '/api/doctors')).body,
      events: (await h.desk.eventsAfter(0, 10_000)).length,
    });
    const before = await state();

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.body !== undefined && r.contentType !== '') headers['content-type'] = r.contentType;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        // Valid-looking mutations without a body would act for real; junk requests always carry junk.
        const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
        const res = await h.sut.inject({
          method: r.method as 'GET',
          url: r.url,
          headers,
          payload: r.body ?? (mutating ? '{"zz-unknown-field":1}' : undefined),
        });
        expect(res.statusCode, `${r.method} ${r.url} ${r.body}: ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400 && r.method !== 'HEAD') {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.json()).toMatchObject({ status: res.statusCode, code: expect.any(String), detail: expect.any(String) });
        }
      }),
      { numRuns: 1000, seed: 20260310 },
    );

    expect(await state()).toEqual(before);
  });
});
