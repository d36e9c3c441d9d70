// Two desks (as two servers would be) on one PostgreSQL database: changes to a doctor-day are
// serialized between them, and a tick that both apply at the same moment is applied once.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import type { Store } from '../store/store.ts';
import { createTokenDesk } from './token-desk.ts';
import { ManualClock } from '../time/clock.ts';
import { AS_DESK, withKey } from '../../test/kits/service/test-kit.ts';

const url = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;
if (!url) console.log('PostgreSQL desk tests skipped: set DATABASE_URL=postgres://… to run them');

const schema = `opd_desk_${randomBytes(4).toString('hex')}`;
const stores: Store[] = [];

afterAll(async () => {
  if (!url) return;
  for (const s of stores) await s.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await client.end();
});

describe.skipIf(!url)('two desks on one PostgreSQL', () => {
  /** A desk as one server would run it, on its own pool, on the shared database. */
  const open = async () => {
    const store = openPostgresStore(url!, { schema });
    stores.push(store);
    await store.migrate();
    return createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date('2026-03-10T08:00:00+05:30')) });
  };

  it('book concurrently into one slot without overbooking, and tick the day once between them', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const doctor = await a.createDoctor({ name: 'Dr. Two', department: 'General Medicine' }, AS_DESK);
    const slot = await a.createSlot({ doctorId: doctor.id, start: '2026-03-10T09:00:00+05:30', end: '2026-03-10T10:00:00+05:30', capacity: 3 }, AS_DESK);
    const tokens = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: `P${i}` }, slotId: slot.id }, AS_DESK)),
    );
    expect(tokens.filter((t) => t.status === 'ALLOCATED')).toHaveLength(3);
    expect(new Set(tokens.map((t) => t.number)).size).toBe(30);

    // Both servers' clocks pass the slot's end + grace at once: 3 no-shows and 27 expiries, once.
    const later = new Date('2026-03-10T10:30:00+05:30');
    await Promise.all([a.setClock(later), b.setClock(later)]);
    const events = await a.eventsAfter(0, 1000);
    expect(events.filter((e) => e.type === 'TokenNoShow')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'TokenExpired')).toHaveLength(27);
    const statuses = await Promise.all(tokens.map(async (t) => (await b.getToken(t.id)).status));
    expect(statuses.filter((s) => s === 'NO_SHOW')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'EXPIRED')).toHaveLength(27);
    expect((await b.getSlot(slot.id)).occupied).toBe(0);
    await a.close();
    await b.close();
  });

  it('answers a retried Idempotency-Key from either server with the first answer, and changes nothing again', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const doctor = await a.createDoctor({ name: 'Dr. Keys', department: 'General Medicine' }, withKey({ key: 'doc-key', requestHash: 'd' }));
    expect(await b.createDoctor({ name: 'Dr. Keys', department: 'General Medicine' }, withKey({ key: 'doc-key', requestHash: 'd' }))).toEqual(doctor);
    const slot = await a.createSlot({ doctorId: doctor.id, start: '2026-03-10T09:00:00+05:30', end: '2026-03-10T10:00:00+05:30', capacity: 2 }, AS_DESK);
    const input = { doctorId: doctor.id, source: 'WALKIN' as const, patient: { name: "P'1 \\ \"x\"" }, slotId: slot.id };
    const idem = { key: "book'1", requestHash: 'h1' };
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).issueToken(input, withKey(idem))));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    await expect(a.issueToken({ ...input, patient: { name: 'other' } }, withKey({ key: "book'1", requestHash: 'h2' }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // A refused command is remembered too, and changes nothing.
    const refused = { key: 'refused', requestHash: 'r' };
    await expect(b.act(answers[0]!.id, 'complete', withKey(refused))).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await expect(a.act(answers[0]!.id, 'complete', withKey(refused))).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    const schedule = await b.schedule(doctor.id, '2026-03-10');
    expect(schedule.slots[0]!.tokens.map((t) => t.id)).toEqual([answers[0]!.id]);
    expect((await a.eventsAfter(0, 1000)).filter((e) => e.type === 'TokenIssued' && e.doctorId === doctor.id)).toHaveLength(1);
    await a.close();
    await b.close();
  });
});
