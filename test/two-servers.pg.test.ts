// Real processes: two servers on one PostgreSQL database, 200 concurrent bookings split between them
// into one slot of capacity 5 → exactly 5 seated, numbers unique and gap-free, the event log
// consistent with the tokens table and with what both servers show.
//
// Runs only when DATABASE_URL names a PostgreSQL server. Each run creates its own database
// (opd_e2e_<random>) on that server, so old data never interferes, and drops it afterwards.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../src/engine/index.ts';
import { checkDay } from '../src/service/day-check.ts';
import { openStore } from '../src/store/open-store.ts';
import { patientOf } from '../src/store/personal.ts';
import type { Store } from '../src/store/store.ts';
import { scheduleFromApi, scheduleFromLog } from './kits/day-check.ts';
import { baseUrl, createDatabase, sql, type TestDatabase } from './kits/pg-kit.ts';
import { expectStatus, http, startServer, type ServerProcess } from './kits/process-kit.ts';

if (!baseUrl) console.log('two-servers PostgreSQL end-to-end test skipped: set DATABASE_URL=postgres://… to run it');

const DATE = '2026-03-10';
/** 08:00 in Kolkata: before the slot, so it has neither started nor ended. */
const CLOCK = `${DATE}T08:00:00+05:30`;
const SLOT = { start: `${DATE}T10:00:00+05:30`, end: `${DATE}T11:00:00+05:30`, capacity: 5 };
const BOOKINGS = 200;
const CODE = 'TWO';

describe.skipIf(!baseUrl)('two servers on one PostgreSQL (real processes)', () => {
  let db: TestDatabase | undefined;
  let dbUrl = '';
  let servers: ServerProcess[] = [];
  let store: Store | undefined;

  beforeAll(async () => {
    db = await createDatabase('opd_e2e');
    dbUrl = db.url;
    // Both at once: they migrate the empty database together, as a fleet would on a first deploy.
    const env = { DATABASE_URL: dbUrl, OPD_CLOCK: 'manual' };
    const starting = await Promise.allSettled([startServer(env, { name: 'server A' }), startServer(env, { name: 'server B' })]);
    servers = starting.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const s of starting) if (s.status === 'rejected') throw s.reason;
  });

  afterAll(async () => {
    await store?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  it('seats exactly 5 of 200 concurrent bookings, numbers 001..200, and the log agrees with the tokens and both servers', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    // The manual clock belongs to each process: both are set, or the other one books at today's date.
    for (const s of servers) await expectStatus(s, 'PUT', '/api/clock', { now: CLOCK }, 200);

    // Preemption off: ONLINE outranks WALKIN and would otherwise bump it, seating more than 5 answers.
    const doctor = await expectStatus(a, 'POST', '/api/doctors', { name: 'Dr Two Servers', department: 'General Medicine', code: CODE, policy: { preemption: 'off' } }, 201);
    const slot = await expectStatus(a, 'POST', '/api/slots', { doctorId: doctor.id, ...SLOT }, 201);
    expect(slot.capacity).toBe(5);

    // Half the bookings through each server, all at once: the doctor-day lock is the only thing
    // that serializes the two processes.
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: BOOKINGS }, (_, i) =>
        http(servers[i % 2]!.url, 'POST', '/api/tokens', {
          doctorId: doctor.id,
          source: Math.floor(i / 2) % 2 === 0 ? 'ONLINE' : 'WALKIN',
          patient: { name: `Patient ${i}`, id: `P-${i}` },
          slotId: slot.id,
          flexible: false,
        }, 30_000),
      ),
    );
    const elapsed = Date.now() - started;
    const failed = replies.map((r, i) => ({ i, ...r })).filter((r) => r.status !== 201);
    if (failed.length > 0) {
      throw new Error(`${failed.length} bookings were not answered 201, e.g. ${JSON.stringify(failed.slice(0, 3))}\n--- A ---\n${a.output()}\n--- B ---\n${b.output()}`);
    }
    console.log(`two servers: ${BOOKINGS} concurrent bookings answered in ${elapsed} ms`);
    const tokens = replies.map((r) => r.body);

    // The answers: 5 seats, 195 on the waitlist, nobody bumped, every number once.
    const seated = tokens.filter((t) => t.status === 'ALLOCATED');
    const waiting = tokens.filter((t) => t.status === 'WAITLISTED');
    expect(seated).toHaveLength(5);
    expect(waiting).toHaveLength(BOOKINGS - 5);
    expect(seated.every((t) => t.slotId === slot.id)).toBe(true);
    expect(waiting.every((t) => t.slotId === null)).toBe(true);
    expect(tokens.every((t) => t.bumped === null && t.doctorId === doctor.id)).toBe(true);
    expect(new Set(tokens.map((t) => t.id)).size).toBe(BOOKINGS);
    const numbers = tokens.map((t) => t.number).sort();
    expect(numbers).toEqual(Array.from({ length: BOOKINGS }, (_, i) => `${CODE}-${String(i + 1).padStart(3, '0')}`));
    // Serialized issuing without preemption: the first five numbers issued are the five seated.
    expect(seated.map((t) => t.number).sort()).toEqual(['TWO-001', 'TWO-002', 'TWO-003', 'TWO-004', 'TWO-005']);

    // Both servers show the same day: 5 in the slot, 195 on its waitlist.
    const [viaA, viaB] = await Promise.all(servers.map((s) => expectStatus(s, 'GET', `/api/doctors/${doctor.id}/schedule?date=${DATE}`, undefined, 200)));
    expect(viaB).toEqual(viaA);
    expect(viaA.slots).toHaveLength(1);
    expect(viaA.slots[0].occupied).toBe(5);
    expect(viaA.slots[0].tokens.map((t: { id: string }) => t.id).sort()).toEqual(seated.map((t) => t.id).sort());
    expect(viaA.waitlist.map((t: { id: string }) => t.id).sort()).toEqual(waiting.map((t) => t.id).sort());
    const [slotA, slotB] = await Promise.all(servers.map((s) => expectStatus(s, 'GET', `/api/slots/${slot.id}`, undefined, 200)));
    expect(slotB).toEqual(slotA);
    expect(slotA.waitlist).toHaveLength(BOOKINGS - 5);

    // The event log, read straight from the database, rebuilds a sound day whose every slot and
    // token row is what the log says (the check of `opd check`)…
    store = await openStore({ kind: 'postgres', url: dbUrl });
    const key = { doctorId: doctor.id, date: DATE };
    const checked = await checkDay(store, key, { timeZone: 'Asia/Kolkata' });
    expect(checked.problems).toEqual([]);
    const day = checked.day!;
    expect(day.tokens.size).toBe(BOOKINGS);
    expect(day.slotById.get(slot.id)!.occupied).toBe(5);
    // …whose every token is the token answered…
    const patients = new Map((await store.personal.ofDay(key)).map((r) => [r.tokenId, patientOf(r)]));
    for (const t of tokens) {
      const replayed = day.tokens.get(t.id)!;
      expect({ number: replayed.label, status: replayed.status, source: replayed.source, patient: patients.get(t.id) }).toEqual({
        number: t.number,
        status: t.status,
        source: t.source,
        patient: t.patient,
      });
    }
    // …the tokens table holds nothing else…
    const { rows } = await sql(dbUrl, (c) => c.query<{ n: number }>('SELECT count(*)::int AS n FROM tokens'));
    expect(rows[0]!.n).toBe(BOOKINGS);
    // …the store's sequence runs in the day's commit order…
    const stored = (await store.eventsAfter(0, 10_000)).filter((e) => e.doctorId === doctor.id);
    expect(stored.map((e) => e.event)).toEqual(await store.dayEvents(key, 0));
    expect(stored.every((e, i) => i === 0 || e.seq > stored[i - 1]!.seq)).toBe(true);
    // …and the API shows exactly the replayed state, through either server.
    expect(scheduleFromApi(viaA)).toEqual(scheduleFromLog(day));
    const snap = snapshot(day);
    expect(snap.lastNumber).toBe(BOOKINGS);
    expect(snap.slots.map((s) => ({ id: s.id, capacity: s.capacity, occupied: s.occupied }))).toEqual(
      viaA.slots.map((s: { id: string; capacity: number; occupied: number }) => ({ id: s.id, capacity: s.capacity, occupied: s.occupied })),
    );
  });
});
