// Personal data apart (SPEC 12), as a vitest suite run on both stores (personal.test.ts,
// personal.pg.test.ts): erasure leaves the log and replays byte for byte as they were and no trace
// of the patient in any table (every table dumped and searched, with the database's own client);
// retention erases exactly the doctor-days past the limit; duplicates are still found by phone and
// id; the upgrade of an older database moves its patients out of the log and the tokens table.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replay, snapshot } from '../../../src/engine/index.ts';
import type { Actor } from '../../../src/access/types.ts';
import type { DayKey } from '../../../src/store/store.ts';
import { ManualClock } from '../../../src/time/clock.ts';
import { AS_DESK, by } from '../../kits/service/test-kit.ts';
import { createTokenDesk } from '../../../src/service/token-desk.ts';
import { ServiceError, type TokenDesk } from '../../../src/service/types.ts';
import type { RawDatabase } from '../../kits/store/raw-database.ts';

/** The database under the store, read and written with its own client. */

const ADMIN: Actor = Object.freeze({ kind: 'account', id: 'acc-admin', name: 'Priya', role: 'admin', doctorIds: 'all' });
const at = (hhmm: string, date = '2026-03-10') => new Date(`${date}T${hhmm}:00+05:30`);
const DATE = '2026-03-10';

/** Kavitha: the patient whose data is erased. Written as the desk typed it. */
const KAVITHA = { name: 'Kavitha Raghunathan', phone: '098450-22222', id: 'MRN-77123' };
/** What of Kavitha must be found nowhere once erased (lower case: the dump is searched case aside). */
const KAVITHA_TRACES = ['kavitha', 'raghunathan', '9845022222', 'mrn-77123'];

export function personalSuite(name: string, open: () => Promise<RawDatabase>): void {
  describe(`personal data apart: ${name}`, () => {
    let db: RawDatabase;
    let desk: TokenDesk;
    let clock: ManualClock;

    beforeEach(async () => {
      db = await open();
      clock = new ManualClock(at('08:00'));
      desk = createTokenDesk({ store: db.store, timeZone: 'Asia/Kolkata', clock, retentionDays: 90 });
    });
    afterEach(async () => {
      await desk.close();
      await db.close();
    });

    async function doctorWithDay(code: string, date = DATE) {
      const doctor = await desk.createDoctor({ name: `Dr ${code}`, department: 'General Medicine', code }, by(ADMIN));
      await desk.createSlot({ doctorId: doctor.id, start: at('09:00', date).toISOString(), end: at('13:00', date).toISOString(), capacity: 20 }, by(ADMIN));
      return doctor;
    }

    /** Every row of every table, as one lower-cased text to search. */
    async function dump(): Promise<string> {
      const parts: string[] = [];
      for (const table of await db.tables()) parts.push(table, JSON.stringify(await db.all(`SELECT * FROM ${table}`)));
      return parts.join('\n').toLowerCase();
    }

    async function replayed(key: DayKey, code: string): Promise<string> {
      const records = await db.store.readDayRecords(key);
      return JSON.stringify(snapshot(replay({ ...key, code }, records.events)));
    }

    it('12: erasing one patient leaves the day replaying byte for byte and the patient in no table; staff see "erased"; others are kept', async () => {
      const doctor = await doctorWithDay('GM');
      const kavitha = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: KAVITHA }, AS_DESK);
      const ravi = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Ravi Shankar', phone: '9845033333' } }, by(ANSWERED, { key: 'k-1', requestHash: 'h-1' }));
      await desk.act(kavitha.id, 'check-in', AS_DESK);
      const key = { doctorId: doctor.id, date: DATE };
      const before = await replayed(key, 'GM');
      const log = JSON.stringify(await db.all('SELECT seq, payload FROM events ORDER BY seq'));
      expect(await dump()).toContain('kavitha');
      // The log itself never held her: only a keyed hash.
      for (const trace of KAVITHA_TRACES) expect(log.toLowerCase()).not.toContain(trace);

      expect(await desk.erasePatient({ phone: '+91 98450 22222' }, by(ADMIN))).toEqual({ erased: 1 });

      expect(await replayed(key, 'GM')).toBe(before);
      expect(JSON.stringify(await db.all('SELECT seq, payload FROM events ORDER BY seq'))).toBe(log);
      const everything = await dump();
      for (const trace of KAVITHA_TRACES) expect(everything, trace).not.toContain(trace);
      expect(everything).toContain('ravi shankar');
      const token = await desk.getToken(kavitha.id);
      expect(token).toMatchObject({ number: 'GM-001', status: 'CHECKED_IN', patient: null, patientErased: true });
      expect((await desk.tokenHistory(kavitha.id)).map((e) => e.type)).toEqual(['TokenIssued', 'TokenAllocated', 'TokenCheckedIn']);
      expect((await desk.getToken(ravi.id)).patient).toEqual({ name: 'Ravi Shankar', phone: '+919845033333' });
      // Recorded: who and how, never the phone.
      const audit = await db.all('SELECT matched_by, tokens, actor_id FROM erasures');
      expect(audit).toEqual([{ matched_by: 'phone', tokens: 1, actor_id: 'acc-admin' }]);
      // Erasing again finds nothing; by id and by token the same patient is gone too.
      expect(await desk.erasePatient({ patientId: ' mrn-77123 ' }, by(ADMIN))).toEqual({ erased: 0 });
      expect(await desk.erasePatient({ tokenId: ravi.id }, by(ADMIN))).toEqual({ erased: 1 });
      expect((await desk.getToken(ravi.id)).patientErased).toBe(true);
    });

    it('12: an erasure names exactly one valid thing; a bad one is a 400 and changes nothing', async () => {
      const doctor = await doctorWithDay('GM');
      await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: KAVITHA }, AS_DESK);
      const refused = async (input: object) => {
        const err = await desk.erasePatient(input, by(ADMIN)).catch((e: unknown) => e);
        expect(err, JSON.stringify(input)).toBeInstanceOf(ServiceError);
        return (err as ServiceError).code;
      };
      expect(await refused({})).toBe('VALIDATION_FAILED');
      expect(await refused({ phone: '+91 98450 22222', patientId: 'MRN-77123' })).toBe('VALIDATION_FAILED');
      expect(await refused({ phone: '12' })).toBe('VALIDATION_FAILED');
      expect(await refused({ tokenId: 'no-such-token' })).toBe('NOT_FOUND');
      expect(await dump()).toContain('kavitha');
      expect(await db.all('SELECT * FROM erasures')).toEqual([]);
    });

    it('12: retention erases exactly the doctor-days more than OPD_RETENTION_DAYS old, and then nobody is left in any table', async () => {
      // Two days in a row, 10 and 11 March, each with a patient.
      const doctor = await doctorWithDay('GM');
      await desk.createSlot({ doctorId: doctor.id, start: at('09:00', '2026-03-11').toISOString(), end: at('13:00', '2026-03-11').toISOString(), capacity: 5 }, by(ADMIN));
      await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: KAVITHA }, by(ADMIN, { key: 'k-old', requestHash: 'h' }));
      await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Meena Iyer', id: 'MRN-55' }, date: '2026-03-11' }, AS_DESK);
      const before = { d10: await replayed({ doctorId: doctor.id, date: DATE }, 'GM'), d11: await replayed({ doctorId: doctor.id, date: '2026-03-11' }, 'GM') };
      // 8 June is 90 days after 10 March: both days are kept.
      clock.set(at('23:59', '2026-06-08'));
      // (The answer remembered for the Idempotency-Key of 10 March 08:00 is 90 days old: it goes.)
      expect(await desk.eraseExpired()).toEqual({ tokens: 0, days: 0, answers: 1 });
      expect(await dump()).toContain('kavitha');
      // 9 June: 10 March is 91 days old and goes, 11 March stays.
      clock.set(at('00:01', '2026-06-09'));
      expect(await desk.eraseExpired()).toEqual({ tokens: 1, days: 1, answers: 0 });
      let everything = await dump();
      for (const trace of KAVITHA_TRACES) expect(everything, trace).not.toContain(trace);
      expect(everything).toContain('meena iyer');
      expect(await db.all('SELECT date FROM day_secrets')).toEqual([{ date: '2026-03-11' }]);
      // 10 June: nobody is left anywhere; a second run (another server) finds nothing to do.
      clock.set(at('00:01', '2026-06-10'));
      expect(await desk.eraseExpired()).toMatchObject({ tokens: 1, days: 1 });
      expect(await desk.eraseExpired()).toEqual({ tokens: 0, days: 0, answers: 0 });
      everything = await dump();
      for (const trace of [...KAVITHA_TRACES, 'meena', 'iyer', 'mrn-55']) expect(everything, trace).not.toContain(trace);
      expect(await replayed({ doctorId: doctor.id, date: DATE }, 'GM')).toBe(before.d10);
      expect(await replayed({ doctorId: doctor.id, date: '2026-03-11' }, 'GM')).toBe(before.d11);
      expect((await desk.schedule(doctor.id, '2026-03-11')).slots[0]!.tokens.map((t) => [t.number, t.patient, t.patientErased])).toEqual([['GM-001', null, true]]);
    });

    it('7: duplicates are still refused by a phone written three ways and by an id (case and spaces aside), naming the token', async () => {
      const doctor = await doctorWithDay('GM');
      const first = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Ravi', phone: '+91 98450 11111' } }, AS_DESK);
      for (const phone of ['098450-11111', '9845011111', '+919845011111']) {
        const err = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Ravi K', phone } }, AS_DESK).catch((e: unknown) => e);
        expect(err, phone).toMatchObject({ code: 'DUPLICATE_TOKEN', details: { tokenId: first.id } });
      }
      const withId = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Asha', id: 'MRN-0042' } }, AS_DESK);
      for (const id of [' mrn-0042', 'Mrn-0042  ']) {
        const err = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Asha R', id } }, AS_DESK).catch((e: unknown) => e);
        expect(err, id).toMatchObject({ code: 'DUPLICATE_TOKEN', details: { tokenId: withId.id } });
      }
      // The same person on another doctor's day is a new patient there: each day has its own secret.
      const other = await doctorWithDay('OR');
      expect((await desk.issueToken({ doctorId: other.id, source: 'WALKIN', patient: { name: 'Ravi', phone: '9845011111' } }, AS_DESK)).number).toBe('OR-001');
      const keys = (await db.all("SELECT payload FROM events WHERE type = 'TokenIssued' ORDER BY seq")).map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { patientKey?: string });
      expect(keys).toHaveLength(3);
      expect(keys.every((k) => typeof k.patientKey === 'string' && /^[A-Za-z0-9_-]{43}$/.test(k.patientKey))).toBe(true);
      expect(keys[2]!.patientKey).not.toBe(keys[0]!.patientKey);
    });

    it('12: the upgrade of an older database moves its patients out of the log and the tokens table, once', async () => {
      const doctor = await doctorWithDay('GM');
      const a = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Ásha Rao', phone: '9845011111' } }, AS_DESK);
      const b = await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Meena', id: 'MRN-9' } }, AS_DESK);
      await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Nobody Known' } }, AS_DESK);
      await desk.close();
      // The database as version 4 left it: patients inside TokenIssued and in tokens.patient.
      const old: Record<string, { name: string; id?: string; phone?: string }> = {
        [a.id]: { name: 'Ásha Rao', phone: '+919845011111' },
        [b.id]: { name: 'Meena', id: 'MRN-9' },
      };
      await ageToVersion4(db, old);
      const store = await db.reopen();
      await store.migrate();
      // (Token ids are time-ordered: a, b, then the third.)
      const rows = await db.all('SELECT token_id, name, phone_e164, patient_id, name_folded, id_folded FROM patients ORDER BY token_id');
      expect(rows).toEqual([
        { token_id: a.id, name: 'Ásha Rao', phone_e164: '+919845011111', patient_id: null, name_folded: 'asha rao', id_folded: null },
        { token_id: b.id, name: 'Meena', phone_e164: null, patient_id: 'MRN-9', name_folded: 'meena', id_folded: 'mrn-9' },
        { token_id: expect.any(String), name: 'Nobody Known', phone_e164: null, patient_id: null, name_folded: 'nobody known', id_folded: null },
      ]);
      const log = JSON.stringify(await db.all('SELECT payload FROM events ORDER BY seq')).toLowerCase();
      for (const trace of ['meena', 'asha', 'mrn-9', '9845011111', '"patient"']) expect(log, trace).not.toContain(trace);
      expect((await db.all('SELECT * FROM tokens')).every((t) => !('patient' in t))).toBe(true);
      // The upgraded day works on: the same patient is still a duplicate, the view joins the patient back.
      desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock, retentionDays: 90 });
      db.store = store;
      const err = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Asha', phone: '098450-11111' } }, AS_DESK).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DUPLICATE_TOKEN', details: { tokenId: a.id } });
      expect((await desk.getToken(b.id)).patient).toEqual({ name: 'Meena', id: 'MRN-9' });
      // Migrating again changes nothing.
      await store.migrate();
      expect(Number((await db.all('SELECT count(*) AS n FROM patients'))[0]!.n)).toBe(3);
    });
  });
}

/** An actor with an Idempotency-Key, whose answer the store remembers (it must hold no personal data). */
const ANSWERED: Actor = Object.freeze({ kind: 'account', id: 'acc-anita', name: 'Anita', role: 'desk', doctorIds: 'all' });

/**
 * Turns a database written by this version back into what version 4 wrote: each TokenIssued payload
 * with `patient` where `patientKey` is, a tokens.patient column, no personal tables, step 5 unrecorded.
 */
async function ageToVersion4(db: RawDatabase, old: Record<string, { name: string; id?: string; phone?: string }>): Promise<void> {
  const pg = db.store.kind === 'postgres';
  const names = await db.all('SELECT token_id, name FROM patients');
  const patientOf = (tokenId: string) => old[tokenId] ?? { name: String(names.find((r) => r.token_id === tokenId)!.name) };
  const issued = await db.all(`SELECT seq, token_id, ${pg ? 'payload::text' : 'payload'} AS payload FROM events WHERE type = 'TokenIssued'`);
  for (const e of issued) {
    const event = JSON.parse(String(e.payload)) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(event)) {
      if (k === 'patientKey') continue;
      if (k === 'request') out.patient = patientOf(String(e.token_id));
      out[k] = v;
    }
    await db.run(`UPDATE events SET payload = '${JSON.stringify(out).replace(/'/g, "''")}' WHERE seq = ${Number(e.seq)}`);
  }
  await db.run(`ALTER TABLE tokens ADD COLUMN patient ${pg ? 'json' : 'TEXT'}`);
  for (const r of names) {
    await db.run(`UPDATE tokens SET patient = '${JSON.stringify(patientOf(String(r.token_id))).replace(/'/g, "''")}' WHERE id = '${String(r.token_id)}'`);
  }
  for (const table of ['patients', 'day_secrets', 'erasures']) await db.run(`DROP TABLE ${table}`);
  await db.run('DELETE FROM schema_migrations WHERE version = 5');
}
