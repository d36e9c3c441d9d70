// The patient of a token: the one place the service asks for it. Today the engine keeps the patient
// on the token; when patients move to a table of their own, only this function changes.

import type { DoctorDay, Patient } from '../engine/index.ts';

/** The patient of token `tokenId` of `day` (a token the day holds), for a change that needs it again (a transfer). */
export function patientOfToken(day: DoctorDay, tokenId: string): Patient {
  const token = day.tokens.get(tokenId);
  if (!token) throw new Error(`no token ${tokenId} in the doctor-day of ${day.doctorId} on ${day.date}`);
  return token.patient;
}
