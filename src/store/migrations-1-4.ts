// Steps 1 to 4 of the schema (see migrations.ts): the desk's tables (doctors, doctor-days, the event
// log, the slot and token projections, idempotency), the accounts and credentials, each event's
// actor, the doctor's room. Released steps: never edited.

import type { Migration } from './migrations.ts';

export const FIRST_MIGRATIONS: readonly Migration[] = [
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
];
