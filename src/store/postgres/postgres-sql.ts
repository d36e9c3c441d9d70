// The SQL of the PostgreSQL store: the statements a transaction prepares on its connection, and the
// only ways a value is ever written into statement text (as a literal).

import pg from 'pg';
import { INSERT_PERSONAL_SQL } from '../personal-repo.ts';
import { numbered } from './personal-repo.ts';

export interface Named {
  name: string;
  text: string;
}

/** A statement prepared once per connection under `name`. */
export function statement(name: string, text: string): Named {
  return { name: `opd_${name}`, text };
}

// ------------------------------------------------------------------ statements of a transaction
//
// A transaction talks to PostgreSQL in simple-protocol messages, each of which may carry several
// statements: one round trip for BEGIN, the locks, the doctor and the catch-up read; one for the
// writes and COMMIT. Values are written into the text as literals (literal(), integer(), the array
// helpers: nothing else ever goes into it), and the statements are prepared once per connection
// with PREPARE and run with EXECUTE, so PostgreSQL plans them once, as it does named statements.

/** PREPAREd on a connection before its first transaction, in this order. */
export const PREPARES = [
  'PREPARE opd_tx_lock_day (text, text) AS SELECT version FROM doctor_days WHERE doctor_id = $1 AND date = $2 FOR UPDATE',
  'PREPARE opd_tx_doctor (text) AS SELECT * FROM doctors WHERE id = $1',
  'PREPARE opd_tx_day_events (text, text, integer) AS SELECT payload FROM events WHERE doctor_id = $1 AND date = $2 AND position >= $3 ORDER BY position',
  // What a writer reads right after the day's lock, in one statement (one result, one row): the
  // doctor, and the day's events from a position as one JSON array (null when there are none).
  `PREPARE opd_tx_day_state (text, text, integer) AS
   SELECT (SELECT row_to_json(d) FROM doctors d WHERE d.id = $1) AS doctor,
          (SELECT json_agg(e.payload ORDER BY e.position) FROM events e WHERE e.doctor_id = $1 AND e.date = $2 AND e.position >= $3) AS events`,
  'PREPARE opd_tx_idempotency (text) AS SELECT * FROM idempotency WHERE key = $1',
  'PREPARE opd_tx_put_idempotency (text, text, text, text) AS INSERT INTO idempotency (key, request_hash, response, created_at) VALUES ($1, $2, $3, $4)',
  // A new token's personal data, with the booking's commit (planned once, not once per booking),
  // and its name's word starts for the search ($10, computed by nameWordStarts), in one statement:
  // the words in its WITH, so the row's insert trigger (migration 14), which runs at the end of the
  // statement, finds them and does nothing.
  `PREPARE opd_tx_put_patient (text, text, text, text, text, text, text, text, text, text[]) AS
   WITH words AS (INSERT INTO patient_words (suffix, date, token_id) SELECT w.suffix, $3, $1 FROM unnest($10) AS w (suffix))
   ${numbered(INSERT_PERSONAL_SQL)}`,
  // Data-modifying CTEs all run to completion against one snapshot; the foreign keys of the new
  // events and rows are checked at the end of the statement, when the doctor_days row exists. A slot
  // or token id that belongs to another doctor-day sets doctor_id to NULL, which fails the statement
  // (not null): the check must fail inside PostgreSQL, because the statement may travel with COMMIT.
  `PREPARE opd_tx_append (text, text, integer, text[], text[], bigint[], json, json, json, text, json) AS
   WITH day AS (
     INSERT INTO doctor_days AS d (doctor_id, date, version) VALUES ($1, $2, $3)
     ON CONFLICT (doctor_id, date) DO UPDATE SET version = d.version + excluded.version
     RETURNING version
   ), ev AS (
     INSERT INTO events (doctor_id, date, position, type, token_id, at, payload, actor_id, actor)
     SELECT $1, $2, (day.version - $3 + u.o - 1)::integer, u.type, u.token_id, u.at, p.payload, $10, $11
     FROM day, unnest($4, $5, $6) WITH ORDINALITY AS u (type, token_id, at, o)
     JOIN json_array_elements($7) WITH ORDINALITY AS p (payload, o) USING (o)
     ORDER BY u.o
     RETURNING seq, position
   ), slot AS (
     INSERT INTO slots AS s (id, doctor_id, date, start, "end", capacity, occupied)
     SELECT u.id, $1, $2, u.start, u."end", u.capacity, u.occupied
     FROM json_to_recordset($8) AS u (id text, start bigint, "end" bigint, capacity integer, occupied integer)
     ON CONFLICT (id) DO UPDATE SET doctor_id = CASE WHEN s.doctor_id = excluded.doctor_id AND s.date = excluded.date THEN s.doctor_id END,
       start = excluded.start, "end" = excluded."end", capacity = excluded.capacity, occupied = excluded.occupied
     RETURNING 1
   ), token AS (
     INSERT INTO tokens AS t (id, doctor_id, date, number, slot_id, source, status, issued_at, bumps, skips)
     SELECT u.id, $1, $2, u.number, u."slotId", u.source, u.status, u."issuedAt", u.bumps, u.skips
     FROM json_to_recordset($9) AS u (id text, number text, "slotId" text, source text, status text, "issuedAt" bigint,
       bumps integer, skips integer)
     ON CONFLICT (id) DO UPDATE SET doctor_id = CASE WHEN t.doctor_id = excluded.doctor_id AND t.date = excluded.date THEN t.doctor_id END,
       number = excluded.number, slot_id = excluded.slot_id, source = excluded.source, status = excluded.status,
       issued_at = excluded.issued_at, bumps = excluded.bumps, skips = excluded.skips
     RETURNING 1
   )
   SELECT (SELECT json_agg(seq ORDER BY position) FROM ev) AS seqs,
          (SELECT count(*) FROM slot)::integer AS slots,
          (SELECT count(*) FROM token)::integer AS tokens`,
].join(';\n');

/** A string as an SQL string constant (pg's own escaping: quotes doubled, E'…' when there are backslashes). */
export function literal(value: string): string {
  // The message is a C string on the server: a NUL would cut it short. Text columns cannot hold one anyway.
  if (value.includes('\0')) throw new Error('PostgreSQL text cannot hold a NUL character');
  return pg.escapeLiteral(value);
}

export function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

/** A string constant, or NULL. */
export function nullableLiteral(value: string | null): string {
  return value === null ? 'NULL' : literal(value);
}

/** An SQL array literal of text (NULL for null), as a string constant. */
export function textArray(values: readonly (string | null)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    text += (i > 0 ? ',' : '') + (v === null || v === undefined ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`);
  }
  return literal(`${text}}`);
}

export function integerArray(values: readonly number[]): string {
  return `'{${values.map(integer).join(',')}}'`;
}

/** A position past any doctor-day's last event (position is an integer column). */
export const NO_EVENTS = 2 ** 31 - 1;
