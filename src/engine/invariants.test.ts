// The invariant checker is what the property tests and the simulator trust: each promise it checks
// (SPEC 3, 5, 7) must be reported when a doctor-day breaks it. Each test builds a sound day with the
// engine, breaks one thing by hand (as a bug in the fold or the indexes would) and expects exactly
// that problem, in words.
import { describe, expect, it } from 'vitest';
import { checkInvariants, eligibleSlots } from './invariants.ts';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';
import type { Token } from './types.ts';

/**
 * s9 (09:00–10:00, 2 seats) holds a and b; c waits tied to s9; s10 (10:00–11:00, 2 seats) holds d.
 * Every token has a patient id. Preemption is off so that nobody moves while the day is built.
 */
function sound(): Desk {
  const d = new Desk(policy({ preemption: 'off', allowance: {} })).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
  d.issue('a', 'ONLINE', { slotId: 's9', patientId: 'p-a' });
  d.issue('b', 'ONLINE', { slotId: 's9', patientId: 'p-b' });
  d.issue('c', 'ONLINE', { slotId: 's9', patientId: 'p-c' });
  d.issue('d', 'WALKIN', { slotId: 's10', patientId: 'p-d' });
  return d;
}

const problems = (d: Desk) => checkInvariants(d.day, d.now);
const slot = (d: Desk, id: string) => d.day.slotById.get(id)!;

describe('the invariant checker reports each broken promise', () => {
  it('a sound day has no problems (the base every other test breaks)', () => {
    const d = sound();
    expect([d.where('a'), d.where('b'), d.where('c'), d.where('d')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9', 'WAITLISTED', 'ALLOCATED@s10']);
    expect(problems(d)).toEqual([]);
  });

  it('a token of an unknown status', () => {
    const d = sound();
    (d.token('d') as { status: string }).status = 'LOST';
    // Its seat is still counted in s10 and its patient in the duplicate index, yet no known status holds them.
    expect(problems(d)).toEqual([
      'GM-004 has unknown status LOST',
      '3 tokens in seat queues, 2 ALLOCATED',
      'ALLOCATED counters say 3, 2 are',
      'duplicate index holds tokens that are not live',
      'slot s10: occupied 1 but 0 seated',
      'slot s10: seat index out of step',
      'slot s10: WALKIN counter 1 but 0 seated',
    ]);
  });

  it('SPEC 7: a token number issued twice, or a label used twice', () => {
    const d = sound();
    (d.token('b') as { number: number }).number = 1;
    expect(problems(d)).toEqual(['GM-002: number used twice']);
    const e = sound();
    (e.token('b') as { label: string }).label = 'GM-001';
    expect(problems(e)).toEqual(['GM-001: number used twice']);
  });

  it('SPEC 7: a token number above the last one issued', () => {
    const d = sound();
    d.day.lastNumber = 3;
    expect(problems(d)).toEqual(['GM-004: number above the last issued']);
    d.day.lastNumber = 4;
    expect(problems(d)).toEqual([]);
  });

  it('a seated token without a slot, or with a slot the day does not have', () => {
    const d = sound();
    d.token('d').slotId = null;
    expect(problems(d)).toContain('GM-004 is ALLOCATED without a slot');
    const e = sound();
    e.token('d').slotId = 'nowhere';
    expect(problems(e)).toContain('GM-004 is ALLOCATED without a slot');
  });

  it('a waitlisted token that holds a slot', () => {
    const d = sound();
    d.token('c').slotId = 's10';
    expect(problems(d)).toEqual(['GM-003 is waitlisted yet holds slot s10']);
  });

  it('SPEC 7: one patient with two live tokens', () => {
    const d = sound();
    (d.token('b') as { patientKey?: string }).patientKey = 'id:p-a';
    expect(problems(d)).toEqual([
      'GM-002: patient already holds live token GM-001',
      'GM-002: missing from the duplicate index',
      'duplicate index holds tokens that are not live',
    ]);
  });

  it('SPEC 7: the duplicate index misses a live token, or keeps one that is no longer live', () => {
    const d = sound();
    d.day.livePatients.delete('id:p-c');
    expect(problems(d)).toEqual(['GM-003: missing from the duplicate index', 'duplicate index holds tokens that are not live']);
    const e = sound();
    e.day.livePatients.set('id:gone', 'a');
    expect(problems(e)).toEqual(['duplicate index holds tokens that are not live']);
  });

  it('a patient without id or phone needs no duplicate index entry', () => {
    const d = sound();
    d.issue('anon', 'WALKIN', { slotId: 's10' });
    expect(d.token('anon').patientKey).toBeUndefined();
    expect(problems(d)).toEqual([]);
  });

  it('SPEC 5: an effective rank above the base rank, or aged below the floor', () => {
    const d = sound();
    d.token('c').effectiveRank = 4; // ONLINE is rank 3
    expect(problems(d)).toContain('GM-003: effective rank 4 outside [floor, 3]');
    const e = sound(); // the floor is 1
    e.token('c').effectiveRank = 0;
    expect(problems(e)).toContain('GM-003: effective rank 0 outside [floor, 3]');
    const f = sound(); // aged down to the floor, not below it: sound
    f.token('c').effectiveRank = 1;
    expect(problems(f).filter((p) => p.includes('effective rank'))).toEqual([]);
  });

  it('the waitlist counter out of step', () => {
    const d = sound();
    d.day.waitlisted = 2;
    expect(problems(d)).toEqual(['waitlist counter 2 but 1 tokens wait']);
  });

  it('a waiting token missing from its waitlist queue, or a seated one missing from its seat queue', () => {
    const d = sound();
    slot(d, 's9').tiedWait[3]!.delete(d.token('c'));
    expect(problems(d)).toEqual(['0 tokens in waitlist queues, 1 WAITLISTED']);
    const e = sound();
    const a = e.token('a');
    slot(e, 's9').allocated[a.rank]![a.bumps]!.delete(a);
    expect(problems(e)).toEqual(['2 tokens in seat queues, 3 ALLOCATED']);
  });

  it('a waiting token counted in the untied or the flexible queues too', () => {
    const d = sound();
    d.day.untiedWait[3]!.add(d.token('c'));
    expect(problems(d)).toEqual(['2 tokens in waitlist queues, 1 WAITLISTED']);
    const e = sound();
    slot(e, 's10').flexWait[3]!.add(e.token('c'));
    expect(problems(e)).toEqual(['2 tokens in waitlist queues, 1 WAITLISTED']);
  });

  it('the ALLOCATED counter of a slot out of step', () => {
    const d = sound();
    slot(d, 's10').allocatedCount = 0;
    expect(problems(d)).toEqual(['ALLOCATED counters say 2, 3 are']);
  });

  it('the serving queue and the checked-in index of a slot differ', () => {
    const d = sound();
    d.ok({ type: 'checkIn', tokenId: 'a' });
    slot(d, 's9').serving.delete(d.token('a'));
    expect(problems(d)).toEqual(['slot s9: serving queue and checked-in index differ']);
  });

  it('a checked-in token missing from both serving indexes', () => {
    const d = sound();
    d.ok({ type: 'checkIn', tokenId: 'a' });
    const a = d.token('a');
    slot(d, 's9').serving.delete(a);
    slot(d, 's9').checkedIn[a.rank]!.delete(a);
    expect(problems(d)).toEqual(['0 tokens in serving queues, 1 CHECKED_IN']);
  });

  it('the waiting counter and the aging queues out of step', () => {
    const d = sound();
    d.day.waiting = 0;
    expect(problems(d)).toEqual(['waiting counter 0 out of step']);
    const e = sound();
    const c = e.token('c');
    e.day.aging[c.rank]![0]!.delete(c);
    expect(problems(e)).toEqual(['0 tokens in aging queues']);
  });

  it('SPEC 3: slots that overlap', () => {
    const d = sound();
    slot(d, 's9').end = at('10:30');
    expect(problems(d)).toEqual(['slot s10 overlaps the one before']);
    slot(d, 's9').end = at('10:00'); // ending where the next starts is no overlap
    expect(problems(d)).toEqual([]);
  });

  it('SPEC 3: a slot whose occupied counter, seat index or per-source counter is off by one', () => {
    const d = sound();
    slot(d, 's10').occupied = 2;
    expect(problems(d)).toEqual(['slot s10: occupied 2 but 1 seated']);
    const e = sound();
    slot(e, 's10').seated.delete(e.token('d'));
    expect(problems(e)).toEqual(['slot s10: seat index out of step']);
    const f = sound();
    slot(f, 's10').seatedByRank[4] = 0;
    expect(problems(f)).toEqual(['slot s10: WALKIN counter 0 but 1 seated']);
  });

  it('SPEC 6: the seat index out of serving order (a field its order reads changed in place)', () => {
    const d = sound();
    d.token('a').requeue = 1; // as if a skip had put a behind b without taking it out of the index first
    expect(problems(d)).toEqual(['slot s9: seat index holds GM-001 where serving order puts GM-002']);
    const e = sound();
    e.ok({ type: 'checkIn', tokenId: 'b' });
    e.ok({ type: 'callNext' });
    e.token('b').status = 'CHECKED_IN'; // as if the call had not reached the index: b stays first, called
    expect(problems(e)).toContain('slot s9: seat index holds GM-002 where serving order puts GM-001');
  });

  it('SPEC 3: an over-full slot breaks its limit and the hard limit', () => {
    const d = sound();
    slot(d, 's9').capacity = 1; // as if a capacity cut had moved nobody out
    expect(problems(d)).toEqual([
      "slot s9: 2 seated within EMERGENCY's limit of 1",
      "slot s9: 2 seated within PAID's limit of 1",
      "slot s9: 2 seated within FOLLOWUP's limit of 1",
      "slot s9: 2 seated within ONLINE's limit of 1",
      "slot s9: 2 seated within WALKIN's limit of 1",
      'slot s9: 2 seated above the hard limit 1',
    ]);
  });

  it('SPEC 3: a full slot is within its limits; one more seat breaks only the tight sources', () => {
    const d = new Desk(policy({ preemption: 'off', allowance: { EMERGENCY: 1, WALKIN: -1 }, reserveReleaseMinutes: 0 }));
    d.slot('s9', '09:00', '10:00', 2);
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    d.issue('o', 'ONLINE', { slotId: 's9' });
    d.issue('e2', 'EMERGENCY', { slotId: 's9' }); // the EMERGENCY allowance: 3 seats of 2
    expect(problems(d)).toEqual([]);
    slot(d, 's9').capacity = 1; // EMERGENCY may hold 2, ONLINE 1, WALKIN 0 (reserve not yet released)
    // ONLINE's group (sources whose limit is at most 1) holds o alone: within it. EMERGENCY's group is all 3.
    expect(problems(d)).toEqual(["slot s9: 3 seated within EMERGENCY's limit of 2", 'slot s9: 3 seated above the hard limit 2']);
  });

  it('SPEC 3: called and completed tokens may stand above a limit that shrank under them; ended slots are history', () => {
    const d = sound();
    d.ok({ type: 'checkIn', tokenId: 'a' }, '09:00');
    d.ok({ type: 'checkIn', tokenId: 'b' });
    d.ok({ type: 'callNext' });
    d.ok({ type: 'complete', tokenId: 'a' });
    d.ok({ type: 'callNext' });
    expect([d.status('a'), d.status('b')]).toEqual(['COMPLETED', 'CALLED']);
    slot(d, 's9').capacity = 1;
    expect(problems(d)).toEqual([]);
    const e = sound();
    e.ok({ type: 'checkIn', tokenId: 'a' }, '09:00');
    e.ok({ type: 'callNext' });
    slot(e, 's9').capacity = 1; // a called, b still allocated: 2 seated, 1 fixed, limit 1
    expect(problems(e)).toContain('slot s9: 2 seated above the hard limit 1');
    expect(checkInvariants(e.day, at('10:00'))).toEqual([]); // s9 has ended: no limit binds it
  });

  it('SPEC 5: a waiting token while an eligible slot has a seat it fits', () => {
    const d = sound();
    slot(d, 's9').capacity = 3;
    expect(problems(d)).toEqual(['GM-003 waits while slot s9 has a seat it fits (2/3)']);
    const e = sound(); // c is tied to s9 only: a free seat in s10 is not one it may take
    slot(e, 's10').capacity = 3;
    expect(problems(e)).toEqual([]);
    expect(checkInvariants(d.day, at('10:00'))).toEqual([]); // s9 has ended: the seat is gone
  });
});

describe('the invariant checker without a policy, and its clock', () => {
  it('with no policy recorded, no floor, limit or free seat is judged, and nothing throws', () => {
    const d = sound();
    d.day.policy = null;
    d.token('c').effectiveRank = 0; // aged, but no floor is known
    slot(d, 's9').capacity = 1; // over-full, but no limit is known
    expect(problems(d)).toEqual([]);
    d.token('c').effectiveRank = 4; // above its base rank needs no policy to be wrong
    expect(problems(d)).toEqual(['GM-003: effective rank 4 outside [floor, 3]']);
  });

  it("judges at the doctor-day's own clock when no time is given", () => {
    const d = sound();
    slot(d, 's9').capacity = 1;
    expect(checkInvariants(d.day)).toEqual(problems(d));
    expect(checkInvariants(d.day)).toContain('slot s9: 2 seated above the hard limit 1');
    d.day.clock = at('10:00'); // s9 has ended by the day's clock
    expect(checkInvariants(d.day)).toEqual([]);
  });
});

describe('eligibleSlots: the open slots a waiting token may be seated in (SPEC 5)', () => {
  const day = () => {
    const d = new Desk(policy({ preemption: 'off' }))
      .slot('s9', '09:00', '10:00', 0)
      .slot('s10', '10:00', '11:00', 0)
      .slot('s11', '11:00', '12:00', 0);
    d.issue('untied', 'WALKIN');
    d.issue('tied', 'WALKIN', { slotId: 's10' });
    d.issue('flex', 'WALKIN', { slotId: 's10', flexible: true });
    return d;
  };
  const ids = (d: Desk, t: Token, now: string) => eligibleSlots(d.day, t, at(now)).map((s) => s.id);

  it('untied: every slot that has not ended; tied: its slot only; flexible: its slot and later ones', () => {
    const d = day();
    expect(ids(d, d.token('untied'), '08:00')).toEqual(['s9', 's10', 's11']);
    expect(ids(d, d.token('tied'), '08:00')).toEqual(['s10']);
    expect(ids(d, d.token('flex'), '08:00')).toEqual(['s10', 's11']);
  });

  it('a slot that ends at `now` is no longer eligible', () => {
    const d = day();
    expect(ids(d, d.token('untied'), '09:59')).toEqual(['s9', 's10', 's11']);
    expect(ids(d, d.token('untied'), '10:00')).toEqual(['s10', 's11']);
    expect(ids(d, d.token('tied'), '11:00')).toEqual([]);
    expect(ids(d, d.token('flex'), '11:00')).toEqual(['s11']);
  });
});
