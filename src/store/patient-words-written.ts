// Migration 13: a patient's name words are written by the store with the patient's row, no longer by
// an insert trigger. Migration 9's triggers found each word's start in SQL (SQLite: positions from a
// JSON array made of a zero blob's hex; PostgreSQL: a PL/pgSQL function over generate_series), once
// per new patient, on the booking's path: about a fifth of what a booking's SQLite statements cost.
// The word starts are now computed in TypeScript (`nameWordStarts`) and inserted in the same
// statement (PostgreSQL) or the next one (SQLite) as the patient's row, by the only code that
// inserts patients (`putPersonalAtCommit`). The delete and update triggers stay: an erasure (by an
// admin, by retention, or by hand) still takes the words along, and a name changed by hand is
// still searched as changed.
//
// `patients_name` (date, name_folded) is dropped: since migration 9 the name search reads
// patient_words, and no query reads patients by name (EXPLAIN QUERY PLAN of every query on
// `patients`, both stores: the day's rows by `patients_day`, retention's `date < ?` by `patients_day`,
// the search and the erasures by `patients_phone`, `patients_id` and the primary key). It was one
// more index entry written with every booking.

import type { Migration } from './migrations.ts';
import { POSTGRES_STARTS, POSTGRES_SUFFIX, SQLITE_STARTS, SQLITE_SUFFIX } from './patient-words.ts';

export const PATIENT_WORDS_WRITTEN_MIGRATION: Migration = {
  version: 13,
  name: "patient_words written with the patient's row (no insert trigger); patients_name dropped",
  sqlite: `
    DROP TRIGGER IF EXISTS patient_words_insert;
    DROP INDEX IF EXISTS patients_name;
  `,
  postgres: `
    DROP TRIGGER IF EXISTS patient_words_keep ON patients;
    CREATE TRIGGER patient_words_keep AFTER DELETE OR UPDATE OF name_folded, date, token_id ON patients
      FOR EACH ROW EXECUTE FUNCTION patient_words_keep();
    DROP INDEX IF EXISTS patients_name;
  `,
};

/**
 * Migration 14: a patient row that arrives without its words still gets them. Servers sharing one
 * PostgreSQL database are upgraded one after the other, and between step 13 and the last upgrade an
 * older server (which left the words to migration 9's insert trigger) would store patients that no
 * name search finds, for good. So the insert trigger is back, for those rows only: the server now
 * writes a patient's words before its row (SQLite: the statement before; PostgreSQL: a data-modifying
 * WITH of the same statement, whose rows the AFTER trigger sees), and the trigger first looks for
 * them under the token (an index probe of patient_words_token), computing nothing when they are
 * there. A row with words never pays the string work again; an older server's row is worded as it
 * was before step 13.
 */
export const PATIENT_WORDS_FILL_MIGRATION: Migration = {
  version: 14,
  name: "patient_words: an insert trigger words a patient's row that came without them (an older server's)",
  sqlite: `
    CREATE TRIGGER IF NOT EXISTS patient_words_fill AFTER INSERT ON patients
      WHEN NOT EXISTS (SELECT 1 FROM patient_words WHERE token_id = NEW.token_id)
    BEGIN
      INSERT OR IGNORE INTO patient_words (suffix, date, token_id)
        SELECT ${SQLITE_SUFFIX('NEW.name_folded')}, NEW.date, NEW.token_id FROM ${SQLITE_STARTS('NEW.name_folded')};
    END;
  `,
  postgres: `
    CREATE OR REPLACE FUNCTION patient_words_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM patient_words WHERE token_id = NEW.token_id) THEN
        INSERT INTO patient_words (suffix, date, token_id)
          SELECT ${POSTGRES_SUFFIX('NEW.name_folded')}, NEW.date, NEW.token_id FROM ${POSTGRES_STARTS('NEW.name_folded')}
          ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END
    $$;
    DROP TRIGGER IF EXISTS patient_words_fill ON patients;
    CREATE TRIGGER patient_words_fill AFTER INSERT ON patients FOR EACH ROW EXECUTE FUNCTION patient_words_fill();
  `,
};

/**
 * The rows of patient_words for a folded name: the name from the start of each of its words on
 * ("ravi patil" → "ravi patil", "patil"), exactly as migration 9's SQL finds them: the whole name
 * and whatever follows each space (but not an empty rest). A space is never half of a surrogate
 * pair, so cutting the UTF-16 string after one cuts between characters, as SQL does.
 */
export function nameWordStarts(folded: string): string[] {
  if (folded.length === 0) return [];
  const starts = [folded];
  for (let i = folded.indexOf(' '); i >= 0 && i + 1 < folded.length; i = folded.indexOf(' ', i + 1)) starts.push(folded.slice(i + 1));
  return starts;
}

/** One INSERT of `count` patient_words rows (suffix, date, token_id), `?` placeholders. */
export function insertWordsSql(count: number): string {
  return `INSERT INTO patient_words (suffix, date, token_id) VALUES ${Array.from({ length: count }, () => '(?, ?, ?)').join(', ')}`;
}
