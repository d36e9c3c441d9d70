// The service's side of personal data (SPEC 12): the patient key a new token carries, the row written
// with its events, the patient joined back into what staff read, and erasure.

import { patientIdentity, patientKey, patientOf, personalRow, tokenIdsIn, withPatients, newDaySecret, type Patient, type PersonalRow } from '../store/personal.ts';
import type { DayKey, Store } from '../store/store.ts';
import { rememberFact } from './day-work.ts';
import { normalizedPatient } from './issue-rules.ts';
import type { PhoneRegion } from './phone.ts';

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

  constructor(
    private readonly store: Store,
    private readonly phoneRegion: PhoneRegion,
  ) {}

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
}
