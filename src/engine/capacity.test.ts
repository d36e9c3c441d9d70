// SPEC 3: capacity — hard limits, per-source allowances, emergency overflow, reserve release.
import { describe, expect, it } from 'vitest';
import { Desk, policy } from '../../test/kits/engine/test-kit.ts';

describe('SPEC 3 capacity', () => {
  it('a slot of capacity 2 seats two ONLINE tokens; the third waits', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.issue('c', 'ONLINE', { slotId: 's9' });
    expect([d.where('a'), d.where('b'), d.where('c')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9', 'WAITLISTED']);
    expect(d.occupied('s9')).toBe(2);
  });

  it('emergency overflow: EMERGENCY +1 takes a third seat in a full slot of capacity 2 (reason overflow)', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    expect(d.where('e')).toBe('ALLOCATED@s9');
    expect(d.occupied('s9')).toBe(3);
    expect(d.events('TokenAllocated').at(-1)).toMatchObject({ tokenId: 'e', reason: 'overflow' });
    expect(d.events('TokenBumped')).toHaveLength(0);
  });

  it('the hard limit is capacity + max(allowance): a second EMERGENCY in a 2+1 slot must bump, never seat a 4th', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.issue('e1', 'EMERGENCY', { slotId: 's9' });
    const out = d.issue('e2', 'EMERGENCY', { slotId: 's9' });
    expect(out.ok && out.bumpedTokenId).toBe('b');
    expect(d.occupied('s9')).toBe(3);
    expect(d.where('b')).toBe('ALLOCATED@s10');
  });

  it('a negative allowance reserves seats: ONLINE −2 in capacity 4 takes only 2 seats; WALKIN still gets the 3rd', () => {
    const d = new Desk(policy({ allowance: { EMERGENCY: 1, ONLINE: -2 }, preemption: 'off' })).slot('s11', '11:00', '12:00', 4);
    d.issue('o1', 'ONLINE', { slotId: 's11' });
    d.issue('o2', 'ONLINE', { slotId: 's11' });
    d.issue('o3', 'ONLINE', { slotId: 's11' });
    d.issue('w1', 'WALKIN', { slotId: 's11' });
    expect([d.where('o1'), d.where('o2'), d.where('o3'), d.where('w1')]).toEqual([
      'ALLOCATED@s11',
      'ALLOCATED@s11',
      'WAITLISTED',
      'ALLOCATED@s11',
    ]);
  });

  it('reserve release: 15 minutes before an 11:00 start, ONLINE −2 counts as 0 and the waiting ONLINE takes the free seat', () => {
    const d = new Desk(policy({ allowance: { EMERGENCY: 1, ONLINE: -2 }, reserveReleaseMinutes: 15 })).slot('s11', '11:00', '12:00', 4);
    d.issue('o1', 'ONLINE', { slotId: 's11', at: '08:00' });
    d.issue('o2', 'ONLINE', { slotId: 's11', at: '08:00' });
    d.issue('o3', 'ONLINE', { slotId: 's11', at: '08:00' });
    expect(d.where('o3')).toBe('WAITLISTED');
    d.ok({ type: 'tick' }, '10:44');
    expect(d.where('o3')).toBe('WAITLISTED');
    d.ok({ type: 'tick' }, '10:45');
    expect(d.where('o3')).toBe('ALLOCATED@s11');
    expect(d.events('SlotReserveReleased')).toEqual([expect.objectContaining({ slotId: 's11', at: expect.any(Number) })]);
    expect(d.events('TokenAllocated').at(-1)).toMatchObject({ tokenId: 'o3', reason: 'promoted', cause: 'reserve-released' });
  });

  it('reserve release happens on any command, not only on tick: an ONLINE issued at 10:50 gets a reserved seat', () => {
    const d = new Desk(policy({ allowance: { ONLINE: -1 } })).slot('s11', '11:00', '12:00', 1);
    d.issue('o1', 'ONLINE', { slotId: 's11', at: '08:00' });
    expect(d.where('o1')).toBe('WAITLISTED');
    d.issue('o2', 'ONLINE', { slotId: 's11', at: '10:50' });
    expect(d.where('o1')).toBe('ALLOCATED@s11'); // released first, promoted, then o2 finds no seat
    expect(d.where('o2')).toBe('WAITLISTED');
  });

  it('a capacity that shrinks from 4 to 2 moves two tokens out at once (the last booked WALKIN first)', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4).slot('s10', '10:00', '11:00', 1);
    d.issue('p', 'PAID', { slotId: 's9', at: '08:00' });
    d.issue('w1', 'WALKIN', { slotId: 's9', at: '08:01' });
    d.issue('o', 'ONLINE', { slotId: 's9', at: '08:02' });
    d.issue('w2', 'WALKIN', { slotId: 's9', at: '08:03' });
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 2 }, '08:30');
    expect(d.occupied('s9')).toBe(2);
    expect(d.where('w2')).toBe('ALLOCATED@s10'); // greatest rank, latest issuedAt: first out, takes the free later seat
    expect(d.where('w1')).toBe('WAITLISTED'); // no later seat left
    expect(d.token('w1').tie).toEqual({ slotId: 's9', flexible: true });
    expect([d.where('p'), d.where('o')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9']);
    expect(d.events('TokenAllocated').at(-1)).toMatchObject({ tokenId: 'w2', reason: 'moved', fromSlotId: 's9', cause: 'capacity-reduced' });
  });

  it('a raised capacity promotes waiting tokens into every new seat (2 → 4 promotes two)', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    for (const id of ['a', 'b', 'c', 'd', 'e']) d.issue(id, 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 4 }, '08:30');
    expect(['c', 'd', 'e'].map((id) => d.where(id))).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9', 'WAITLISTED']);
    expect(d.events('TokenAllocated').filter((e) => e.cause === 'capacity-raised')).toHaveLength(2);
  });

  it('a policy that cuts the emergency allowance from +1 to 0 moves the overflow token out', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('o', 'ONLINE', { slotId: 's9' });
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    expect(d.occupied('s9')).toBe(2);
    d.policy = policy({ allowance: {} });
    d.ok({ type: 'tick' }, '08:10');
    expect(d.occupied('s9')).toBe(1);
    expect(d.where('e')).toBe('ALLOCATED@s9'); // the ONLINE (greater rank) moved, not the emergency
    expect(d.where('o')).toBe('ALLOCATED@s10');
    expect(d.events('PolicyChanged')).toHaveLength(2);
  });
});
