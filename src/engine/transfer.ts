// Transfer (SPEC 7): a token moves to another doctor or day. It joins two doctor-days, so it is not a
// command of one: the new doctor-day issues the token first (by the issuing rules of SPEC 4), and only
// if it accepts does the old doctor-day cancel the old token with reason `transferred`. Each names the
// other. A refusal of the new doctor-day changes nothing on the old one.

import { execute, TRANSFERABLE } from './commands.ts';
import type { DoctorDay } from './doctor-day.ts';
import type { DoctorDayEvent, FailureCode, Millis, PatientKey, Policy, TransferLink } from './types.ts';

export interface TransferToken {
  /** The token that moves (on the old doctor-day). */
  tokenId: string;
  /** The id of the new token, chosen by the caller (the engine makes no ids). */
  newTokenId: string;
  /**
   * The patient's key for duplicates on the new doctor-day (the caller makes it from the old token's
   * patient under the new day's secret; the engine never knows who the patient is). Absent: none.
   */
  patientKey?: PatientKey;
  slotId?: string | null;
  flexible?: boolean;
}

export interface TransferContext {
  now: Millis;
  /** The policy of the old doctor-day and of the new one (two doctors may have two policies). */
  fromPolicy: Policy;
  toPolicy: Policy;
}

export type TransferOutcome =
  | { ok: true; from: DoctorDayEvent[]; to: DoctorDayEvent[]; tokenId: string; bumpedTokenId?: string }
  | { ok: false; code: FailureCode; message: string; tokenId?: string; from: DoctorDayEvent[]; to: DoctorDayEvent[] };

/**
 * Moves a token from `from` to `to` at `ctx.now`. On success both days have applied their events (the
 * new day's first). On a refusal the old day is untouched and the new day holds only what its moment
 * was due anyway (a policy recorded, a reserve released), returned in `to` like any refusal's events.
 */
export function transfer(from: DoctorDay, to: DoctorDay, command: TransferToken, ctx: TransferContext): TransferOutcome {
  const refused = (code: FailureCode, message: string, tokenId?: string): TransferOutcome => ({
    ok: false,
    code,
    message,
    ...(tokenId === undefined ? {} : { tokenId }),
    from: [],
    to: [],
  });
  if (from === to || (from.doctorId === to.doctorId && from.date === to.date)) {
    return refused('VALIDATION_FAILED', 'the token is already with this doctor on that day: choose another doctor or another day');
  }
  const old = typeof command.tokenId === 'string' ? from.tokens.get(command.tokenId) : undefined;
  if (!old) return refused('NOT_FOUND', `no token ${String(command.tokenId)} in this doctor-day`);
  // Checked before either day runs anything: what the old day's moment is due (a policy recorded, a
  // reserve released) only moves tokens among these three statuses, never into or out of them.
  if (!TRANSFERABLE.includes(old.status)) return refused('INVALID_TRANSITION', `transfer is not possible for ${old.label}: it is ${old.status}`, old.id);

  const issued = execute(
    to,
    {
      type: 'issueToken',
      tokenId: command.newTokenId,
      source: old.source,
      ...(command.patientKey === undefined ? {} : { patientKey: command.patientKey }),
      slotId: command.slotId ?? null,
      flexible: command.flexible ?? false,
      // The patient was at the desk (issued as arrived, or checked in once): still here.
      arrived: old.arrived,
      transferredFrom: { tokenId: old.id, number: old.label, doctorId: from.doctorId, date: from.date },
    },
    { now: ctx.now, policy: ctx.toPolicy },
  );
  if (!issued.ok) {
    return { ok: false, code: issued.code, message: issued.message, ...(issued.tokenId === undefined ? {} : { tokenId: issued.tokenId }), from: [], to: issued.events };
  }
  const created = to.tokens.get(command.newTokenId)!;
  const link: TransferLink = { tokenId: created.id, number: created.label, doctorId: to.doctorId, date: to.date };
  const out = execute(from, { type: 'transferOut', tokenId: old.id, to: link }, { now: ctx.now, policy: ctx.fromPolicy });
  // Cannot happen (the status was checked above, and nothing between changed it); if it ever did,
  // the new day has changed already, so this is a fault, not a refusal.
  if (!out.ok) throw new Error(`transfer out of ${old.label} refused after the new token was issued: ${out.message}`);
  return {
    ok: true,
    from: out.events,
    to: issued.events,
    tokenId: created.id,
    ...(issued.bumpedTokenId === undefined ? {} : { bumpedTokenId: issued.bumpedTokenId }),
  };
}
