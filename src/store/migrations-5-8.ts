// Steps 5 to 8 of the schema (see migrations.ts): personal data apart from the log, the weekly rota
// and its doctor-days, the reports' day summaries, the hospital's settings. Released steps: never edited.

import type { Migration } from './migrations.ts';
import { movePersonalData } from './personal-upgrade.ts';

export const SECOND_MIGRATIONS: readonly Migration[] = [
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
];
