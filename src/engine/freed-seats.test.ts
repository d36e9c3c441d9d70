// SPEC 5: freed seats go to the best eligible waiting token, repeatedly; never in an ended slot.
import { describe, expect, it } from 'vitest';
import { Desk, policy } from '../../test/kits/engine/test-kit.ts';

const noBumps = policy({ preemption: 'off' });

describe('SPEC 5 freed seats', () => {
  it('a cancelled seat goes to the best waiting token: effective rank, then issuedAt, then number', () => {
    const d = new Desk(noBumps).slot('s9', '09:00', '10:00', 1);
    d.issue('seated', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('walkin', 'WALKIN', { slotId: 's9', at: '08:01' });
    d.issue('online-first', 'ONLINE', { slotId: 's9', at: '08:02' }); // GM-003
    d.issue('online-second', 'ONLINE', { slotId: 's9', at: '08:02' }); // GM-004, same issuedAt
    d.issue('online-later', 'ONLINE', { slotId: 's9', at: '08:03' });
    d.ok({ type: 'cancel', tokenId: 'seated' }, '09:40');
    expect(d.where('online-first')).toBe('ALLOCATED@s9');
    expect(d.events('TokenAllocated').at(-1)).toMatchObject({
      tokenId: 'online-first',
      reason: 'promoted',
      cause: 'cancelled',
      causeTokenId: 'seated',
    });
  });

  it('a no-show at 09:50 frees the seat and the waitlist moves', () => {
    const d = new Desk(noBumps).slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'noShow', tokenId: 'a' }, '09:50');
    expect(d.where('b')).toBe('ALLOCATED@s9');
  });

  it('eligibility: untied, tied to this slot, or flexible and tied to an earlier one — never tied to another slot', () => {
    const d = new Desk(noBumps).slot('s9', '09:00', '10:00', 0).slot('s10', '10:00', '11:00', 1).slot('s11', '11:00', '12:00', 0);
    d.issue('seated', 'ONLINE', { slotId: 's10', at: '08:00' });
    d.issue('tied9', 'PAID', { slotId: 's9', at: '08:01' });
    d.issue('tied11', 'PAID', { slotId: 's11', at: '08:02' });
    d.issue('flex11', 'PAID', { slotId: 's11', flexible: true, at: '08:03' });
    d.issue('flex9', 'FOLLOWUP', { slotId: 's9', flexible: true, at: '08:04' });
    d.issue('untied', 'WALKIN', { at: '08:05' });
    d.ok({ type: 'cancel', tokenId: 'seated' }, '08:30');
    // tied9, tied11 and flex11 may not sit in 10:00; flex9 (FOLLOWUP) beats the untied WALKIN
    expect(d.where('flex9')).toBe('ALLOCATED@s10');
    expect(['tied9', 'tied11', 'flex11', 'untied'].map((id) => d.where(id))).toEqual(['WAITLISTED', 'WAITLISTED', 'WAITLISTED', 'WAITLISTED']);
  });

  it('the best token that fits its own limit takes the seat: a waiting ONLINE (−1) is passed over for a WALKIN', () => {
    const d = new Desk(policy({ preemption: 'off', allowance: { ONLINE: -1 } })).slot('s11', '11:00', '12:00', 2);
    d.issue('w1', 'WALKIN', { slotId: 's11' });
    d.issue('w2', 'WALKIN', { slotId: 's11' });
    d.issue('online', 'ONLINE', { slotId: 's11' });
    d.issue('w3', 'WALKIN', { slotId: 's11' });
    d.ok({ type: 'cancel', tokenId: 'w1' }, '09:00'); // occupied 1: ONLINE limit 2 − 1 = 1 → does not fit
    expect(d.where('online')).toBe('WAITLISTED');
    expect(d.where('w3')).toBe('ALLOCATED@s11');
  });

  it('a freed seat in an ended slot is not reused', () => {
    const d = new Desk(noBumps).slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 0);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'WALKIN');
    d.ok({ type: 'checkIn', tokenId: 'a' }, '09:55');
    d.ok({ type: 'noShow', tokenId: 'a' }, '10:05');
    expect(d.occupied('s9')).toBe(0);
    expect(d.where('b')).toBe('WAITLISTED');
  });

  it('promotion repeats while seats and candidates remain: closing-then-reopening 0 → 3 seats three', () => {
    const d = new Desk(noBumps).slot('s9', '09:00', '10:00', 0);
    for (const id of ['a', 'b', 'c', 'd']) d.issue(id, 'WALKIN');
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 3 }, '08:30');
    expect(['a', 'b', 'c', 'd'].map((id) => d.where(id))).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9', 'ALLOCATED@s9', 'WAITLISTED']);
  });
});
