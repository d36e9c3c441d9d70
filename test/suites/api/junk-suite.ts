// Junk against every route: random methods, paths, ids, queries, headers, content types and bodies.
// Whatever comes in, the answer is never a 5xx, always problem+json when refused, and the doctor-day
// does not change. Every body is junk by construction (not JSON, not an object, or an object with a
// field no schema knows), so a valid request never slips in and changes the state legitimately.
//
// A second property sends requests that would be valid but for one text (a body field, a path id, a
// query) carrying a character no store may keep: NUL, another C0 or C1 control, DEL, a lone high or
// low surrogate. Each must be a 400 naming that field. The suite runs on SQLite (junk.test.ts) and on
// PostgreSQL (junk.pg.test.ts), which refuses such text itself and so once turned it into a 500.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.ts';
import { at, call, harness, patient, seedDay, type Day, type Harness } from '../../kits/api/test-kit.ts';

/** What the arbitraries aim at: the seeded doctor-day of the suite running now. */
const world: { day?: Day; tokenId?: string } = {};
const seeded = () => world.day!;

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
  ['GET', '/api/board'],
  ['PATCH', '/api/doctors/:doctor'],
  ['GET', '/api/doctors/:doctor/rota'],
  ['PUT', '/api/doctors/:doctor/rota'],
  ['POST', '/api/doctors/:doctor/rota/apply'],
  ['GET', '/api/closed-dates'],
  ['POST', '/api/closed-dates'],
  ['DELETE', '/api/closed-dates/:junk'],
  ['GET', '/api/nowhere'],
  ['POST', '/api/tokens/:token/:junk'],
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** One character of each kind PostgreSQL refuses or SPEC 10 forbids in text. */
const badChar = fc
  .oneof(
    fc.constant(0),
    fc.integer({ min: 0x01, max: 0x1f }),
    fc.constant(0x7f),
    fc.integer({ min: 0x80, max: 0x9f }),
    fc.integer({ min: 0xd800, max: 0xdbff }),
    fc.integer({ min: 0xdc00, max: 0xdfff }),
  )
  .map((c) => String.fromCharCode(c));

/** A plausible text with a bad character somewhere in it (start, middle or end). */
const poisoned = fc
  .tuple(fc.string({ minLength: 0, maxLength: 12, unit: 'grapheme' }), badChar, fc.nat())
  .map(([base, bad, at]) => {
    const i = base.length === 0 ? 0 : at % (base.length + 1);
    return base.slice(0, i) + bad + base.slice(i);
  });

/**
 * Percent-encodes any string, lone surrogates too (as the bytes WTF-8 gives them, which a client that
 * does not check would send): encodeURIComponent throws on them.
 */
export function encodeAny(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '%', '%zz', '..', '../..', '%00', '\u0000', 'null', '{}', '[]', 'ö', '🙂', '?', '#', 'a'.repeat(300)),
  poisoned,
);
const idOrJunk = (real: () => string) => fc.oneof(fc.constant(null), junkText).map((v) => (v === null ? real() : encodeAny(v)));

const path = fc
  .record({
    route: fc.constantFrom(...ROUTES.map(([, r]) => r)),
    doctor: idOrJunk(() => seeded().doctor.id),
    slot: idOrJunk(() => seeded().slots[0].id),
    token: idOrJunk(() => world.tokenId!),
    junk: junkText.map(encodeAny),
    query: fc.option(fc.oneof(fc.constantFrom('date=2026-13-01', 'date=', 'after=x', 'after=-5', 'date=2026-03-10&date=2026-03-11', '%%', '&&=='), junkText.map(encodeAny), fc.tuple(fc.constantFrom('doctors', 'date', 'after', 'limit'), junkText).map(([k, v]) => `${k}=${encodeAny(v)}`)), { nil: undefined }),
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
      name: fc.oneof(fc.string(), poisoned),
      department: fc.oneof(fc.string(), poisoned),
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

// ---------------------------------------------------------------- text no store may keep

interface Poisoned {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  body?: unknown;
  /** Where the refusal must point: `in` and the end of the path, e.g. body /patient/name. */
  field: { in: string; path: string };
}

/** Requests that would be valid but for one poisoned text. */
const poisonedRequest: fc.Arbitrary<Poisoned> = poisoned.chain((bad) => {
  const d = () => seeded().doctor.id;
  const issue = (over: Record<string, unknown>, p: Record<string, unknown> = {}) => ({
    doctorId: d(),
    source: 'WALKIN',
    patient: { ...patient(), ...p },
    ...over,
  });
  const cases: (() => Poisoned)[] = [
    () => ({ method: 'POST', url: '/api/doctors', body: { name: bad, department: 'General Medicine' }, field: { in: 'body', path: '/name' } }),
    () => ({ method: 'POST', url: '/api/doctors', body: { name: 'Dr Meera Iyer', department: bad }, field: { in: 'body', path: '/department' } }),
    () => ({ method: 'POST', url: '/api/tokens', body: issue({}, { name: bad }), field: { in: 'body', path: '/patient/name' } }),
    () => ({ method: 'POST', url: '/api/tokens', body: issue({}, { id: bad }), field: { in: 'body', path: '/patient/id' } }),
    () => ({ method: 'POST', url: '/api/tokens', body: issue({ doctorId: bad }), field: { in: 'body', path: '/doctorId' } }),
    () => ({ method: 'POST', url: '/api/tokens', body: issue({ slotId: bad }), field: { in: 'body', path: '/slotId' } }),
    () => ({ method: 'POST', url: '/api/slots', body: { doctorId: bad, start: at('12:00'), end: at('13:00'), capacity: 2 }, field: { in: 'body', path: '/doctorId' } }),
    () => ({ method: 'GET', url: `/api/doctors/${encodeAny(bad)}`, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'GET', url: `/api/doctors/${encodeAny(bad)}/schedule`, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'PUT', url: `/api/doctors/${encodeAny(bad)}/policy`, body: { maxBumps: 1 }, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'POST', url: `/api/doctors/${encodeAny(bad)}/delay`, body: { minutes: 5 }, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'POST', url: `/api/doctors/${encodeAny(bad)}/call-next`, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'GET', url: `/api/slots/${encodeAny(bad)}`, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'PATCH', url: `/api/slots/${encodeAny(bad)}`, body: { capacity: 3 }, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'GET', url: `/api/tokens/${encodeAny(bad)}`, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'GET', url: `/api/tokens/${encodeAny(bad)}/events`, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'POST', url: `/api/tokens/${encodeAny(bad)}/cancel`, field: { in: 'params', path: '/id' } }),
    () => ({ method: 'GET', url: `/api/board?doctors=${encodeAny(bad)}`, field: { in: 'querystring', path: '/doctors' } }),
    () => ({ method: 'PATCH', url: `/api/doctors/${encodeURIComponent(d())}`, body: { name: bad }, field: { in: 'body', path: '/name' } }),
    () => ({ method: 'PATCH', url: `/api/doctors/${encodeURIComponent(d())}`, body: { room: bad }, field: { in: 'body', path: '/room' } }),
    () => ({
      method: 'PUT',
      url: `/api/doctors/${encodeURIComponent(d())}/rota`,
      body: { sessions: [{ weekday: 2, start: '14:00', end: '15:00', slotMinutes: 30, capacity: 2, room: bad }] },
      field: { in: 'body', path: '/sessions/0/room' },
    }),
    () => ({ method: 'POST', url: '/api/closed-dates', body: { date: '2026-03-20', reason: bad }, field: { in: 'body', path: '/reason' } }),
    () => ({ method: 'GET', url: `/api/board?doctors=${encodeURIComponent(d())},${encodeAny(bad)}`, field: { in: 'querystring', path: '/doctors' } }),
    () => ({ method: 'GET', url: `/api/doctors/${encodeURIComponent(d())}/schedule?date=${encodeAny(bad)}`, field: { in: 'querystring', path: '/date' } }),
  ];
  return fc.constantFrom(...cases).map((make) => make());
});

// ---------------------------------------------------------------- the suite

/** Runs both properties against a desk on the store `open` gives (fresh, closed afterwards). */
export function junkSuite(open: () => Promise<Store>, runs: { junk: number; poisoned: number }): void {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ store: open });
    world.day = await seedDay(h.sut);
    world.tokenId = (await call(h.sut, 'POST', '/api/tokens', { doctorId: world.day.doctor.id, source: 'WALKIN', patient: patient() })).body.id;
  });
  afterAll(async () => h?.close());

  const state = async () => ({
    schedule: (await call(h.sut, 'GET', `/api/doctors/${world.day!.doctor.id}/schedule`)).body,
    doctors: (await call(h.sut, 'GET', '/api/doctors')).body,
    events: (await h.desk.eventsAfter(0, 10_000)).length,
  });

  describe('junk in, no 5xx out, nothing changed', () => {
    it('holds for random requests against every route', async () => {
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
        { numRuns: runs.junk, seed: 20260310 },
      );

      expect(await state()).toEqual(before);
    });

    it('refuses a control character or an unpaired surrogate in any text with a 400 naming the field', async () => {
      const before = await state();

      await fc.assert(
        fc.asyncProperty(poisonedRequest, async (r) => {
          const res = await h.sut.inject({
            method: r.method,
            url: r.url,
            headers: r.body === undefined ? {} : { 'content-type': 'application/json' },
            payload: r.body === undefined ? undefined : JSON.stringify(r.body),
          });
          const what = `${r.method} ${r.url} ${JSON.stringify(r.body)}: ${res.body}`;
          expect(res.statusCode, what).toBe(400);
          expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
          const problem = res.json();
          expect(problem.code, what).toBe('VALIDATION_FAILED');
          // The router refuses a path it cannot decode (a lone surrogate's bytes) before any schema.
          if (problem.errors !== undefined) {
            expect(problem.errors, what).toContainEqual(expect.objectContaining({ in: r.field.in, path: r.field.path }));
          } else {
            expect(r.field.in, what).toBe('params');
          }
        }),
        { numRuns: runs.poisoned, seed: 20260311 },
      );

      expect(await state()).toEqual(before);
    });
  });
}
