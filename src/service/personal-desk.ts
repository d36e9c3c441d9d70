// The service's side of personal data (SPEC 12): the patient key a new token carries, the row written
// with its events, the patient joined back into what staff read, and erasure.

import { foldId, newDaySecret, patientIdentity, patientKey, patientOf, personalRow, tokenIdsIn, withPatients, type Patient, type PersonalRow } from '../store/personal.ts';
import { matchedBy, type ErasedBefore, type ErasureMatch } from '../store/personal-repo.ts';
import type { DayKey, DoctorRecord, Store } from '../store/store.ts';
import { textProblem, type DoctorDay } from '../engine/index.ts';
import type { DeskCore } from './desk-core.ts';
import { rememberFact } from './day-work.ts';
import { normalizedPatient } from './issue-rules.ts';
import { toE164, type PhoneRegion } from './phone.ts';
import { firstDate, searchTerms } from './search.ts';
import { ServiceError, type ErasePatientInput, type RequestContext, type SearchFound, type SearchInput } from './types.ts';
import { tokenView } from './views.ts';

/** How many results a search gives at most (SPEC 10). */
export const SEARCH_LIMIT = 50;
/** Days of personal data kept after a doctor-day by default (OPD_RETENTION_DAYS). */
export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

/** A new token's personal data: the key the engine compares, and the row once the token has an id. */
export interface NewPatient {
  patientKey?: string;
  row(tokenId: string): PersonalRow;
}

/** How a token's patient reads: the patient, or null and `patientErased` once erased. */
export type PatientField = { patient: Patient | null; patientErased?: true };

export function patientField(row: PersonalRow | undefined): PatientField {
  return row === undefined ? { patient: null, patientErased: true } : { patient: patientOf(row) };
}

/** Past this many tokens in an answer, one query reads the whole doctor-day instead. */
const BY_TOKEN_MAX = 4;

export class PersonalDesk {
  /** Doctor-day → its secret. A secret never changes while the day can take tokens. */
  private readonly secrets = new Map<string, string>();
  private secretsSwept = '';

  private readonly store: Store;

  constructor(
    private readonly core: DeskCore,
    private readonly phoneRegion: PhoneRegion,
    /** Days a doctor-day's personal data is kept after it (OPD_RETENTION_DAYS). */
    private readonly retentionDays: number = DEFAULT_RETENTION_DAYS,
  ) {
    this.store = core.store;
  }

  /**
   * The personal data of a token about to be issued on `key`: the phone checked and written as
   * E.164 (a 400 at its field when it is no number), the patient key under the day's secret (made
   * with the day's first patient), and the row to write with the token's events.
   */
  async newPatient(key: DayKey, patient: Patient): Promise<NewPatient> {
    const { phoneE164 } = normalizedPatient(patient, this.phoneRegion);
    const identity = patientIdentity({ patientId: patient.id ?? null, phoneE164 });
    const out: NewPatient = { row: (tokenId) => personalRow({ tokenId, ...key }, patient, phoneE164) };
    if (identity !== null) out.patientKey = patientKey(identity, await this.secretOf(key));
    return out;
  }

  private async secretOf(key: DayKey): Promise<string> {
    const id = `${key.doctorId}\n${key.date}`;
    let secret = this.secrets.get(id);
    if (secret === undefined) {
      secret = await this.store.personal.daySecret(key, newDaySecret());
      rememberFact(this.secrets, id, secret);
    }
    return secret;
  }

  /**
   * Forgets the secrets of dates before `date` (today): a past day takes no new token, and the store
   * still holds its secret should one be asked for again. Cheap when called again on the same date.
   */
  forgetSecretsBefore(date: string): void {
    if (this.secretsSwept === date) return;
    this.secretsSwept = date;
    for (const id of this.secrets.keys()) if (id.slice(id.indexOf('\n') + 1) < date) this.secrets.delete(id);
  }

  /** One token's patient: the one function a feature that copies a patient (a transfer) needs. */
  async patientOfToken(tokenId: string): Promise<Patient | null> {
    const [row] = await this.store.personal.ofTokens([tokenId]);
    return row === undefined ? null : patientOf(row);
  }

  /**
   * `value` (a token, a list, a schedule…) with every token's patient joined back: rows already
   * `known` cost nothing, a whole doctor-day is one query, a few tokens one query by id.
   */
  async join<T>(value: T, day?: DayKey, known: readonly PersonalRow[] = []): Promise<T> {
    const ids = tokenIdsIn(value);
    if (ids.size === 0) return value;
    const rows = new Map<string, PersonalRow>(known.map((r) => [r.tokenId, r]));
    const missing = [...ids].filter((id) => !rows.has(id));
    if (missing.length > 0) {
      const read = day !== undefined && missing.length > BY_TOKEN_MAX ? await this.store.personal.ofDay(day) : await this.store.personal.ofTokens(missing);
      for (const r of read) rows.set(r.tokenId, r);
    }
    return withPatients(value, (id) => patientField(rows.get(id)));
  }

  // ---------------------------------------------------------------- search

  async search(input: SearchInput, scope: readonly string[] | 'all'): Promise<SearchFound[]> {
    const q = typeof input.q === 'string' ? input.q.trim() : '';
    if (q.length === 0 || [...q].length > 100) throw invalid('q', 'must be 1 to 100 characters');
    const days = input.days ?? 7;
    if (!Number.isInteger(days) || days < 1 || days > 31) throw invalid('days', 'must be a whole number from 1 to 31');
    const date = input.date ?? this.core.today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw invalid('date', 'must be a date YYYY-MM-DD');
    const hits = await this.store.personal.search({
      from: firstDate(date, days),
      to: date,
      doctorIds: scope === 'all' ? null : [...scope],
      ...searchTerms(q, this.phoneRegion),
      limit: SEARCH_LIMIT,
    });
    // Each doctor-day of the results is read once, all of them together (a PostgreSQL pool serves several).
    const reads = new Map<string, Promise<{ doctor: DoctorRecord; day: DoctorDay }>>();
    for (const hit of hits) {
      const id = `${hit.doctorId}\n${hit.date}`;
      if (!reads.has(id)) reads.set(id, this.core.owner(hit.doctorId).then(async (doctor) => ({ doctor, day: await this.core.readDay(hit, doctor) })));
    }
    const read = new Map(await Promise.all([...reads].map(async ([id, p]) => [id, await p] as const)));
    const found: SearchFound[] = [];
    for (const hit of hits) {
      const { doctor, day } = read.get(`${hit.doctorId}\n${hit.date}`)!;
      const token = day.tokens.get(hit.tokenId);
      // (A token committed after the read of its day is found by the next search.)
      if (token === undefined) continue;
      found.push({
        token: tokenView(day, token, this.core.tz),
        doctor: { id: doctor.id, name: doctor.name, code: doctor.code, department: doctor.department },
        date: hit.date,
      });
    }
    return this.join(found);
  }

  // ---------------------------------------------------------------- erasure

  /** One patient's personal data, erased at once by an admin, and recorded without the data. */
  async erasePatient(input: ErasePatientInput, ctx: RequestContext): Promise<{ erased: number }> {
    const given = (['phone', 'patientId', 'tokenId'] as const).filter((k) => input[k] !== undefined);
    if (given.length !== 1) throw invalid('', 'name exactly one of phone, patientId or tokenId');
    let match: ErasureMatch;
    if (input.phone !== undefined) {
      const phone = typeof input.phone === 'string' ? toE164(input.phone, this.phoneRegion) : null;
      if (phone === null) throw invalid('phone', 'is not a valid phone number');
      match = { phoneE164: phone };
    } else if (input.patientId !== undefined) {
      if (textProblem(input.patientId, 100) !== null) throw invalid('patientId', 'must be a patient id of 1 to 100 characters');
      match = { idFolded: foldId(input.patientId) };
    } else {
      const tokenId = input.tokenId!;
      await this.core.tokenDay(tokenId); // 404 for an unknown token
      match = { tokenId };
    }
    const record = { at: this.core.nowMs(), actor: ctx.actor, matchedBy: matchedBy(match), tokenId: 'tokenId' in match ? match.tokenId : null };
    // One transaction with its Idempotency-Key's record: a retry gets the first answer again.
    return this.core.onStore(ctx, async (tx) => ({ ok: true, value: { erased: (await tx.erasePersonal(match, record)).length } }));
  }

  /**
   * Retention: the personal rows and day secrets of doctor-days more than `retentionDays` before
   * today, and answers remembered for Idempotency-Keys as old. Safe to run on several servers at
   * once: each erases what is still there.
   */
  async eraseExpired(): Promise<ErasedBefore> {
    const now = this.core.nowMs();
    const erased = await this.store.personal.eraseBefore(firstDate(this.core.today(), this.retentionDays + 1), new Date(now - this.retentionDays * DAY_MS).toISOString());
    // Secrets of days that can take no token any more are of no use here either.
    if (erased.days > 0) this.secrets.clear();
    return erased;
  }
}

function invalid(field: string, message: string): ServiceError {
  const words = field === '' ? message : `${field} ${message}`;
  return new ServiceError('VALIDATION_FAILED', words.charAt(0).toUpperCase() + words.slice(1) + '.', {
    errors: [{ in: field === 'q' || field === 'date' || field === 'days' ? 'querystring' : 'body', path: field === '' ? '' : `/${field}`, message }],
  });
}
