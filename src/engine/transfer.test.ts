// SPEC 7 "Transfer": a token moves to another doctor or day. Two doctor-days, each a Desk whose
// invariants are checked after every step; the transfer itself is checked the same way.
import { describe, expect, it } from 'vitest';
import { checkInvariants } from './invariants.ts';
import { snapshot } from './queries.ts';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';
import { transfer, type TransferOutcome, type TransferToken } from './transfer.ts';
import type { Command, TokenStatus } from './types.ts';

const PLAIN = policy({ preemption: 'off', allowance: {} });

/** Dr. GM (doc-1) and Dr. RA (doc-2) on the same date. */
function twoDoctors(p = PLAIN): { gm: Desk; ra: Desk } {
  return { gm: new Desk(p, 'GM', 'doc-1'), ra: new Desk(p, 'RA', 'doc-2') };
}

/** Runs a transfer at `hhmm`, keeps both logs, and fails if either day breaks an invariant. */
function move(from: Desk, to: Desk, command: Partial<TransferToken> & { tokenId: string }, hhmm: string): TransferOutcome {
  const now = at(hhmm);
  from.now = now;
  to.now = now;
  const patientKey = from.day.tokens.get(command.tokenId)?.patientKey;
  const out = transfer(from.day, to.day, { newTokenId: 'n1', ...(patientKey === undefined ? {} : { patientKey }), ...command }, { now, fromPolicy: from.policy, toPolicy: to.policy });
  from.log.push(...out.from);
  to.log.push(...out.to);
  for (const d of [from, to]) {
    const problems = checkInvariants(d.day, now);
    if (problems.length > 0) throw new Error(`invariants broken after a transfer: ${problems.join('; ')}`);
  }
  return out;
}

const frozen = (d: Desk) => JSON.stringify(snapshot(d.day));

describe('SPEC 7 transfer', () => {
  it('7: transfer: the old token is CANCELLED with reason transferred naming the new one, which is issued by SPEC 4 with the same source and patient and names the old', () => {
    const { gm, ra } = twoDoctors();
    gm.slot('g9', '09:00', '10:00', 4);
    ra.slot('r9', '09:00', '10:00', 4);
    ra.issue('r-a', 'WALKIN', { at: '08:10' });
    gm.issue('t', 'FOLLOWUP', { patientId: 'MRN-7', at: '08:20' });
    const out = move(gm, ra, { tokenId: 't' }, '08:30');
    expect(out).toMatchObject({ ok: true, tokenId: 'n1' });
    const patientKey = 'id:MRN-7';
    expect(out.to).toEqual([
      {
        type: 'TokenIssued', at: at('08:30'), tokenId: 'n1', number: 2, label: 'RA-002', source: 'FOLLOWUP', patientKey,
        request: { slotId: null, flexible: false },
        transferredFrom: { tokenId: 't', number: 'GM-001', doctorId: 'doc-1', date: '2026-01-05' },
      },
      { type: 'TokenAllocated', at: at('08:30'), tokenId: 'n1', slotId: 'r9', reason: 'free-seat' },
    ]);
    expect(out.from).toEqual([
      { type: 'TokenCancelled', at: at('08:30'), tokenId: 't', reason: 'transferred', transferredTo: { tokenId: 'n1', number: 'RA-002', doctorId: 'doc-2', date: '2026-01-05' } },
    ]);
    expect(gm.status('t')).toBe('CANCELLED');
    expect(gm.token('t').transferredTo).toEqual({ tokenId: 'n1', number: 'RA-002', doctorId: 'doc-2', date: '2026-01-05' });
    expect(ra.token('n1')).toMatchObject({ status: 'ALLOCATED', slotId: 'r9', source: 'FOLLOWUP', patientKey, transferredFrom: { tokenId: 't', number: 'GM-001' } });
    // The old seat is free again, and a plain cancel carries no reason (its events are unchanged).
    expect(gm.occupied('g9')).toBe(0);
    gm.issue('u', 'WALKIN');
    expect(gm.ok({ type: 'cancel', tokenId: 'u' })).toEqual([{ type: 'TokenCancelled', at: at('08:30'), tokenId: 'u' }]);
    expect(gm.replayMatches()).toBe(true);
    expect(ra.replayMatches()).toBe(true);
  });

  it('7: a checked-in token transfers as arrived: the new token is checked in as soon as it holds a seat', () => {
    const { gm, ra } = twoDoctors();
    gm.slot('g9', '09:00', '10:00', 2);
    ra.slot('r9', '09:00', '10:00', 1);
    gm.issue('t', 'WALKIN', { at: '08:10' });
    gm.ok({ type: 'checkIn', tokenId: 't' });
    const out = move(gm, ra, { tokenId: 't' }, '08:40');
    expect(out.to.map((e) => e.type)).toEqual(['TokenIssued', 'TokenAllocated', 'TokenCheckedIn']);
    expect(out.to[0]).toMatchObject({ arrived: true });
    expect(ra.where('n1')).toBe('CHECKED_IN@r9');
    // A booked (not checked-in) token stays booked: nobody said the patient is here.
    gm.issue('b', 'ONLINE');
    move(gm, ra, { tokenId: 'b', newTokenId: 'n2' }, '08:41');
    expect(ra.where('n2')).toBe('WAITLISTED');
    expect(ra.events('TokenIssued').find((e) => e.tokenId === 'n2')!.arrived).toBeUndefined();
  });

  it('7: the new doctor-day applies SPEC 4 with the token\'s own source: a PAID token bumps the last booked WALKIN there, and a named full slot waitlists it tied to that slot', () => {
    const { gm, ra } = twoDoctors(policy({ preemption: 'strict-priority', allowance: {} }));
    gm.slot('g9', '09:00', '10:00', 3);
    ra.slot('r9', '09:00', '10:00', 2).slot('r10', '10:00', '11:00', 1);
    ra.issue('w1', 'WALKIN', { slotId: 'r9', at: '08:00' });
    ra.issue('w2', 'WALKIN', { slotId: 'r9', at: '08:05' });
    ra.issue('w3', 'WALKIN', { slotId: 'r10', at: '08:06' });
    gm.issue('p', 'PAID', { at: '08:10' });
    const out = move(gm, ra, { tokenId: 'p', slotId: 'r9' }, '08:20');
    expect(out).toMatchObject({ ok: true, tokenId: 'n1', bumpedTokenId: 'w2' });
    expect(ra.where('n1')).toBe('ALLOCATED@r9');
    expect(ra.where('w2')).toBe('WAITLISTED');
    // Preemption off on Dr. GM's side does not matter: the new doctor-day's policy decides.
    gm.issue('q', 'WALKIN', { at: '08:21' });
    move(gm, ra, { tokenId: 'q', newTokenId: 'n2', slotId: 'r10' }, '08:22');
    expect(ra.where('n2')).toBe('WAITLISTED');
    expect(ra.token('n2').tie).toEqual({ slotId: 'r10', flexible: false });
  });

  it('7: the seat a transfer frees goes to the best waiting token of the old doctor-day (SPEC 5), its cause the cancel', () => {
    const { gm, ra } = twoDoctors();
    gm.slot('g9', '09:00', '10:00', 1);
    ra.slot('r9', '09:00', '10:00', 1);
    gm.issue('t', 'WALKIN', { at: '08:00' });
    gm.issue('w', 'ONLINE', { at: '08:01' });
    const out = move(gm, ra, { tokenId: 't' }, '08:30');
    expect(out.from).toEqual([
      expect.objectContaining({ type: 'TokenCancelled', tokenId: 't', reason: 'transferred' }),
      { type: 'TokenAllocated', at: at('08:30'), tokenId: 'w', slotId: 'g9', reason: 'promoted', cause: 'cancelled', causeTokenId: 't' },
    ]);
  });

  it('7: a token transfers to the same doctor on another day, and back again as a third token', () => {
    const monday = new Desk(PLAIN, 'GM', 'doc-1', '2026-01-05');
    const tuesday = new Desk(PLAIN, 'GM', 'doc-1', '2026-01-06');
    monday.slot('m9', '09:00', '10:00', 2);
    tuesday.ok({ type: 'createSlot', slot: { id: 't9', start: at('09:00') + 86_400_000, end: at('10:00') + 86_400_000, capacity: 2 } });
    monday.issue('t', 'ONLINE', { phone: '+919845011111', at: '08:00' });
    move(monday, tuesday, { tokenId: 't' }, '08:10');
    expect(tuesday.where('n1')).toBe('ALLOCATED@t9');
    const back = move(tuesday, monday, { tokenId: 'n1', newTokenId: 'n2' }, '08:20');
    expect(back.ok).toBe(true);
    expect(monday.token('n2')).toMatchObject({ label: 'GM-002', status: 'ALLOCATED', transferredFrom: { tokenId: 'n1', date: '2026-01-06' } });
    expect(tuesday.token('n1')).toMatchObject({ status: 'CANCELLED', transferredFrom: { tokenId: 't' }, transferredTo: { tokenId: 'n2', date: '2026-01-05' } });
  });

  const ALL: TokenStatus[] = ['WAITLISTED', 'ALLOCATED', 'CHECKED_IN', 'CALLED', 'COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'];
  const TRANSFERABLE: TokenStatus[] = ['WAITLISTED', 'ALLOCATED', 'CHECKED_IN'];
  for (const status of ALL) {
    const allowed = TRANSFERABLE.includes(status);
    it(`7: transfer from ${status} is ${allowed ? 'allowed' : 'refused with INVALID_TRANSITION, changing nothing on either day'}`, () => {
      const { gm, ra } = twoDoctors();
      gm.slot('g9', '09:00', '10:00', status === 'WAITLISTED' || status === 'EXPIRED' ? 0 : 2).slot('g10', '10:00', '11:00', 0);
      ra.slot('r9', '09:00', '12:00', 2);
      gm.issue('t', 'ONLINE', { slotId: 'g9', flexible: status === 'EXPIRED', at: '08:00' });
      const steps: Partial<Record<TokenStatus, Command[]>> = {
        CHECKED_IN: [{ type: 'checkIn', tokenId: 't' }],
        CALLED: [{ type: 'checkIn', tokenId: 't' }, { type: 'callNext' }],
        COMPLETED: [{ type: 'checkIn', tokenId: 't' }, { type: 'callNext' }, { type: 'complete', tokenId: 't' }],
        CANCELLED: [{ type: 'cancel', tokenId: 't' }],
        NO_SHOW: [{ type: 'noShow', tokenId: 't' }],
      };
      for (const c of steps[status] ?? []) gm.ok(c, '09:05');
      if (status === 'EXPIRED') gm.ok({ type: 'tick' }, '11:00');
      expect(gm.status('t')).toBe(status);
      const before = [frozen(gm), frozen(ra)];
      const out = move(gm, ra, { tokenId: 't' }, '11:00');
      if (allowed) {
        expect(out.ok).toBe(true);
        expect(gm.status('t')).toBe('CANCELLED');
        expect(ra.token('n1').transferredFrom?.tokenId).toBe('t');
      } else {
        expect(out).toMatchObject({ ok: false, code: 'INVALID_TRANSITION', tokenId: 't', from: [], to: [] });
        expect(out.ok || out.message).toBe(`transfer is not possible for GM-001: it is ${status}`);
        expect([frozen(gm), frozen(ra)]).toEqual(before);
      }
    });
  }

  it('7: when the new doctor-day refuses (no OPD left, a live token there already, an ended or unknown slot) nothing changes on either day', () => {
    const { gm, ra } = twoDoctors();
    gm.slot('g9', '09:00', '12:00', 2);
    ra.slot('r8', '08:00', '09:00', 2).slot('r9', '09:00', '10:00', 2);
    gm.issue('t', 'WALKIN', { patientId: 'MRN-1', at: '08:00' });
    ra.issue('same', 'ONLINE', { patientId: 'MRN-1', at: '08:00' });
    const cases: [Partial<TransferToken>, string, string][] = [
      [{}, 'DUPLICATE_TOKEN', '08:30'],
      [{ slotId: 'r8', patientKey: 'id:MRN-2' }, 'SLOT_ENDED', '09:10'],
      [{ slotId: 'nope', patientKey: 'id:MRN-2' }, 'NOT_FOUND', '09:10'],
      [{ patientKey: 'id:MRN-2' }, 'NO_OPEN_SLOT', '10:00'],
      [{ patientKey: '' }, 'VALIDATION_FAILED', '09:10'],
    ];
    for (const [extra, code, hhmm] of cases) {
      const before = [frozen(gm), frozen(ra)];
      const out = move(gm, ra, { tokenId: 't', ...extra }, hhmm);
      expect(out, code).toMatchObject({ ok: false, code, from: [], to: [] });
      expect([frozen(gm), frozen(ra)], code).toEqual(before);
    }
    expect(gm.status('t')).toBe('ALLOCATED');
    expect(ra.day.tokens.has('n1')).toBe(false);
  });

  it('7: the same doctor on the same day is refused in words, and an unknown token is NOT_FOUND', () => {
    const { gm, ra } = twoDoctors();
    gm.slot('g9', '09:00', '10:00', 2);
    gm.issue('t', 'WALKIN');
    const before = frozen(gm);
    const out = move(gm, gm, { tokenId: 't' }, '08:10');
    expect(out).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', message: 'the token is already with this doctor on that day: choose another doctor or another day' });
    const twin = new Desk(PLAIN, 'GM', 'doc-1');
    expect(move(gm, twin, { tokenId: 't' }, '08:10')).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(frozen(gm)).toBe(before);
    expect(move(gm, ra, { tokenId: 'ghost' }, '08:10')).toMatchObject({ ok: false, code: 'NOT_FOUND', message: 'no token ghost in this doctor-day' });
  });
});
