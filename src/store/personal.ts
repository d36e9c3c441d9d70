// Personal data (SPEC 12): a patient's name, phone and hospital id, kept in their own table beside
// the event log, one row per token, so they can be erased while the log, replays and statistics stay
// whole. The log and the engine carry only the patient key: a keyed hash (HMAC-SHA256) of the
// patient's id, else phone, under a random secret of the doctor-day. The secret is erased with the
// day's personal data; after that, the keys in the log link to nobody.

import { createHmac, randomBytes } from 'node:crypto';

import type { Patient, PersonalRow } from './patient.ts';

export type { Patient, PersonalRow };

/** A name for prefix search: lower case, Latin accents stripped (NFD, combining marks dropped), NFC. */
export function foldName(name: string): string {
  // Devanagari vowel signs and viramas are combining marks too: dropping them would make "राम" match
  // "रम", so only marks following a Latin, Greek or Cyrillic letter are dropped.
  return name
    .normalize('NFD')
    .replace(/(\p{Script=Latin}|\p{Script=Greek}|\p{Script=Cyrillic})\p{M}+/gu, '$1')
    .normalize('NFC')
    .toLowerCase()
    .trim()
    .replace(/\s+/gu, ' ');
}

/** A hospital patient id as compared: trimmed, lower case (SPEC 7). */
export function foldId(id: string): string {
  return id.trim().toLowerCase();
}

/** Who a patient is for duplicates (SPEC 7), in the clear: `id:<folded id>`, else `phone:<E.164>`; null: nobody. */
export function patientIdentity(p: { patientId?: string | null; phoneE164?: string | null }): string | null {
  const id = p.patientId ? foldId(p.patientId) : '';
  if (id) return `id:${id}`;
  if (p.phoneE164) return `phone:${p.phoneE164}`;
  return null;
}

/** The patient key the log and the engine carry: HMAC-SHA256 of the identity under the day's secret, base64url. */
export function patientKey(identity: string, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(identity, 'utf8').digest('base64url');
}

/** A new secret for a doctor-day: 256 random bits, base64url. */
export function newDaySecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The row to store for a token's patient (`phoneE164`: the phone already checked and written as E.164). */
export function personalRow(key: { tokenId: string; doctorId: string; date: string }, patient: Patient, phoneE164: string | null): PersonalRow {
  const patientId = patient.id ?? null;
  return {
    ...key,
    name: patient.name,
    phone: patient.phone ?? null,
    phoneE164,
    patientId,
    nameFolded: foldName(patient.name),
    idFolded: patientId === null ? null : foldId(patientId),
  };
}

/** The patient as staff see it: the phone as E.164 (one writing for one number). */
export function patientOf(row: PersonalRow): Patient {
  const p: Patient = { name: row.name };
  if (row.patientId !== null) p.id = row.patientId;
  if (row.phoneE164 !== null) p.phone = row.phoneE164;
  return p;
}

/** Whether a JSON value is a token view (the objects that carry `patient` in answers). */
function isTokenView(v: Record<string, unknown>): boolean {
  return typeof v.id === 'string' && typeof v.number === 'string' && typeof v.doctorId === 'string' && typeof v.status === 'string';
}

/**
 * An answer without personal data, to be remembered for an Idempotency-Key: every token view in it
 * loses `patient` (and `patientErased`). `withPatients` puts them back when the answer is replayed.
 */
export function withoutPatients<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutPatients(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  const token = isTokenView(value as Record<string, unknown>);
  for (const [k, v] of Object.entries(value)) {
    if (token && (k === 'patient' || k === 'patientErased')) continue;
    out[k] = withoutPatients(v);
  }
  return out as T;
}

/** The ids of the token views in an answer stripped by `withoutPatients`. */
export function tokenIdsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) tokenIdsIn(v, into);
  else if (typeof value === 'object' && value !== null) {
    if (isTokenView(value as Record<string, unknown>)) into.add((value as { id: string }).id);
    for (const v of Object.values(value)) tokenIdsIn(v, into);
  }
  return into;
}

/** The answer with each token view's patient joined back (key order as the views have it: after `status`). */
export function withPatients<T>(value: T, personal: (tokenId: string) => { patient: Patient | null; patientErased?: true }): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withPatients(v, personal)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const token = isTokenView(value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (token && (k === 'patient' || k === 'patientErased')) continue;
    out[k] = withPatients(v, personal);
    if (token && k === 'status') Object.assign(out, personal((value as unknown as { id: string }).id));
  }
  return out as T;
}
