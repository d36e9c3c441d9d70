// SPEC 2: priority — base ranks, tie-breaks, aging with a floor.
import { describe, expect, it } from 'vitest';
import { waitlist } from './queries.ts';
import { Desk, policy } from '../../test/kits/engine/test-kit.ts';

const order = (d: Desk) => waitlist(d.day).map((t) => t.id);

describe('SPEC 2 priority', () => {
  it('base rank: EMERGENCY 0 < PAID 1 < FOLLOWUP 2 < ONLINE 3 < WALKIN 4 orders the waitlist', () => {
    const d = new Desk(policy({ preemption: 'off', allowance: {} })).slot('s9', '09:00', '10:00', 0);
    d.issue('w', 'WALKIN', { slotId: 's9' });
    d.issue('o', 'ONLINE', { slotId: 's9' });
    d.issue('f', 'FOLLOWUP', { slotId: 's9' });
    d.issue('p', 'PAID', { slotId: 's9' });
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    expect(order(d)).toEqual(['e', 'p', 'f', 'o', 'w']);
  });

  it('ties: earlier issuedAt first, then lower number', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 0);
    d.issue('late', 'ONLINE', { slotId: 's9', at: '08:10' });
    d.issue('early', 'ONLINE', { slotId: 's9', at: '08:10' });
    d.issue('later', 'ONLINE', { slotId: 's9', at: '08:20' });
    // same issuedAt 08:10: GM-001 before GM-002; 08:20 last
    expect(order(d)).toEqual(['late', 'early', 'later']);
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '08:30');
    expect(d.where('late')).toBe('ALLOCATED@s9');
  });

  it('aging: a WALKIN (rank 4) waiting 90 minutes with agingMinutes 45 has effective rank 2 and goes before a later FOLLOWUP', () => {
    const d = new Desk(policy({ preemption: 'off', agingMinutes: 45 })).slot('s11', '11:00', '12:00', 0);
    d.issue('walkin', 'WALKIN', { at: '08:00' });
    d.issue('followup', 'FOLLOWUP', { at: '09:00' });
    expect(order(d)).toEqual(['followup', 'walkin']);
    d.ok({ type: 'tick' }, '09:30'); // 90 min: 4 - 2 = 2
    expect(d.token('walkin').effectiveRank).toBe(2);
    expect(d.events('TokenAged')).toEqual([expect.objectContaining({ tokenId: 'walkin', effectiveRank: 2 })]);
    // effective rank 2 each: the walk-in was issued first
    expect(order(d)).toEqual(['walkin', 'followup']);
    d.ok({ type: 'changeCapacity', slotId: 's11', capacity: 1 }, '09:31');
    expect(d.where('walkin')).toBe('ALLOCATED@s11');
    expect(d.where('followup')).toBe('WAITLISTED');
  });

  it('aging floor 1: a WALKIN waiting 5 hours stops at rank 1 and never becomes an emergency', () => {
    const d = new Desk(policy({ preemption: 'off', agingMinutes: 45, agingFloor: 1, allowance: {} })).slot('s14', '14:00', '15:00', 0);
    d.issue('walkin', 'WALKIN', { at: '08:00' });
    d.issue('emergency', 'EMERGENCY', { at: '12:59' });
    d.ok({ type: 'tick' }, '13:00');
    expect(d.token('walkin').effectiveRank).toBe(1);
    expect(order(d)).toEqual(['emergency', 'walkin']);
  });

  it('aging floor 3 holds a WALKIN at 3; base ranks at or below the floor never age', () => {
    const d = new Desk(policy({ preemption: 'off', agingMinutes: 30, agingFloor: 3 })).slot('s14', '14:00', '15:00', 0);
    d.issue('walkin', 'WALKIN', { at: '08:00' });
    d.issue('paid', 'PAID', { at: '08:00' });
    d.ok({ type: 'tick' }, '12:00');
    expect(d.token('walkin').effectiveRank).toBe(3);
    expect(d.token('paid').effectiveRank).toBe(1);
  });

  it('aging off (agingMinutes null): no token ages', () => {
    const d = new Desk(policy({ agingMinutes: null })).slot('s14', '14:00', '15:00', 0);
    d.issue('walkin', 'WALKIN', { at: '08:00' });
    d.ok({ type: 'tick' }, '13:00');
    expect(d.token('walkin').effectiveRank).toBe(4);
    expect(d.events('TokenAged')).toHaveLength(0);
  });

  it('aging orders the serving queue: a WALKIN checked in for 90 minutes (effective 2) is called before an ONLINE checked in for 30 (3)', () => {
    const d = new Desk(policy({ agingMinutes: 45 })).slot('s9', '09:00', '12:00', 4);
    d.issue('online', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('walkin', 'WALKIN', { slotId: 's9', at: '08:05' });
    d.ok({ type: 'checkIn', tokenId: 'walkin' }, '09:00');
    d.ok({ type: 'checkIn', tokenId: 'online' }, '10:00');
    d.ok({ type: 'tick' }, '10:30');
    expect(d.token('walkin').effectiveRank).toBe(2);
    expect(d.token('online').effectiveRank).toBe(3);
    const called = d.run({ type: 'callNext' });
    expect(called.ok && called.tokenId).toBe('walkin');
  });

  it('preemption uses base rank only: a WALKIN aged to effective rank 3 is still bumped by an ONLINE (base 3 < base 4)', () => {
    const d = new Desk(policy({ agingMinutes: 45 })).slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '08:00');
    d.issue('walkin', 'WALKIN', { slotId: 's9', at: '08:00' });
    d.ok({ type: 'tick' }, '08:50'); // waited 50 min: effective rank 3
    expect(d.token('walkin').effectiveRank).toBe(3);
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '08:51');
    expect(d.where('walkin')).toBe('ALLOCATED@s9');
    const out = d.issue('online', 'ONLINE', { slotId: 's9', at: '08:52' });
    expect(out.ok && out.bumpedTokenId).toBe('walkin');
    expect(d.where('walkin')).toBe('ALLOCATED@s10');
  });
});
