// Migration 9 (patient_words, the name search's index) as a vitest suite run on both stores
// (patient-words.test.ts, patient-words.pg.test.ts): the words' starts written with each patient,
// found by the search as a prefix of any word (and never inside one), taken along when the row is
// erased or changed, and filled by the data step for the patients of a database older than step 9.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/access/types.ts';
import { by } from '../../kits/service/test-kit.ts';
import { createTokenDesk } from '../../../src/service/token-desk.ts';
import type { TokenDesk } from '../../../src/service/types.ts';
import { ManualClock } from '../../../src/time/clock.ts';
import type { RawDatabase } from '../../kits/store/raw-database.ts';
import { foldName } from '../../../src/store/personal.ts';
import { MIGRATIONS } from '../../../src/store/migrations.ts';

const ADMIN: Actor = Object.freeze({ kind: 'account', id: 'acc-admin', name: 'Priya', role: 'admin', doctorIds: 'all' });
const DATE = '2026-03-10';
const at = (hhmm: string, date = DATE) => new Date(`${date}T${hhmm}:00+05:30`);
/** The patients issued, by a short label. */
const PEOPLE = {
  ravi: 'Ravi Patil',
  jose: 'José Ávila',
  ram: 'राम कुमार',
  pat: 'Pat  Rao',
  anu: 'Anupama',
} as const;
type Label = keyof typeof PEOPLE;
/** Each name from the start of each of its words on, written out by hand. */
const SUFFIXES = ['ravi patil', 'patil', 'jose avila', 'avila', 'राम कुमार', 'कुमार', 'pat rao', 'rao', 'anupama'].sort();

export function patientWordsSuite(name: string, open: () => Promise<RawDatabase>): void {
  describe(`patient_words (migration 9): ${name}`, () => {
    let db: RawDatabase;
    let desk: TokenDesk;
    const ids = {} as Record<Label, string>;

    beforeEach(async () => {
      db = await open();
      desk = createTokenDesk({ store: db.store, timeZone: 'Asia/Kolkata', clock: new ManualClock(at('08:00')), retentionDays: 90 });
      const doctor = await desk.createDoctor({ name: 'Dr Rao', department: 'General Medicine', code: 'GM' }, by(ADMIN));
      await desk.createSlot({ doctorId: doctor.id, start: at('09:00').toISOString(), end: at('13:00').toISOString(), capacity: 20 }, by(ADMIN));
      for (const [label, patient] of Object.entries(PEOPLE)) {
        ids[label as Label] = (await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: patient } }, by(ADMIN))).id;
      }
    });
    afterEach(async () => {
      await desk.close();
      await db.close();
    });

    /** The labels of the patients a name search for `typed` finds on the day. */
    async function found(typed: string): Promise<Label[]> {
      const hits = await db.store.personal.search({ from: DATE, to: DATE, doctorIds: null, namePrefix: foldName(typed), limit: 50 });
      const labels = Object.keys(ids) as Label[];
      return hits.map((h) => labels.find((l) => ids[l] === h.tokenId)!).sort();
    }

    async function expectTheSearches(): Promise<void> {
      expect(await found('pat')).toEqual(['pat', 'ravi']);
      expect(await found('PATI')).toEqual(['ravi']);
      expect(await found('ravi pat')).toEqual(['ravi']);
      expect(await found('avi')).toEqual(['jose']); // Ávila, not Ravi: only the start of a word
      expect(await found('jose a')).toEqual(['jose']);
      expect(await found('कु')).toEqual(['ram']);
      expect(await found('a')).toEqual(['anu', 'jose']);
      expect(await found('til')).toEqual([]);
      expect(await found('anupamaa')).toEqual([]);
    }

    const count = async (where = '') => Number((await db.all(`SELECT count(*) AS n FROM patient_words ${where}`))[0]!.n);
    const indexes = async () =>
      (
        await db.all(
          db.store.kind === 'postgres'
            ? "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'patients'"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'patients'",
        )
      ).map((r) => String(r.name));
    const suffixes = async () => (await db.all('SELECT suffix FROM patient_words')).map((r) => String(r.suffix)).sort();

    it('each word start of a patient written with the token is found, as a prefix of any word only', async () => {
      expect(await suffixes()).toEqual(SUFFIXES);
      await expectTheSearches();
    });

    it('a patient erased takes its words along; a changed name is searched as changed', async () => {
      await db.run(`DELETE FROM patients WHERE token_id = '${ids.ravi}'`);
      expect(await count(`WHERE token_id = '${ids.ravi}'`)).toBe(0);
      expect(await found('pat')).toEqual(['pat']);
      await db.run(`UPDATE patients SET name_folded = 'zara patel' WHERE token_id = '${ids.anu}'`);
      expect(await found('anu')).toEqual([]);
      expect(await found('pat')).toEqual(['anu', 'pat']);
      expect(await count(`WHERE token_id = '${ids.anu}'`)).toBe(2);
    });

    it('the data step fills the words of a database older than step 9, once', async () => {
      await desk.close();
      // The database as version 8 left it: no patient_words, no triggers, step 9 unrecorded.
      if (db.store.kind === 'postgres') await db.run('DROP TABLE patient_words; DROP FUNCTION patient_words_keep() CASCADE; DROP FUNCTION patient_words_fill() CASCADE');
      else await db.run('DROP TABLE patient_words; DROP TRIGGER IF EXISTS patient_words_insert; DROP TRIGGER patient_words_delete; DROP TRIGGER patient_words_update; DROP TRIGGER patient_words_fill');
      await db.run('DELETE FROM schema_migrations WHERE version IN (9, 13, 14)');
      expect(await db.tables()).not.toContain('patient_words');
      db.store = await db.reopen();
      await db.store.migrate();
      desk = createTokenDesk({ store: db.store, timeZone: 'Asia/Kolkata', clock: new ManualClock(at('08:00')), retentionDays: 90 });
      expect(await suffixes()).toEqual(SUFFIXES);
      await expectTheSearches();
      await db.store.migrate();
      expect(await suffixes()).toEqual(SUFFIXES);
    });

    it('a database at step 12, its patients worded by the insert trigger, upgrades to 14: found, each word once, and new patients too', async () => {
      await desk.close();
      // Step 12's schema: migration 9's SQL again (its insert trigger) and the name index, without
      // step 14's trigger; the patients rewritten, so that their words are the trigger's.
      await db.run(db.store.kind === 'postgres' ? 'DROP TRIGGER patient_words_fill ON patients' : 'DROP TRIGGER patient_words_fill');
      const step9 = MIGRATIONS.find((m) => m.version === 9)!;
      await db.run(db.store.kind === 'postgres' ? step9.postgres : step9.sqlite);
      await db.run(`CREATE INDEX patients_name ON patients (date, name_folded${db.store.kind === 'postgres' ? ' text_pattern_ops' : ''})`);
      await db.run('DELETE FROM schema_migrations WHERE version IN (13, 14)');
      await db.run('CREATE TABLE patients_copy AS SELECT * FROM patients; DELETE FROM patients');
      expect(await count()).toBe(0);
      await db.run('INSERT INTO patients SELECT * FROM patients_copy; DROP TABLE patients_copy');
      expect(await suffixes()).toEqual(SUFFIXES);

      db.store = await db.reopen();
      await db.store.migrate();
      expect(await indexes()).not.toContain('patients_name');
      expect(await indexes()).toEqual(expect.arrayContaining(['patients_day', 'patients_phone', 'patients_id']));
      desk = createTokenDesk({ store: db.store, timeZone: 'Asia/Kolkata', clock: new ManualClock(at('08:00')), retentionDays: 90 });
      expect(await suffixes()).toEqual(SUFFIXES);
      await expectTheSearches();
      const [doctor] = await db.store.listDoctors();
      const kiran = (await desk.issueToken({ doctorId: doctor!.id, source: 'WALKIN', patient: { name: 'Kiran  Patwardhan' } }, by(ADMIN))).id;
      expect((await db.all(`SELECT suffix FROM patient_words WHERE token_id = '${kiran}'`)).map((r) => String(r.suffix)).sort()).toEqual(['kiran patwardhan', 'patwardhan']);
      const search = async (typed: string) =>
        (await db.store.personal.search({ from: DATE, to: DATE, doctorIds: null, namePrefix: foldName(typed), limit: 50 })).map((h) => h.tokenId).sort();
      expect(await search('patw')).toEqual([kiran]);
      expect(await search('pat')).toEqual([ids.pat, ids.ravi, kiran].sort());
      expect(await count()).toBe(SUFFIXES.length + 2);
    });

    it("a patient's row written without its words, as a server older than step 13 writes it into an upgraded database, is worded by the insert trigger", async () => {
      // Anupama's row as such a server sends it: the row alone (its words were migration 9's trigger's
      // job). Taken out first (the delete trigger takes her words along), then written back so.
      const [row] = await db.all(`SELECT * FROM patients WHERE token_id = '${ids.anu}'`);
      await db.run(`DELETE FROM patients WHERE token_id = '${ids.anu}'`);
      expect(await count(`WHERE token_id = '${ids.anu}'`)).toBe(0);
      const text = (v: unknown) => (v === null ? 'NULL' : `'${String(v)}'`);
      await db.run(
        `INSERT INTO patients (token_id, doctor_id, date, name, phone, phone_e164, patient_id, name_folded, id_folded)
         VALUES (${['token_id', 'doctor_id', 'date', 'name', 'phone', 'phone_e164', 'patient_id', 'name_folded', 'id_folded'].map((c) => text(row![c])).join(', ')})`,
      );
      expect((await db.all(`SELECT suffix FROM patient_words WHERE token_id = '${ids.anu}'`)).map((r) => String(r.suffix))).toEqual(['anupama']);
      expect(await found('anu')).toEqual(['anu']);
      // The server's own rows (written with their words first) have each word once.
      expect(await suffixes()).toEqual(SUFFIXES);
    });
  });
}
