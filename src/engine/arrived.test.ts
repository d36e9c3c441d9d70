// SPEC 4 `arrived`: the patient is standing at the desk, so the token is checked in as soon as it holds
// a seat: at once if seated, on promotion if waitlisted. The clock never marks it a no-show.
import { describe, expect, it } from 'vitest';
import { Desk, policy } from '../../test/kits/engine/test-kit.ts';
import type { IssueToken, Source } from './types.ts';

function arrive(d: Desk, tokenId: string, source: Source, extra: Partial<IssueToken> = {}, hhmm?: string) {
  return d.run({ type: 'issueToken', tokenId, source, arrived: true, ...extra }, hhmm);
}

describe('SPEC 4 arrived: checked in as soon as the token holds a seat', () => {
  it('seated at once: TokenAllocated then TokenCheckedIn in the same request, and the issued event says arrived', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    const out = arrive(d, 'e', 'EMERGENCY', {}, '08:30');
    expect(out.ok).toBe(true);
    expect(out.events.map((e) => e.type)).toEqual(['TokenIssued', 'TokenAllocated', 'TokenCheckedIn']);
    expect(out.events[0]).toMatchObject({ type: 'TokenIssued', arrived: true });
    expect(d.where('e')).toBe('CHECKED_IN@s9');
    expect(d.replayMatches()).toBe(true);
  });

  it('without arrived (or arrived: false) the token stays ALLOCATED and the issued event carries no arrived field', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    d.issue('a', 'WALKIN');
    arrive(d, 'b', 'WALKIN', { arrived: false });
    expect(d.where('a')).toBe('ALLOCATED@s9');
    expect(d.where('b')).toBe('ALLOCATED@s9');
    expect(d.events('TokenIssued').every((e) => !('arrived' in e))).toBe(true);
  });

  it('a preempting newcomer that arrived is checked in in the seat it took; the bumped token is not', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('w', 'WALKIN', { slotId: 's9', at: '08:00' });
    const out = arrive(d, 'p', 'PAID', { slotId: 's9' });
    expect(out).toMatchObject({ ok: true, bumpedTokenId: 'w' });
    expect(d.where('p')).toBe('CHECKED_IN@s9');
    expect(d.where('w')).toBe('ALLOCATED@s10');
  });

  it('waitlisted: stays WAITLISTED (nothing to check in to), then checked in on promotion', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'WALKIN', { at: '08:00' });
    arrive(d, 'b', 'WALKIN');
    expect(d.where('b')).toBe('WAITLISTED');
    const events = d.ok({ type: 'cancel', tokenId: 'a' }, '08:20');
    expect(events.map((e) => e.type)).toEqual(['TokenCancelled', 'TokenAllocated', 'TokenCheckedIn']);
    expect(d.where('b')).toBe('CHECKED_IN@s9');
    expect(d.replayMatches()).toBe(true);
  });

  it('an arrived token is never an automatic no-show: the slot ends, the grace passes, it is still CHECKED_IN', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    arrive(d, 'e', 'EMERGENCY', {}, '08:50');
    d.issue('w', 'WALKIN');
    d.ok({ type: 'tick' }, '10:30');
    expect(d.status('w')).toBe('NO_SHOW');
    expect(d.status('e')).toBe('CHECKED_IN');
    expect(d.events('TokenNoShow').map((e) => e.tokenId)).toEqual(['w']);
  });

  it('a checked-in patient moved to the waitlist (its slot closed) is checked in again when promoted (the patient is known to be here)', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('a', 'WALKIN', { slotId: 's9', at: '08:00' });
    d.issue('b', 'WALKIN', { slotId: 's10' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '08:30');
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '08:40');
    expect(d.where('a')).toBe('WAITLISTED');
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '08:45');
    expect(d.where('a')).toBe('CHECKED_IN@s9');
  });

  it('arrived must be a boolean', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    const out = d.run({ type: 'issueToken', tokenId: 'x', source: 'WALKIN', arrived: 'yes' as unknown as boolean });
    expect(out).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', message: 'arrived must be true or false' });
    expect(d.day.tokens.size).toBe(0);
  });
});
