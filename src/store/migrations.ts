// The schema, as numbered steps. Each store applies the steps it has not recorded in
// `schema_migrations`, in order, inside one transaction and under a lock (SQLite: BEGIN IMMEDIATE,
// PostgreSQL: an advisory lock), so servers starting together apply each step once. Steps are also
// written to be harmless when re-run (IF NOT EXISTS), in case a step ran but its record was lost.
// A step, once released, is never edited: change the schema with a new step.
//
// Why these types: event payloads are kept as the exact JSON text the engine produced (SQLite TEXT,
// PostgreSQL `json`, never `jsonb`, which reorders keys), because replay compares snapshots. Times
// are epoch ms (BIGINT). Dates are hospital-local YYYY-MM-DD strings, not DATE columns, so no driver
// shifts them by a time zone. `events.seq` is the store-wide sequence of the live feed; AUTOINCREMENT
// in SQLite so a seq is never handed out twice, even after the last row is gone.

import { PATIENT_WORDS_MIGRATION } from './patient-words.ts';
import { PATIENT_WORDS_FILL_MIGRATION, PATIENT_WORDS_WRITTEN_MIGRATION } from './patient-words-written.ts';
import { FIRST_MIGRATIONS } from './migrations-1-4.ts';
import { SECOND_MIGRATIONS } from './migrations-5-8.ts';

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
  /**
   * Work on the data that SQL alone cannot do, run after the step's SQL in the same transaction (and
   * under the same lock), once.
   */
  data?: (db: MigrationDb) => Promise<void>;
}

/**
 * What a data step may do: statements with `?` placeholders (PostgreSQL's are numbered for it), one
 * at a time, on the migrating transaction.
 */
export interface MigrationDb {
  readonly dialect: 'sqlite' | 'postgres';
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  ...FIRST_MIGRATIONS,
  ...SECOND_MIGRATIONS,
  PATIENT_WORDS_MIGRATION,
  {
    // PostgreSQL only: no foreign keys from the log and its projection rows to their doctor-day. Each
    // event, slot and token row a booking writes paid a referential check (a lookup and a row lock on
    // doctor_days) for a row the same statement had just upserted: the store's one append statement
    // writes the doctor_days row first, under the day's lock, and nothing deletes doctor-days. A
    // booking writes three such rows; each check cost PostgreSQL about 20 µs here. SQLite keeps its
    // keys (its checks are cheap lookups in the same process), so the two schemas differ only there.
    version: 11,
    name: 'PostgreSQL: the event log, slots and tokens without foreign keys to doctor_days',
    sqlite: '',
    postgres: `
      ALTER TABLE events DROP CONSTRAINT IF EXISTS events_doctor_id_date_fkey;
      ALTER TABLE slots DROP CONSTRAINT IF EXISTS slots_doctor_id_date_fkey;
      ALTER TABLE tokens DROP CONSTRAINT IF EXISTS tokens_doctor_id_date_fkey;
    `,
  },
  {
    // The reports' summaries in an ordinary (rowid) table on SQLite. In a WITHOUT ROWID table each row
    // is a key of the table's b-tree, and a summary (about 1 KB for a busy doctor-day) spills into an
    // overflow page that SQLite reads whole at every key comparison of a lookup: a month of a
    // 200-doctor hospital took 5 times as long to read as in a rowid table, where the lookup runs on
    // the small (doctor_id, date) key and the summary is read once. Copied, not emptied (it is only a
    // cache, but a warm one). PostgreSQL keeps rows apart from its keys already: nothing to do there.
    version: 12,
    name: 'day summaries in a rowid table (SQLite)',
    sqlite: `
      CREATE TABLE IF NOT EXISTS day_summaries_rowid (
        doctor_id TEXT NOT NULL,
        date TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 0),
        format INTEGER NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (doctor_id, date)
      ) STRICT;
      INSERT OR IGNORE INTO day_summaries_rowid (doctor_id, date, version, format, summary)
        SELECT doctor_id, date, version, format, summary FROM day_summaries;
      DROP TABLE day_summaries;
      ALTER TABLE day_summaries_rowid RENAME TO day_summaries;
    `,
    postgres: `SELECT 1;`,
  },
  PATIENT_WORDS_WRITTEN_MIGRATION,
  PATIENT_WORDS_FILL_MIGRATION,
];

export const SCHEMA_MIGRATIONS_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** The steps not yet applied, in order. Versions above the known ones (a newer build ran) are left alone. */
export function pendingMigrations(applied: Iterable<number>): Migration[] {
  const done = new Set(applied);
  return MIGRATIONS.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
}
