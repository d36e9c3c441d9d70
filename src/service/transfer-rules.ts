// What the desk says when a transfer (SPEC 7) is refused: the engine's refusal in the words of a
// front desk ("GM-007 was already seen", "Dr. Rao has no OPD left on 2 Dec").

import type { Token as EngineToken, TransferOutcome } from '../engine/index.ts';
import type { DoctorRecord } from '../store/store.ts';
import { deskDate, noOpdLeft } from './issue-rules.ts';
import { ServiceError } from './types.ts';

/** Why a token that is not waiting, booked or checked in cannot move, said for staff. */
function whyNot(t: EngineToken): string {
  switch (t.status) {
    case 'CALLED':
      return 'the doctor has already called the patient';
    case 'COMPLETED':
      return 'the patient was already seen';
    case 'CANCELLED':
      return t.transferredTo ? `it was already moved to ${t.transferredTo.number}` : 'it was cancelled';
    case 'NO_SHOW':
      return 'the patient was marked as not come';
    default:
      return 'it has expired';
  }
}

/** The same doctor on the same day is no transfer: the desk is told to choose another doctor or day. */
export function sameDoctorDay(doctor: Pick<DoctorRecord, 'name'>, date: string): ServiceError {
  return new ServiceError('VALIDATION_FAILED', `The token is already with ${doctor.name} on ${deskDate(date)}: choose another doctor or another day.`, {
    errors: [{ in: 'body', path: '/doctorId', message: `is the token's own doctor on ${deskDate(date)}` }],
  });
}

/** A refused transfer as a ServiceError in the desk's words. */
export function transferRefusal(
  out: Extract<TransferOutcome, { ok: false }>,
  old: EngineToken,
  to: { doctor: Pick<DoctorRecord, 'name'>; date: string; hadSlots: boolean; number: (tokenId: string) => string | undefined },
): ServiceError {
  const when = deskDate(to.date);
  switch (out.code) {
    case 'INVALID_TRANSITION':
      return new ServiceError('INVALID_TRANSITION', `${old.label} cannot be transferred: ${whyNot(old)}.`, { tokenId: old.id });
    case 'NO_OPEN_SLOT':
      return noOpdLeft(to.doctor, to.date, to.hadSlots);
    case 'DUPLICATE_TOKEN': {
      const number = out.tokenId === undefined ? undefined : to.number(out.tokenId);
      return new ServiceError('DUPLICATE_TOKEN', `The patient already holds ${number ?? 'a token'} with ${to.doctor.name} on ${when}.`, out.tokenId === undefined ? {} : { tokenId: out.tokenId });
    }
    case 'SLOT_ENDED':
      return new ServiceError('SLOT_ENDED', `That slot of ${to.doctor.name} on ${when} has ended: choose a later one.`, {
        errors: [{ in: 'body', path: '/slotId', message: 'has ended' }],
      });
    default:
      return new ServiceError(out.code, out.message, out.tokenId === undefined ? {} : { tokenId: out.tokenId });
  }
}
