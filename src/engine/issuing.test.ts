// SPEC 4: issuing a token — candidate slots, free seats, preemption and its limits.
import { describe, expect, it } from 'vitest';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';

/** Three hourly slots of capacity 2 from 09:00. */
const morning = (p = policy({})) =>
  new Desk(p).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2).slot('s11', '11:00', '12:00', 2);

describe('SPEC 4 issuing', () => {
  it('without a slotId: the earliest slot that has not ended and has a seat', () => {
    const d = morning();
    d.issue('a', 'WALKIN', { at: '09:30' });
    d.issue('b', 'WALKIN', { at: '10:05' }); // 09:00–10:00 has ended
    expect([d.where('a'), d.where('b')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s10']);
  });

  it('a tied request (slotId, not flexible) waits tied to that slot when it is full, even if later slots are free', () => {
    const d = morning(policy({ preemption: 'off' }));
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.issue('c', 'ONLINE', { slotId: 's9' });
    expect(d.where('c')).toBe('WAITLISTED');
    expect(d.token('c').tie).toEqual({ slotId: 's9', flexible: false });
    expect(d.occupied('s10')).toBe(0);
  });

  it('a flexible request takes the next later slot with a seat', () => {
    const d = morning(policy({ preemption: 'off' }));
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.issue('c', 'ONLINE', { slotId: 's9', flexible: true });
    expect(d.where('c')).toBe('ALLOCATED@s10');
  });

  it('preemption: a PAID token bumps the last-booked ONLINE token; the early booker keeps its seat', () => {
    const d = morning();
    d.issue('early', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('late', 'ONLINE', { slotId: 's9', at: '08:30' });
    const out = d.issue('paid', 'PAID', { slotId: 's9', at: '09:15' });
    expect(out.ok && out.bumpedTokenId).toBe('late');
    expect([d.where('paid'), d.where('early'), d.where('late')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9', 'ALLOCATED@s10']);
    expect(d.events('TokenBumped')).toEqual([
      { type: 'TokenBumped', at: at('09:15'), tokenId: 'late', byTokenId: 'paid', fromSlotId: 's9', toSlotId: 's10' },
    ]);
    expect(d.events('TokenAllocated').at(-1)).toMatchObject({ tokenId: 'paid', reason: 'preempted-other', bumpedTokenId: 'late' });
  });

  it('the victim is the greatest base rank first: a WALKIN booked early goes before an ONLINE booked late', () => {
    const d = morning();
    d.issue('walkin', 'WALKIN', { slotId: 's9', at: '08:00' });
    d.issue('online', 'ONLINE', { slotId: 's9', at: '08:30' });
    const out = d.issue('paid', 'PAID', { slotId: 's9', at: '09:00' });
    expect(out.ok && out.bumpedTokenId).toBe('walkin');
  });

  it('a bumped token keeps its issuedAt and its bumps grow by 1', () => {
    const d = morning();
    d.issue('a', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('b', 'ONLINE', { slotId: 's9', at: '08:10' });
    d.issue('p', 'PAID', { slotId: 's9', at: '09:15' });
    expect(d.token('b').issuedAt).toBe(at('08:10'));
    expect(d.token('b').bumps).toBe(1);
  });

  it('a bumped token is re-placed in a later slot before the waitlist; with no later seat it waits, flexible from its slot', () => {
    const d = morning();
    for (const id of ['x1', 'x2', 'y1', 'y2']) d.issue(id, 'ONLINE', { slotId: id.startsWith('x') ? 's10' : 's11' });
    d.issue('a', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('b', 'ONLINE', { slotId: 's9', at: '08:10' });
    d.issue('p', 'PAID', { slotId: 's9', at: '09:15' });
    expect(d.where('b')).toBe('WAITLISTED');
    expect(d.token('b').tie).toEqual({ slotId: 's9', flexible: true });
    expect(d.events('TokenBumped').at(-1)).toMatchObject({ tokenId: 'b', toSlotId: null });
    d.ok({ type: 'cancel', tokenId: 'y1' }, '09:20'); // a seat in a later slot: the bumped token takes it
    expect(d.where('b')).toBe('ALLOCATED@s11');
  });

  it('the bumped token never bumps anyone: it skips a later slot full of WALKINs', () => {
    const d = morning();
    d.issue('w1', 'WALKIN', { slotId: 's10' });
    d.issue('w2', 'WALKIN', { slotId: 's10' });
    d.issue('a', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('b', 'ONLINE', { slotId: 's9', at: '08:10' });
    d.issue('p', 'PAID', { slotId: 's9', at: '09:15' });
    expect(d.where('b')).toBe('ALLOCATED@s11');
    expect([d.where('w1'), d.where('w2')]).toEqual(['ALLOCATED@s10', 'ALLOCATED@s10']);
    expect(d.events('TokenBumped')).toHaveLength(1);
  });

  it('maxBumps 1: a token bumped once is protected; the next PAID waits instead', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('o', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('p1', 'PAID', { slotId: 's9', at: '08:10' }); // bumps o to s10
    expect(d.where('o')).toBe('ALLOCATED@s10');
    const out = d.issue('p2', 'PAID', { slotId: 's10', at: '08:20' });
    expect(out.ok && out.bumpedTokenId).toBeUndefined();
    expect(d.where('p2')).toBe('WAITLISTED');
    expect(d.where('o')).toBe('ALLOCATED@s10');
  });

  it('maxBumps 2: the same token may be bumped twice', () => {
    const d = new Desk(policy({ maxBumps: 2 })).slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('o', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('p1', 'PAID', { slotId: 's9', at: '08:10' });
    d.issue('p2', 'PAID', { slotId: 's10', at: '08:20' });
    expect(d.token('o').bumps).toBe(2);
    expect(d.where('o')).toBe('WAITLISTED');
  });

  it('at most one token is bumped per request: one PAID displaces one ONLINE, never two', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.issue('p', 'PAID', { slotId: 's9' });
    expect(d.events('TokenBumped')).toHaveLength(1);
    expect(d.occupied('s9')).toBe(2);
  });

  it('an EMERGENCY is never bumped, and neither is a checked-in token', () => {
    const d = new Desk(policy({ allowance: {} })).slot('s9', '09:00', '10:00', 2);
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    d.issue('w', 'WALKIN', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'w' }, '08:30');
    d.issue('e2', 'EMERGENCY', { slotId: 's9' });
    expect(d.where('e2')).toBe('WAITLISTED');
    expect(d.events('TokenBumped')).toHaveLength(0);
  });

  it('strictly greater rank only: an ONLINE never bumps another ONLINE', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    expect(d.where('b')).toBe('WAITLISTED');
  });

  it('policy emergency-only: a PAID waits, an EMERGENCY (over a used overflow) bumps', () => {
    const d = new Desk(policy({ preemption: 'emergency-only', allowance: {} })).slot('s9', '09:00', '10:00', 1);
    d.issue('w', 'WALKIN', { slotId: 's9' });
    d.issue('p', 'PAID', { slotId: 's9' });
    expect(d.where('p')).toBe('WAITLISTED');
    const out = d.issue('e', 'EMERGENCY', { slotId: 's9' });
    expect(out.ok && out.bumpedTokenId).toBe('w');
  });

  it('policy off: nobody bumps, not even an EMERGENCY', () => {
    const d = new Desk(policy({ preemption: 'off', allowance: {} })).slot('s9', '09:00', '10:00', 1);
    d.issue('w', 'WALKIN', { slotId: 's9' });
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    expect(d.where('e')).toBe('WAITLISTED');
  });

  it('candidates in order: a bump in the first candidate slot comes before a free seat in a later one', () => {
    const d = morning();
    d.issue('a', 'WALKIN', { slotId: 's9' });
    d.issue('b', 'WALKIN', { slotId: 's9' });
    const out = d.issue('p', 'PAID');
    expect(out.ok && out.bumpedTokenId).toBe('b');
    expect(d.where('p')).toBe('ALLOCATED@s9');
    expect(d.where('b')).toBe('ALLOCATED@s10');
  });

  it('the newcomer must fit its own limit after the victim leaves: ONLINE −2 never bumps into a reserved seat', () => {
    const d = new Desk(policy({ allowance: { ONLINE: -2 } })).slot('s11', '11:00', '12:00', 2);
    d.issue('w1', 'WALKIN', { slotId: 's11' });
    d.issue('w2', 'WALKIN', { slotId: 's11' });
    d.issue('o', 'ONLINE', { slotId: 's11' });
    expect(d.where('o')).toBe('WAITLISTED');
    expect(d.events('TokenBumped')).toHaveLength(0);
  });

  it('no candidate fits → WAITLISTED, tied to the requested slot; untied without a slotId', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'ONLINE');
    d.issue('b', 'ONLINE');
    d.issue('c', 'ONLINE', { slotId: 's9' });
    expect(d.token('b').tie).toEqual({ slotId: null, flexible: false });
    expect(d.token('c').tie).toEqual({ slotId: 's9', flexible: false });
    expect(d.events('TokenWaitlisted').map((e) => e.reason)).toEqual(['no-seat', 'no-seat']);
  });

  it('a request for an ended slot is refused with SLOT_ENDED and changes nothing', () => {
    const d = morning();
    const out = d.issue('a', 'ONLINE', { slotId: 's9', at: '10:00' });
    expect(out).toMatchObject({ ok: false, code: 'SLOT_ENDED' });
    expect(d.day.tokens.size).toBe(0);
    const flexible = d.issue('b', 'ONLINE', { slotId: 's9', flexible: true, at: '10:00' });
    expect(d.where('b')).toBe('ALLOCATED@s10');
    expect(flexible.ok).toBe(true);
  });

  it('SPEC 4 NO_OPEN_SLOT: a day with no slots takes no token; once a slot is added it does', () => {
    const d = new Desk();
    expect(d.issue('a', 'WALKIN')).toMatchObject({ ok: false, code: 'NO_OPEN_SLOT' });
    expect(d.day.tokens.size).toBe(0);
    d.slot('s14', '14:00', '15:00', 1);
    d.issue('a', 'WALKIN');
    expect(d.where('a')).toBe('ALLOCATED@s14');
  });
});
