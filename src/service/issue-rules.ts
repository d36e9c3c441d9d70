// What the desk checks and says around issuing a token, beside the engine: the patient's phone as
// one E.164 number (SPEC 7), and NO_OPEN_SLOT in the desk's words (SPEC 4).

import type { Patient } from '../engine/index.ts';
import type { DoctorRecord } from '../store/store.ts';
import { toE164, type PhoneRegion } from './phone.ts';
import { ServiceError } from './types.ts';

/**
 * The patient as the engine gets it: the phone written as E.164 (so every writing of one number is
 * one patient, and search finds it however it is typed). A phone that is no valid number is a 400,
 * named at its field, and nothing changes.
 */
export function normalizedPatient(patient: Patient, region: PhoneRegion): Patient {
  if (patient.phone === undefined) return patient;
  const phone = toE164(patient.phone, region);
  if (phone === null) {
    const message = 'is not a valid phone number';
    throw new ServiceError('VALIDATION_FAILED', `The phone number ${patient.phone} is not a valid number: check the digits.`, {
      errors: [{ in: 'body', path: '/patient/phone', message }],
    });
  }
  return { ...patient, phone };
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
