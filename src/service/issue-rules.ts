// What the desk checks and says around issuing a token, beside the engine: the patient's phone as
// one E.164 number (SPEC 7), and NO_OPEN_SLOT in the desk's words (SPEC 4).

import { NAME_MAX, PATIENT_ID_MAX, textProblem } from '../engine/index.ts';
import type { Patient } from '../store/personal.ts';
import type { DoctorRecord } from '../store/store.ts';
import { toE164, type PhoneRegion } from './phone.ts';
import { ServiceError } from './types.ts';

/**
 * The patient checked as the desk takes it, and the phone as E.164 (so every writing of one number is
 * one patient, and search finds it however it is typed). A name or id that is no acceptable text, or
 * a phone that is no valid number, is a 400 named at its field, and nothing changes.
 */
export function normalizedPatient(patient: Patient, region: PhoneRegion): { phoneE164: string | null } {
  checkText('/patient/name', 'patient.name', patient.name, NAME_MAX);
  if (patient.id !== undefined) checkText('/patient/id', 'patient.id', patient.id, PATIENT_ID_MAX);
  if (patient.phone === undefined) return { phoneE164: null };
  const phone = typeof patient.phone === 'string' ? toE164(patient.phone, region) : null;
  if (phone === null) {
    const message = 'is not a valid phone number';
    throw new ServiceError('VALIDATION_FAILED', `The phone number ${String(patient.phone)} is not a valid number: check the digits.`, {
      errors: [{ in: 'body', path: '/patient/phone', message }],
    });
  }
  return { phoneE164: phone };
}

function checkText(path: string, field: string, value: unknown, max: number): void {
  const why = textProblem(value, max);
  if (why !== null) throw new ServiceError('VALIDATION_FAILED', `${field} ${why}`, { errors: [{ in: 'body', path, message: why }] });
}

const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "2 Dec" for 2026-12-02: the hospital-local date as the desk says it. */
export function deskDate(date: string): string {
  return DAY_MONTH.format(new Date(`${date}T00:00:00Z`));
}

/** NO_OPEN_SLOT (SPEC 4): "Dr. Rao has no OPD left on 2 Dec", or "… has no OPD on 2 Dec" when there was none. */
export function noOpdLeft(doctor: Pick<DoctorRecord, 'name'>, date: string, hadSlots: boolean): ServiceError {
  return new ServiceError('NO_OPEN_SLOT', `${doctor.name} has no OPD ${hadSlots ? 'left ' : ''}on ${deskDate(date)}.`, { date });
}
