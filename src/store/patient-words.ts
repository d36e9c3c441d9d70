// Migration 9: the name search's own index. A name is searched by the start of any of its words
// (`ravi`, `pat`, `ravi pat` all find "Ravi Patil"), which no index of `patients.name_folded` serves:
// `LIKE '% pat%'` read every name of the searched days (a third of a second for 3,000 tokens a day
// on PostgreSQL). `patient_words` keeps, for each token, the folded name from the start of each of
// its words on ("ravi patil", "patil"), so a name prefix is one range of one index on either store:
// `suffix >= 'pat' AND suffix < 'pau'` (byte order: SQLite's BINARY, PostgreSQL's "C" collation).
//
// Triggers on `patients` keep it: a row written adds its suffixes, a row erased (by an admin or by
// retention) takes them along, on both stores, whichever code writes the row. The data step fills it
// for the patients already there.

import type { Migration, MigrationDb } from './migrations.ts';

/**
 * The word starts of a folded name as SQL (`n` the 1-based position of each word's first letter),
 * a set `FROM` which the suffixes are selected. SQLite has no series function: an array of as many
 * zeros as the name has characters (made from a zero blob's hex, `0,0,…`) gives the positions as
 * json_each's keys, from 0.
 */
export const SQLITE_STARTS = (name: string) =>
  `json_each('[' || substr(replace(hex(zeroblob(length(${name}))), '00', ',0'), 2) || ']') j
   WHERE j.key = 0 OR substr(${name}, j.key, 1) = ' '`;
export const SQLITE_SUFFIX = (name: string) => `substr(${name}, j.key + 1)`;

export const POSTGRES_STARTS = (name: string) => `generate_series(1, length(${name})) n WHERE n = 1 OR substr(${name}, n - 1, 1) = ' '`;
export const POSTGRES_SUFFIX = (name: string) => `substr(${name}, n)`;

export const PATIENT_WORDS_MIGRATION: Migration = {
  version: 9,
  name: "patient_words: each word's start of every patient's folded name, for the name search",
  sqlite: `
    CREATE TABLE IF NOT EXISTS patient_words (
      suffix TEXT NOT NULL,
      date TEXT NOT NULL,
      token_id TEXT NOT NULL,
      PRIMARY KEY (suffix, date, token_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS patient_words_token ON patient_words (token_id);
    CREATE TRIGGER IF NOT EXISTS patient_words_insert AFTER INSERT ON patients BEGIN
      INSERT OR IGNORE INTO patient_words (suffix, date, token_id)
        SELECT ${SQLITE_SUFFIX('NEW.name_folded')}, NEW.date, NEW.token_id FROM ${SQLITE_STARTS('NEW.name_folded')};
    END;
    CREATE TRIGGER IF NOT EXISTS patient_words_delete AFTER DELETE ON patients BEGIN
      DELETE FROM patient_words WHERE token_id = OLD.token_id;
    END;
    CREATE TRIGGER IF NOT EXISTS patient_words_update AFTER UPDATE OF name_folded, date, token_id ON patients BEGIN
      DELETE FROM patient_words WHERE token_id = OLD.token_id;
      INSERT OR IGNORE INTO patient_words (suffix, date, token_id)
        SELECT ${SQLITE_SUFFIX('NEW.name_folded')}, NEW.date, NEW.token_id FROM ${SQLITE_STARTS('NEW.name_folded')};
    END;
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS patient_words (
      suffix text COLLATE "C" NOT NULL,
      date text NOT NULL,
      token_id text NOT NULL,
      PRIMARY KEY (suffix, date, token_id)
    );
    CREATE INDEX IF NOT EXISTS patient_words_token ON patient_words (token_id);
    CREATE OR REPLACE FUNCTION patient_words_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM patient_words WHERE token_id = OLD.token_id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO patient_words (suffix, date, token_id)
          SELECT ${POSTGRES_SUFFIX('NEW.name_folded')}, NEW.date, NEW.token_id FROM ${POSTGRES_STARTS('NEW.name_folded')}
          ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END
    $$;
    DROP TRIGGER IF EXISTS patient_words_keep ON patients;
    CREATE TRIGGER patient_words_keep AFTER INSERT OR DELETE OR UPDATE OF name_folded, date, token_id ON patients
      FOR EACH ROW EXECUTE FUNCTION patient_words_keep();
  `,
  data: fillPatientWords,
};

/** The data step: the suffixes of every patient already in the database (none twice, if run again). */
export async function fillPatientWords(db: MigrationDb): Promise<void> {
  await db.run(
    db.dialect === 'sqlite'
      ? `INSERT OR IGNORE INTO patient_words (suffix, date, token_id)
           SELECT ${SQLITE_SUFFIX('p.name_folded')}, p.date, p.token_id FROM patients p, ${SQLITE_STARTS('p.name_folded')}`
      : `INSERT INTO patient_words (suffix, date, token_id)
           SELECT ${POSTGRES_SUFFIX('p.name_folded')}, p.date, p.token_id FROM patients p, ${POSTGRES_STARTS('p.name_folded')}
           ON CONFLICT DO NOTHING`,
  );
}

/**
 * The first text after every text that starts with `prefix`, in code point order (the byte order of
 * UTF-8): `pau` for `pat`. Null when there is none (the prefix is all U+10FFFF).
 */
export function prefixEnd(prefix: string): string | null {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      const next = last === 0xd7ff ? 0xe000 : last + 1; // surrogates are no characters
      return String.fromCodePoint(...points, next);
    }
  }
  return null;
}
