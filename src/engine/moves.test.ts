// Who is bumped, who moves out of a shrunk slot, and what a freed seat names as its cause: the
// choices in allocation.ts that the other example tests reached without pinning (found by mutation
// testing, docs/testing.md). Every command still runs the invariant checker (test-kit.ts).
import { describe, expect, it } from 'vitest';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';
import type { Policy } from './types.ts';

describe('SPEC 3, 4: a token of a source with a wider limit than the newcomer’s is no victim', () => {
  it('a PAID newcomer does not bump a WALKIN whose allowance would seat it again at once; it waits', () => {
    // WALKIN may hold 3 seats (capacity 2 + 1), PAID 2: bumping w2 would free a seat only WALKIN may use.
    const d = new Desk(policy({ allowance: { WALKIN: 1 } })).slot('s9', '09:00', '10:00', 2);
    d.issue('w1', 'WALKIN', { slotId: 's9' });
    d.issue('w2', 'WALKIN', { slotId: 's9' });
    const out = d.issue('p', 'PAID', { slotId: 's9' });
    expect(out.ok && out.bumpedTokenId).toBeUndefined();
    expect([d.where('w1'), d.where('w2'), d.where('p')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9', 'WAITLISTED']);
    expect(d.events('TokenBumped')).toEqual([]);
  });
});

/**
 * y (ONLINE) books s10 at 08:00; x (ONLINE) books s9 at 08:05 and is bumped into s10 by a PAID token:
 * s10 then holds the earlier booker never bumped (y) and the later booker bumped once (x).
 */
function bumpedLaterBooker(p: Policy): Desk {
  const d = new Desk(p).slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 2).slot('s11', '11:00', '12:00', 2);
  d.issue('y', 'ONLINE', { slotId: 's10', at: '08:00' });
  d.issue('x', 'ONLINE', { slotId: 's9', at: '08:05' });
  d.issue('p1', 'PAID', { slotId: 's9', at: '08:10' });
  expect([d.where('x'), d.token('x').bumps, d.where('y'), d.token('y').bumps]).toEqual(['ALLOCATED@s10', 1, 'ALLOCATED@s10', 0]);
  return d;
}

describe('SPEC 4: the last booked is bumped, even if it was bumped before (fewer than maxBumps times)', () => {
  it('a PAID newcomer in s10 bumps x (booked 08:05, bumped once), not y (booked 08:00, never bumped)', () => {
    const d = bumpedLaterBooker(policy({ maxBumps: 2 }));
    const out = d.issue('p2', 'PAID', { slotId: 's10', at: '08:20' });
    expect(out.ok && out.bumpedTokenId).toBe('x');
    expect([d.where('x'), d.token('x').bumps, d.where('y'), d.where('p2')]).toEqual(['ALLOCATED@s11', 2, 'ALLOCATED@s10', 'ALLOCATED@s10']);
  });
});

describe('SPEC 6: a capacity cut moves out the last booked, even if it was bumped before', () => {
  it('s10 cut to 1 seat: x (booked 08:05, bumped once) moves to s11; y (booked 08:00) stays', () => {
    const d = bumpedLaterBooker(policy({ maxBumps: 2 }));
    d.ok({ type: 'changeCapacity', slotId: 's10', capacity: 1 }, '08:30');
    expect([d.where('x'), d.where('y')]).toEqual(['ALLOCATED@s11', 'ALLOCATED@s10']);
    expect(d.events('TokenAllocated').at(-1)).toEqual({
      type: 'TokenAllocated',
      at: at('08:30'),
      tokenId: 'x',
      slotId: 's11',
      reason: 'moved',
      fromSlotId: 's10',
      cause: 'capacity-reduced',
    });
  });
});

describe('SPEC 3, 6: a capacity cut moves only what exceeds a limit, the tightest limit first', () => {
  it('an EMERGENCY in its allowance and an ONLINE within capacity both stay when 2 seats become 1', () => {
    // Capacity 1: ONLINE may hold 1 seat, EMERGENCY 2 (its +1). o is ONLINE's one seat, e the overflow.
    const d = new Desk(policy({})).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('o', 'ONLINE', { slotId: 's9' });
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    const events = d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '08:30');
    expect([d.where('o'), d.where('e')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9']);
    expect(events.map((e) => e.type)).toEqual(['SlotCapacityChanged']);
  });

  it('checked-in ONLINE tokens over ONLINE’s new limit move out; the ALLOCATED EMERGENCY within its allowance stays', () => {
    // s9 holds o1, o2 (ONLINE, checked in) and e (EMERGENCY, the overflow seat). Cut to capacity 1,
    // ONLINE may hold 1 and EMERGENCY 2: only o2 (the last booked ONLINE) has to go. Taking the
    // EMERGENCY first because it is the only ALLOCATED token would move it for nothing.
    const d = new Desk(policy({})).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('o1', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('o2', 'ONLINE', { slotId: 's9', at: '08:01' });
    d.issue('e', 'EMERGENCY', { slotId: 's9', at: '08:02' });
    d.ok({ type: 'checkIn', tokenId: 'o1' }, '08:10');
    d.ok({ type: 'checkIn', tokenId: 'o2' }, '08:11');
    const events = d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '08:30');
    expect([d.where('o1'), d.where('o2'), d.where('e')]).toEqual(['CHECKED_IN@s9', 'CHECKED_IN@s10', 'ALLOCATED@s9']);
    expect(events).toEqual([
      { type: 'SlotCapacityChanged', at: at('08:30'), slotId: 's9', from: 2, to: 1, reason: 'set' },
      { type: 'TokenAllocated', at: at('08:30'), tokenId: 'o2', slotId: 's10', reason: 'moved', fromSlotId: 's9', cause: 'capacity-reduced' },
    ]);
  });
});

describe('SPEC 3, 5, 9: a seat opened by a reserve release names that cause, even when the policy changes at the same moment', () => {
  it('o waits for ONLINE’s reserved seat; at 08:45 the reserve is released and a new maxSkips recorded: o is promoted with cause reserve-released', () => {
    const reserved = { allowance: { ONLINE: -1 }, preemption: 'off' } as const;
    const d = new Desk(policy(reserved)).slot('s9', '09:00', '10:00', 1);
    d.issue('o', 'ONLINE', { at: '08:00' });
    expect(d.where('o')).toBe('WAITLISTED');
    d.policy = policy({ ...reserved, maxSkips: 3 }); // a change that opens no seat by itself
    const events = d.ok({ type: 'tick' }, '08:45');
    expect(events.map((e) => e.type)).toEqual(['PolicyChanged', 'SlotReserveReleased', 'TokenAllocated']);
    expect(events[2]).toEqual({ type: 'TokenAllocated', at: at('08:45'), tokenId: 'o', slotId: 's9', reason: 'promoted', cause: 'reserve-released' });
  });
});
