// Real server processes against a PostgreSQL whose connections are cut under load: the process lives,
// every answer is either the booking (201) or 503 DATABASE_UNAVAILABLE with Retry-After, a retry with
// the same Idempotency-Key then succeeds, and the log replays to exactly the answered bookings.
//
// Only the backends of this test's own random database are ever terminated.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/store.ts';
import { checkDay } from '../src/service/day-check.ts';
import { baseUrl, createDatabase, type TestDatabase } from './kits/pg-kit.ts';
import { authHeaders, expectStatus, sleep, startServer, type ServerProcess } from './kits/process-kit.ts';

if (!baseUrl) console.log('PostgreSQL outage test skipped: set DATABASE_URL=postgres://… to run it');

const DATE = '2026-03-10';
const CLOCK = `${DATE}T08:00:00+05:30`;
const WORKERS = 20;
const PER_WORKER = 12;

interface Answer {
  status: number;
  retryAfter: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function book(url: string, key: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { ...authHeaders(url), 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : null };
}

describe.skipIf(!baseUrl)('PostgreSQL connections terminated under load (real process)', () => {
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  let store: Store | undefined;

  beforeAll(async () => {
    db = await createDatabase('opd_outage');
    server = await startServer({ DATABASE_URL: db.url, OPD_CLOCK: 'manual' }, { name: 'server' });
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await db?.drop();
  });

  it('lives through it; 201 or 503 DATABASE_UNAVAILABLE with Retry-After; retries succeed; nothing answered is lost', async () => {
    const s = server!;
    await expectStatus(s, 'PUT', '/api/clock', { now: CLOCK }, 200);
    const doctor = await expectStatus(s, 'POST', '/api/doctors', { name: 'Dr Outage', department: 'General Medicine', code: 'OUT' }, 201);
    await expectStatus(s, 'POST', '/api/slots', { doctorId: doctor.id, start: `${DATE}T10:00:00+05:30`, end: `${DATE}T11:00:00+05:30`, capacity: 50 }, 201);

    const request = (w: number, i: number) => ({ doctorId: doctor.id, source: 'WALKIN', patient: { name: `Patient ${w}-${i}`, id: `P-${w}-${i}` }, date: DATE });
    const first = new Map<string, Answer>();
    let answered = 0;
    const load = Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let i = 0; i < PER_WORKER; i++) {
          const key = `outage-${w}-${i}`;
          // A server that died answers nothing: recorded, and reported below with its output.
          first.set(key, await book(s.url, key, request(w, i)).catch((err: Error) => ({ status: -1, retryAfter: null, body: String(err.cause ?? err) })));
          answered++;
        }
      }),
    );
    // Cut every connection of the server several times while the bookings are in flight.
    let terminated = 0;
    while (answered < 20) await sleep(5);
    for (let cut = 0; cut < 4; cut++) {
      terminated += await db.terminateBackends();
      await sleep(120);
    }
    await load;
    expect(terminated).toBeGreaterThan(0);

    const gone = await Promise.race([s.exited, sleep(300).then(() => null)]);
    if (gone) throw new Error(`the server exited (${JSON.stringify(gone)})\n--- its output ---\n${s.output()}`);

    const unavailable = [...first.values()].filter((a) => a.status === 503);
    const others = [...first.values()].filter((a) => a.status !== 201 && a.status !== 503);
    expect(others).toEqual([]);
    for (const a of unavailable) {
      expect(a.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    const unsure = unavailable.filter((a) => a.body.outcome === 'unknown').length;
    console.log(`outage: ${terminated} backends terminated; ${unavailable.length} of ${first.size} bookings answered 503 (${unsure} of them with outcome unknown)`);

    // Retries with the same keys: a 201 is answered again as it was; a 503 now books (or returns
    // the first answer when its commit had gone through after all).
    const final = new Map<string, Answer>();
    for (const [key, a] of first) {
      const [w, i] = key.split('-').slice(1).map(Number) as [number, number];
      let again = await book(s.url, key, request(w, i));
      for (let tries = 0; again.status === 503 && tries < 20; tries++) {
        await sleep(250);
        again = await book(s.url, key, request(w, i));
      }
      expect(again.status, `${key}: ${JSON.stringify(again.body)}`).toBe(201);
      if (a.status === 201) expect(again.body).toEqual(a.body);
      final.set(key, again);
    }

    // The log: a sound day holding exactly one token per key, each the one answered.
    store = await openStore({ kind: 'postgres', url: db.url });
    const { day: checked, problems } = await checkDay(store, { doctorId: doctor.id, date: DATE }, { timeZone: 'Asia/Kolkata' });
    const day = checked!;
    expect(problems).toEqual([]);
    expect(day.tokens.size).toBe(WORKERS * PER_WORKER);
    for (const a of final.values()) expect(day.tokens.get(a.body.id)?.label).toBe(a.body.number);
    // And the server shows that day.
    const schedule = await expectStatus(s, 'GET', `/api/doctors/${doctor.id}/schedule?date=${DATE}`, undefined, 200);
    expect(schedule.slots[0].occupied).toBe(day.slotById.get(schedule.slots[0].id)!.occupied);
  });
});
