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
