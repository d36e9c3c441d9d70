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

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
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
