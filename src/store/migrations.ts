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
import { PATIENT_WORDS_WRITTEN_MIGRATION } from './patient-words-written.ts';
import { movePersonalData } from './personal-upgrade.ts';

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
  {
    version: 1,
    name: 'doctors, doctor-days, event log, slot and token projections, idempotency',
    sqlite: `
      CREATE TABLE IF NOT EXISTS doctors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        department TEXT NOT NULL,
        code TEXT NOT NULL UNIQUE,
        policy TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS doctor_days (
        doctor_id TEXT NOT NULL REFERENCES doctors (id),
        date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
        PRIMARY KEY (doctor_id, date)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doctor_id TEXT NOT NULL,
        date TEXT NOT NULL,
        position INTEGER NOT NULL,
        type TEXT NOT NULL,
        token_id TEXT,
        at INTEGER NOT NULL,
        payload TEXT NOT NULL,
        FOREIGN KEY (doctor_id, date) REFERENCES doctor_days (doctor_id, date)
      ) STRICT;
      CREATE UNIQUE INDEX IF NOT EXISTS events_day_position ON events (doctor_id, date, position);
      CREATE INDEX IF NOT EXISTS events_token ON events (token_id) WHERE token_id IS NOT NULL;
      CREATE TABLE IF NOT EXISTS slots (
        id TEXT PRIMARY KEY,
        doctor_id TEXT NOT NULL,
        date TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        capacity INTEGER NOT NULL,
        occupied INTEGER NOT NULL,
        FOREIGN KEY (doctor_id, date) REFERENCES doctor_days (doctor_id, date)
      ) STRICT;
      CREATE INDEX IF NOT EXISTS slots_end ON slots ("end");
      CREATE TABLE IF NOT EXISTS tokens (
        id TEXT PRIMARY KEY,
        doctor_id TEXT NOT NULL,
        date TEXT NOT NULL,
        number TEXT NOT NULL,
        slot_id TEXT,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        patient TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        bumps INTEGER NOT NULL,
        skips INTEGER NOT NULL,
        FOREIGN KEY (doctor_id, date) REFERENCES doctor_days (doctor_id, date)
      ) STRICT;
      CREATE TABLE IF NOT EXISTS idempotency (
        key TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS doctors (
        id text PRIMARY KEY,
        name text NOT NULL,
        department text NOT NULL,
        code text NOT NULL CONSTRAINT doctors_code_key UNIQUE,
        policy json NOT NULL,
        created_at text NOT NULL
      );
      CREATE TABLE IF NOT EXISTS doctor_days (
        doctor_id text NOT NULL REFERENCES doctors (id),
        date text NOT NULL CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
        version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
        PRIMARY KEY (doctor_id, date)
      );
      CREATE TABLE IF NOT EXISTS events (
        seq bigserial PRIMARY KEY,
        doctor_id text NOT NULL,
        date text NOT NULL,
        position integer NOT NULL,
        type text NOT NULL,
        token_id text,
        at bigint NOT NULL,
        payload json NOT NULL,
        FOREIGN KEY (doctor_id, date) REFERENCES doctor_days (doctor_id, date)
      );
      CREATE UNIQUE INDEX IF NOT EXISTS events_day_position ON events (doctor_id, date, position);
      CREATE INDEX IF NOT EXISTS events_token ON events (token_id) WHERE token_id IS NOT NULL;
      CREATE TABLE IF NOT EXISTS slots (
        id text PRIMARY KEY,
        doctor_id text NOT NULL,
        date text NOT NULL,
        start bigint NOT NULL,
        "end" bigint NOT NULL,
        capacity integer NOT NULL,
        occupied integer NOT NULL,
        FOREIGN KEY (doctor_id, date) REFERENCES doctor_days (doctor_id, date)
      );
      CREATE INDEX IF NOT EXISTS slots_end ON slots ("end");
      CREATE TABLE IF NOT EXISTS tokens (
        id text PRIMARY KEY,
        doctor_id text NOT NULL,
        date text NOT NULL,
        number text NOT NULL,
        slot_id text,
        source text NOT NULL,
        status text NOT NULL,
        patient json NOT NULL,
        issued_at bigint NOT NULL,
        bumps integer NOT NULL,
        skips integer NOT NULL,
        FOREIGN KEY (doctor_id, date) REFERENCES doctor_days (doctor_id, date)
      );
      CREATE TABLE IF NOT EXISTS idempotency (
        key text PRIMARY KEY,
        request_hash text NOT NULL,
        response text NOT NULL,
        created_at text NOT NULL
      );
    `,
  },
  {
    // Staff accounts and the credentials that resolve to an identity (src/access/). Secrets are stored
    // only hashed; `username_key` is the lower-cased username, computed by the repository so both
    // databases compare case the same way. `doctor_ids` is a JSON array as text, NULL for all doctors.
    version: 2,
    name: 'accounts, sessions, API keys, display links, set-up codes',
    sqlite: `
      CREATE TABLE IF NOT EXISTS accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'desk', 'doctor', 'display')),
        doctor_ids TEXT,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS sessions (
        secret_hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        user_agent TEXT,
        address TEXT
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
      CREATE INDEX IF NOT EXISTS sessions_last_seen ON sessions (last_seen_at);
      CREATE TABLE IF NOT EXISTS api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'desk', 'doctor', 'display')),
        doctor_ids TEXT,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE TABLE IF NOT EXISTS display_links (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        doctor_ids TEXT,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      CREATE TABLE IF NOT EXISTS setup_codes (
        code_hash TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT, WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS accounts (
        id text PRIMARY KEY,
        username text NOT NULL,
        username_key text NOT NULL CONSTRAINT accounts_username_key_key UNIQUE,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'desk', 'doctor', 'display')),
        doctor_ids text,
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE IF NOT EXISTS sessions (
        secret_hash text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        created_at bigint NOT NULL,
        last_seen_at bigint NOT NULL,
        user_agent text,
        address text
      );
      CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
      CREATE INDEX IF NOT EXISTS sessions_last_seen ON sessions (last_seen_at);
      CREATE TABLE IF NOT EXISTS api_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'desk', 'doctor', 'display')),
        doctor_ids text,
        secret_hash text NOT NULL CONSTRAINT api_keys_secret_hash_key UNIQUE,
        created_at bigint NOT NULL,
        last_used_at bigint,
        revoked_at bigint
      );
      CREATE TABLE IF NOT EXISTS display_links (
        id text PRIMARY KEY,
        name text NOT NULL,
        doctor_ids text,
        secret_hash text NOT NULL CONSTRAINT display_links_secret_hash_key UNIQUE,
        created_at bigint NOT NULL,
        revoked_at bigint
      );
      CREATE TABLE IF NOT EXISTS setup_codes (
        code_hash text PRIMARY KEY,
        expires_at bigint NOT NULL,
        used_at bigint
      );
    `,
  },
  {
    // Who caused each event (a person's account, an API key, or the system's clock), kept beside the
    // engine's event, never inside it: `actor` is the JSON {kind, id, name, role}, `actor_id` its id,
    // indexed with the event's time so one actor's events of a day are one range read (the audit).
    // NULL for the events written before this step. SQLite's ADD COLUMN has no IF NOT EXISTS: this
    // step relies on its record in schema_migrations, written in the same transaction.
    version: 3,
    name: 'the actor of each event, and an index of one actor\'s events by time',
    sqlite: `
      ALTER TABLE events ADD COLUMN actor_id TEXT;
      ALTER TABLE events ADD COLUMN actor TEXT;
      CREATE INDEX IF NOT EXISTS events_actor_at ON events (actor_id, at) WHERE actor_id IS NOT NULL;
    `,
    postgres: `
      ALTER TABLE events ADD COLUMN IF NOT EXISTS actor_id text, ADD COLUMN IF NOT EXISTS actor json;
      CREATE INDEX IF NOT EXISTS events_actor_at ON events (actor_id, at) WHERE actor_id IS NOT NULL;
    `,
  },
  {
    // The room where a doctor sees patients ("Room 3", "OPD Block B-12"), shown on the board, the slip
    // and the patient's page. NULL when none was given. SQLite's ADD COLUMN relies on the step's record.
    version: 4,
    name: "the doctor's room",
    sqlite: `
      ALTER TABLE doctors ADD COLUMN room TEXT;
    `,
    postgres: `
      ALTER TABLE doctors ADD COLUMN IF NOT EXISTS room text;
    `,
  },
  {
    // Personal data apart from the log (SPEC 12): one row per token in `patients` (with folded forms
    // for search), and the random secret of each doctor-day under which the log's patient keys are
    // made; `erasures` records each erasure an admin made (who, when, how matched, how many tokens:
    // never the phone or id it matched). The data step moves the patients of older databases out of the TokenIssued payloads and
    // the tokens table (which then loses its column).
    version: 5,
    name: 'personal data apart: patients, day secrets; patients moved out of the log and the tokens table',
    sqlite: `
      CREATE TABLE IF NOT EXISTS patients (
        token_id TEXT PRIMARY KEY,
        doctor_id TEXT NOT NULL,
        date TEXT NOT NULL,
        name TEXT NOT NULL,
        phone TEXT,
        phone_e164 TEXT,
        patient_id TEXT,
        name_folded TEXT NOT NULL,
        id_folded TEXT
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS patients_day ON patients (date, doctor_id);
      CREATE INDEX IF NOT EXISTS patients_name ON patients (date, name_folded);
      CREATE INDEX IF NOT EXISTS patients_phone ON patients (phone_e164, date) WHERE phone_e164 IS NOT NULL;
      CREATE INDEX IF NOT EXISTS patients_id ON patients (id_folded, date) WHERE id_folded IS NOT NULL;
      CREATE TABLE IF NOT EXISTS day_secrets (
        doctor_id TEXT NOT NULL,
        date TEXT NOT NULL,
        secret TEXT NOT NULL,
        PRIMARY KEY (doctor_id, date)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS day_secrets_date ON day_secrets (date);
      CREATE INDEX IF NOT EXISTS tokens_number ON tokens (number, date);
      CREATE TABLE IF NOT EXISTS erasures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        matched_by TEXT NOT NULL CHECK (matched_by IN ('phone', 'patientId', 'tokenId')),
        token_id TEXT,
        tokens INTEGER NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS patients (
        token_id text PRIMARY KEY,
        doctor_id text NOT NULL,
        date text NOT NULL,
        name text NOT NULL,
        phone text,
        phone_e164 text,
        patient_id text,
        name_folded text NOT NULL,
        id_folded text
      );
      CREATE INDEX IF NOT EXISTS patients_day ON patients (date, doctor_id);
      CREATE INDEX IF NOT EXISTS patients_name ON patients (date, name_folded text_pattern_ops);
      CREATE INDEX IF NOT EXISTS patients_phone ON patients (phone_e164, date) WHERE phone_e164 IS NOT NULL;
      CREATE INDEX IF NOT EXISTS patients_id ON patients (id_folded, date) WHERE id_folded IS NOT NULL;
      CREATE TABLE IF NOT EXISTS day_secrets (
        doctor_id text NOT NULL,
        date text NOT NULL,
        secret text NOT NULL,
        PRIMARY KEY (doctor_id, date)
      );
      CREATE INDEX IF NOT EXISTS day_secrets_date ON day_secrets (date);
      CREATE INDEX IF NOT EXISTS tokens_number ON tokens (number, date);
      CREATE TABLE IF NOT EXISTS erasures (
        id bigserial PRIMARY KEY,
        at bigint NOT NULL,
        actor_id text NOT NULL,
        actor json NOT NULL,
        matched_by text NOT NULL CHECK (matched_by IN ('phone', 'patientId', 'tokenId')),
        token_id text,
        tokens integer NOT NULL
      );
    `,
    data: movePersonalData,
  },
  {
    // The weekly rota (a doctor's OPD sessions by weekday, kept as one JSON array per doctor), the
    // doctor-days made from it (written under the day's lock with the slots, so a day is made once
    // however many servers try; `slots` lists the slots it made, {id, capacity}, as JSON), and the
    // dates closed by leave (one doctor) or a holiday (`doctor_id` '*': every doctor), with a reason.
    version: 6,
    name: 'weekly rota, doctor-days made from it, leave and holidays',
    sqlite: `
      CREATE TABLE IF NOT EXISTS rotas (
        doctor_id TEXT PRIMARY KEY REFERENCES doctors (id),
        sessions TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS rota_days (
        doctor_id TEXT NOT NULL,
        date TEXT NOT NULL,
        slots TEXT NOT NULL,
        generated_at INTEGER NOT NULL,
        PRIMARY KEY (doctor_id, date),
        FOREIGN KEY (doctor_id, date) REFERENCES doctor_days (doctor_id, date)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS closed_dates (
        date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        doctor_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (date, doctor_id)
      ) STRICT, WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS rotas (
        doctor_id text PRIMARY KEY REFERENCES doctors (id),
        sessions text NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE IF NOT EXISTS rota_days (
        doctor_id text NOT NULL,
        date text NOT NULL,
        slots text NOT NULL,
        generated_at bigint NOT NULL,
        PRIMARY KEY (doctor_id, date),
        FOREIGN KEY (doctor_id, date) REFERENCES doctor_days (doctor_id, date)
      );
      CREATE TABLE IF NOT EXISTS closed_dates (
        date text NOT NULL CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
        doctor_id text NOT NULL,
        reason text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (date, doctor_id)
      );
    `,
  },
  {
    // The reports' cache (src/reports/, src/store/summary-repo.ts): one summary per doctor-day, computed
    // from its event log and stamped with the day's version and the summary's format; rebuilt from the
    // log whenever either differs, so it can be emptied at any time. No foreign key: a summary row is
    // never the only copy of anything. doctor_days by date: a report reads a range of dates.
    version: 7,
    name: 'day summaries for the reports, and doctor-days by date',
    sqlite: `
      CREATE TABLE IF NOT EXISTS day_summaries (
        doctor_id TEXT NOT NULL,
        date TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 0),
        format INTEGER NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (doctor_id, date)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS doctor_days_date ON doctor_days (date);
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS day_summaries (
        doctor_id text NOT NULL,
        date text NOT NULL,
        version integer NOT NULL CHECK (version >= 0),
        format integer NOT NULL,
        summary text NOT NULL,
        PRIMARY KEY (doctor_id, date)
      );
      CREATE INDEX IF NOT EXISTS doctor_days_date ON doctor_days (date);
    `,
  },
  {
    // The hospital's settings, one row per key (src/store/settings-repo.ts): the secret that signs
    // the patients' page codes (made once, on first use, by whichever server gets there first) and
    // the slip's print layout, chosen in the admin view. Values are text; the service parses them.
    version: 8,
    name: 'hospital settings: the public code secret, the slip layout',
    sqlite: `
      CREATE TABLE IF NOT EXISTS settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS settings (
        key text PRIMARY KEY,
        value text NOT NULL,
        updated_at bigint NOT NULL
      );
    `,
  },
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
