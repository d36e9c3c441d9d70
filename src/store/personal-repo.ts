// Where personal data is read, searched and erased (SPEC 12), on either store. Written with a
// token's events through `Transaction.putPersonalAtCommit`; everything else is here.

import type { PersonalRow } from './patient.ts';
import { prefixEnd } from './patient-words.ts';
import type { DayKey, EventActor } from './store.ts';

/** Whose personal data an admin erases: every token of one phone, one patient id, or one token's patient. */
export type ErasureMatch = { phoneE164: string } | { idFolded: string } | { tokenId: string };

/** The audit record of an erasure: who and when, how it matched, how many tokens; never the phone or id. */
export interface ErasureRecord {
  at: number;
  actor: EventActor;
  matchedBy: 'phone' | 'patientId' | 'tokenId';
  /** The token named, when the erasure named one (a token id is no personal data). */
  tokenId: string | null;
}

export function matchedBy(match: ErasureMatch): ErasureRecord['matchedBy'] {
  return 'phoneE164' in match ? 'phone' : 'idFolded' in match ? 'patientId' : 'tokenId';
}

export const INSERT_ERASURE_SQL = 'INSERT INTO erasures (at, actor_id, actor, matched_by, token_id, tokens) VALUES (?, ?, ?, ?, ?, ?)';

/** What a search looks for (each given field is one way to match; a token matching any is found). */
export interface PersonalSearch {
  /** Dates from `from` to `to`, both included (YYYY-MM-DD). */
  from: string;
  to: string;
  /** Only these doctors' tokens; null: every doctor. */
  doctorIds: string[] | null;
  /** A token number as printed (`GM-007`). */
  number?: string;
  /** Folded, a prefix of any word of the folded name. */
  namePrefix?: string;
  phoneE164?: string;
  idFolded?: string;
  limit: number;
}

export interface SearchHit extends DayKey {
  tokenId: string;
  issuedAt: number;
  /** Found by its number. */
  byNumber: boolean;
}

export interface ErasedBefore {
  /** Tokens whose personal data was erased. */
  tokens: number;
  /** Day secrets erased. */
  days: number;
  /** Remembered answers (Idempotency-Keys) erased. */
  answers: number;
}

export interface PersonalRepository {
  /** The doctor-day's secret; `candidate` becomes it if the day has none yet (the first writer's wins). */
  daySecret(key: DayKey, candidate: string): Promise<string>;
  /** Every personal row of a doctor-day: one query for a whole schedule. */
  ofDay(key: DayKey): Promise<PersonalRow[]>;
  ofTokens(tokenIds: readonly string[]): Promise<PersonalRow[]>;
  /**
   * Retention: erases the personal rows and day secrets of the doctor-days before `date`, and the
   * answers remembered for Idempotency-Keys created before `createdBefore` (ISO 8601).
   */
  eraseBefore(date: string, createdBefore: string): Promise<ErasedBefore>;
  /** Tokens found by number, name prefix, phone or id: number matches first, then newer dates, then issue time. */
  search(q: PersonalSearch): Promise<SearchHit[]>;
}

/**
 * The SQL of a search, shared by both stores: `?` placeholders, the arguments in order. Each way of
 * matching is its own indexed lookup (a number by (number, date), a name prefix by its words' starts,
 * a phone, an id); the union is then ordered.
 */
export function searchSql(q: PersonalSearch): { sql: string; args: unknown[] } {
  const args: unknown[] = [];
  const ways: string[] = [];
  const days = 'date >= ? AND date <= ?';
  if (q.number !== undefined) {
    ways.push(`SELECT id AS token_id FROM tokens WHERE number = ? AND ${days}`);
    args.push(q.number, q.from, q.to);
  }
  if (q.namePrefix !== undefined) {
    // The start of a word of the name: one range of patient_words (migration 9), which holds each
    // name from the start of each of its words on.
    const end = prefixEnd(q.namePrefix);
    ways.push(`SELECT token_id FROM patient_words WHERE suffix >= ?${end === null ? '' : ' AND suffix < ?'} AND ${days}`);
    args.push(q.namePrefix, ...(end === null ? [] : [end]), q.from, q.to);
  }
  if (q.phoneE164 !== undefined) {
    ways.push(`SELECT token_id FROM patients WHERE phone_e164 = ? AND ${days}`);
    args.push(q.phoneE164, q.from, q.to);
  }
  if (q.idFolded !== undefined) {
    ways.push(`SELECT token_id FROM patients WHERE id_folded = ? AND ${days}`);
    args.push(q.idFolded, q.from, q.to);
  }
  if (ways.length === 0) ways.push('SELECT NULL AS token_id WHERE 1 = 0');
  const byNumber = q.number === undefined ? '0' : 'CASE WHEN t.number = ? THEN 1 ELSE 0 END';
  const head: unknown[] = q.number === undefined ? [] : [q.number];
  const doctors = q.doctorIds === null ? '' : `WHERE t.doctor_id IN (${q.doctorIds.map(() => '?').join(', ') || 'NULL'})`;
  const sql = `SELECT t.id, t.doctor_id, t.date, t.issued_at, ${byNumber} AS by_number
    FROM (${ways.join(' UNION ')}) m JOIN tokens t ON t.id = m.token_id ${doctors}
    ORDER BY by_number DESC, t.date DESC, t.issued_at, t.id LIMIT ?`;
  return { sql, args: [...head, ...args, ...(q.doctorIds ?? []), q.limit] };
}

export interface HitColumns {
  id: string;
  doctor_id: string;
  date: string;
  issued_at: number | string;
  by_number: number | string;
}

export function toHit(r: HitColumns): SearchHit {
  return { tokenId: r.id, doctorId: r.doctor_id, date: r.date, issuedAt: Number(r.issued_at), byNumber: Number(r.by_number) === 1 };
}

export interface PersonalColumns {
  token_id: string;
  doctor_id: string;
  date: string;
  name: string;
  phone: string | null;
  phone_e164: string | null;
  patient_id: string | null;
  name_folded: string;
  id_folded: string | null;
}

export function toPersonal(r: PersonalColumns): PersonalRow {
  return {
    tokenId: r.token_id,
    doctorId: r.doctor_id,
    date: r.date,
    name: r.name,
    phone: r.phone,
    phoneE164: r.phone_e164,
    patientId: r.patient_id,
    nameFolded: r.name_folded,
    idFolded: r.id_folded,
  };
}

export function personalArgs(r: PersonalRow): (string | null)[] {
  return [r.tokenId, r.doctorId, r.date, r.name, r.phone, r.phoneE164, r.patientId, r.nameFolded, r.idFolded];
}

export const INSERT_PERSONAL_SQL = `INSERT INTO patients (token_id, doctor_id, date, name, phone, phone_e164, patient_id, name_folded, id_folded)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The rows one erasure removes: the token's own, and every row of the same patient id or phone. */
export function erasureWhere(match: ErasureMatch): { where: string; args: string[] } {
  if ('phoneE164' in match) return { where: 'phone_e164 = ?', args: [match.phoneE164] };
  if ('idFolded' in match) return { where: 'id_folded = ?', args: [match.idFolded] };
  return {
    where: `token_id = ?
      OR id_folded = (SELECT id_folded FROM patients WHERE token_id = ?)
      OR (phone_e164 = (SELECT phone_e164 FROM patients WHERE token_id = ?) AND (SELECT id_folded FROM patients WHERE token_id = ?) IS NULL)`,
    args: [match.tokenId, match.tokenId, match.tokenId, match.tokenId],
  };
}
