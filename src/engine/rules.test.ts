// Rules that the other example tests reached but did not pin down: each test here fails when its
// rule is broken (found by mutation testing, docs/testing.md).
import { describe, expect, it } from 'vitest';
import { execute } from './commands.ts';
import { apply, openDoctorDay } from './doctor-day.ts';
import { DEFAULT_POLICY, allowanceOf, hardLimit, mergePolicy } from './policy.ts';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';
import type { Policy } from './types.ts';

describe('SPEC 3: slots in start order', () => {
  it('a slot created before an existing one is placed before it, and untied tokens take it first', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s11', '11:00', '12:00', 1).slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    expect(d.day.slots.map((s) => s.id)).toEqual(['s9', 's10', 's11']);
    d.issue('a', 'WALKIN');
    d.issue('b', 'WALKIN');
    expect([d.where('a'), d.where('b')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s10']);
  });

  it('a flexible request moves on to the slots after its own in time, not in creation order', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s11', '11:00', '12:00', 1).slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('a', 'WALKIN', { slotId: 's9' });
    d.issue('b', 'WALKIN', { slotId: 's9', flexible: true });
    expect(d.where('b')).toBe('ALLOCATED@s10');
  });
});

describe('SPEC 3: the hard limit', () => {
  it('is capacity + the largest allowance, and 0 for a closed slot', () => {
    const p = policy({ allowance: { EMERGENCY: 2, ONLINE: -1 } });
    expect(hardLimit(p, { capacity: 3, reserveReleased: false })).toBe(5);
    expect(hardLimit(policy({ allowance: { ONLINE: -1, WALKIN: -2 } }), { capacity: 3, reserveReleased: false })).toBe(3);
    expect(hardLimit(p, { capacity: 0, reserveReleased: false })).toBe(0);
  });
});

describe('SPEC 4: preemption picks the last booked, whatever its bump count', () => {
  /** x (ONLINE, booked 08:00) is bumped once into s10; y (ONLINE, booked 08:20) joins it there. */
  function twoOnlineInS10(p: Policy): Desk {
    const d = new Desk(p).slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 2).slot('s11', '11:00', '12:00', 2);
    d.issue('x', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('p1', 'PAID', { slotId: 's9', at: '08:10' });
    expect([d.where('x'), d.token('x').bumps]).toEqual(['ALLOCATED@s10', 1]);
    d.issue('y', 'ONLINE', { slotId: 's10', at: '08:20' });
    expect(d.occupied('s10')).toBe(2);
    return d;
  }

  it('a newcomer bumps the later booker (never bumped) rather than the earlier one (bumped once)', () => {
    const d = twoOnlineInS10(policy({ maxBumps: 2 }));
    const out = d.issue('p2', 'PAID', { slotId: 's10', at: '08:30' });
    expect(out.ok && out.bumpedTokenId).toBe('y');
    expect([d.where('x'), d.where('y')]).toEqual(['ALLOCATED@s10', 'ALLOCATED@s11']);
  });

  it('the earlier booker is bumped once the later one is out of reach (maxBumps)', () => {
    const d = twoOnlineInS10(policy({ maxBumps: 2 }));
    d.ok({ type: 'checkIn', tokenId: 'y' }, '08:25');
    const out = d.issue('p2', 'PAID', { slotId: 's10', at: '08:30' });
    expect(out.ok && out.bumpedTokenId).toBe('x');
    expect(d.token('x').bumps).toBe(2);
  });

  it('SPEC 6: a capacity cut moves out the later booker (never bumped) before the earlier one (bumped once)', () => {
    const d = twoOnlineInS10(policy({ maxBumps: 2 }));
    d.ok({ type: 'changeCapacity', slotId: 's10', capacity: 1 }, '08:40');
    expect([d.where('x'), d.where('y')]).toEqual(['ALLOCATED@s10', 'ALLOCATED@s11']);
    expect(d.token('y').tie).toEqual({ slotId: 's10', flexible: true }); // it may come back to s10 if a seat frees
    expect(d.events('TokenAllocated').at(-1)).toEqual({
      type: 'TokenAllocated',
      at: at('08:40'),
      tokenId: 'y',
      slotId: 's11',
      reason: 'moved',
      fromSlotId: 's10',
      cause: 'capacity-reduced',
    });
  });
});

describe('SPEC 4: a newcomer bumps only if it then fits within its own limit', () => {
  it('a PAID token does not bump a WALKIN from a slot that an EMERGENCY overflow filled beyond capacity', () => {
    const d = new Desk(policy({})).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('w', 'WALKIN', { slotId: 's9' });
    d.issue('o', 'ONLINE', { slotId: 's9' });
    d.issue('e', 'EMERGENCY', { slotId: 's9' }); // the EMERGENCY allowance: a third seat
    expect(d.occupied('s9')).toBe(3);
    const out = d.issue('p', 'PAID', { slotId: 's9' });
    // Bumping w would leave 3 seated, still beyond PAID's limit of 2.
    expect(out.ok && out.bumpedTokenId).toBeUndefined();
    expect([d.where('p'), d.where('w')]).toEqual(['WAITLISTED', 'ALLOCATED@s9']);
    expect(d.events('TokenBumped')).toEqual([]);
  });

  it('at exactly one over its limit, a bump makes room: the newcomer takes the seat', () => {
    const d = new Desk(policy({ allowance: { PAID: 1 } })).slot('s9', '09:00', '10:00', 2);
    d.issue('w', 'WALKIN', { slotId: 's9' });
    d.issue('o', 'ONLINE', { slotId: 's9' });
    d.issue('p0', 'PAID', { slotId: 's9' }); // PAID may hold 3
    const out = d.issue('e', 'EMERGENCY', { slotId: 's9' }); // EMERGENCY's limit is 2 now: 3 - 1 bump = 2 is not below it
    expect(out.ok && out.bumpedTokenId).toBeUndefined();
    const out2 = d.issue('p1', 'PAID', { slotId: 's9' }); // PAID's limit 3: bump w, 3 - 1 < 3
    expect(out2.ok && out2.bumpedTokenId).toBe('w');
  });
});

describe('SPEC 6: a move-out that leaves a seat promotes into it', () => {
  it('a called token skipped back into a shrunk slot moves out, and the waiting EMERGENCY takes the seat it leaves', () => {
    // s9 holds 2 ONLINE (both called) + 1 EMERGENCY (its allowance); e2 waits for s9 (preemption off).
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 2);
    d.issue('o1', 'ONLINE', { slotId: 's9' });
    d.issue('o2', 'ONLINE', { slotId: 's9' });
    d.issue('e1', 'EMERGENCY', { slotId: 's9' });
    d.issue('e2', 'EMERGENCY', { slotId: 's9' });
    expect(d.where('e2')).toBe('WAITLISTED');
    d.ok({ type: 'checkIn', tokenId: 'o1' }, '09:00');
    d.ok({ type: 'callNext' });
    d.ok({ type: 'checkIn', tokenId: 'o2' });
    d.ok({ type: 'callNext' });
    // Capacity 1: ONLINE may hold 1, EMERGENCY 2. The called tokens cannot move; e1 moves out instead.
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '09:05');
    expect([d.where('o1'), d.where('o2'), d.where('e1'), d.where('e2')]).toEqual(['CALLED@s9', 'CALLED@s9', 'WAITLISTED', 'WAITLISTED']);
    // o2 skipped is checked in again: it must move out (ONLINE's limit is 1), which leaves a seat an EMERGENCY fits.
    d.ok({ type: 'skip', tokenId: 'o2' }, '09:10');
    expect(d.where('o2')).toBe('WAITLISTED');
    expect(d.where('e1')).toBe('ALLOCATED@s9');
    expect(d.events('TokenAllocated').at(-1)).toStrictEqual({
      type: 'TokenAllocated',
      at: at('09:10'),
      tokenId: 'e1',
      slotId: 's9',
      reason: 'promoted',
      cause: 'capacity-reduced',
    });
  });
});

describe('SPEC 9: aging floor raised by a policy change', () => {
  it('only the tokens that aged below the new floor are raised to it; the others are left alone', () => {
    const d = new Desk(policy({ agingMinutes: 30, agingFloor: 0, preemption: 'off' })).slot('s9', '09:00', '17:00', 0);
    d.issue('old', 'WALKIN', { at: '08:00' }); // rank 4
    d.issue('mid', 'WALKIN', { at: '08:30' });
    d.issue('paid', 'PAID', { at: '08:30' }); // rank 1, never aged
    d.ok({ type: 'tick' }, '09:30');
    // old waited 90 min: 3 steps (rank 1); mid waited 60 min: 2 steps (rank 2); paid: 2 steps, floor 0 → rank 0
    expect([d.token('old').effectiveRank, d.token('mid').effectiveRank, d.token('paid').effectiveRank]).toEqual([1, 2, 0]);
    const before = d.log.length;
    d.policy = policy({ agingMinutes: 30, agingFloor: 2, preemption: 'off' });
    d.ok({ type: 'tick' }, '09:31');
    const aged = d.log.slice(before).filter((e) => e.type === 'TokenAged');
    // old (1) and paid (0, base rank 1: raised only to its base rank) were below 2; mid sat at 2.
    expect(aged).toEqual([
      { type: 'TokenAged', at: at('09:31'), tokenId: 'old', effectiveRank: 2 },
      { type: 'TokenAged', at: at('09:31'), tokenId: 'paid', effectiveRank: 1 },
    ]);
    expect([d.token('old').effectiveRank, d.token('mid').effectiveRank, d.token('paid').effectiveRank]).toEqual([2, 2, 1]);
  });

  it('a token that has not aged is never "raised", even if its base rank is below the floor', () => {
    const d = new Desk(policy({ agingMinutes: 30, agingFloor: 0, preemption: 'off' })).slot('s9', '09:00', '17:00', 0);
    d.issue('e', 'EMERGENCY', { at: '08:00' });
    d.issue('f', 'FOLLOWUP', { at: '08:00' });
    const before = d.log.length;
    d.policy = policy({ agingMinutes: 30, agingFloor: 3, preemption: 'off' });
    d.ok({ type: 'tick' }, '08:01');
    expect(d.log.slice(before).filter((e) => e.type === 'TokenAged')).toEqual([]);
  });

  it('aging steps once per agingMinutes waited, down to the floor and no further', () => {
    const d = new Desk(policy({ agingMinutes: 30, agingFloor: 2, preemption: 'off' })).slot('s9', '09:00', '17:00', 0);
    d.issue('w', 'WALKIN', { at: '08:00' });
    d.ok({ type: 'tick' }, '08:29');
    expect(d.token('w').effectiveRank).toBe(4);
    d.ok({ type: 'tick' }, '08:30');
    expect(d.token('w').effectiveRank).toBe(3);
    d.ok({ type: 'tick' }, '10:00');
    expect(d.token('w').effectiveRank).toBe(2);
    expect(d.events('TokenAged')).toEqual([
      { type: 'TokenAged', at: at('08:30'), tokenId: 'w', effectiveRank: 3 },
      { type: 'TokenAged', at: at('10:00'), tokenId: 'w', effectiveRank: 2 },
    ]);
  });
});

describe('SPEC 9: every policy change is recorded', () => {
  const changes: [string, Partial<Policy>][] = [
    ['preemption', { preemption: 'off' }],
    ['maxBumps', { maxBumps: 2 }],
    ['reserveReleaseMinutes', { reserveReleaseMinutes: 16 }],
    ['agingMinutes', { agingMinutes: 46 }],
    ['agingFloor', { agingFloor: 2 }],
    ['noShowGraceMinutes', { noShowGraceMinutes: 16 }],
    ['maxSkips', { maxSkips: 3 }],
    ['delayMode', { delayMode: 'shift' }],
    ['allowance', { allowance: { EMERGENCY: 1, WALKIN: 1 } }],
    ['allowance dropped', { allowance: {} }],
  ];

  it.each(changes)('a change of %s alone is a PolicyChanged event', (_field, change) => {
    const d = new Desk();
    d.ok({ type: 'tick' });
    const next = policy(change);
    const events = d.ok({ type: 'setPolicy', policy: next });
    expect(events).toEqual([{ type: 'PolicyChanged', at: at('08:00'), policy: { ...next, allowance: next.allowance } }]);
    expect(d.day.policy).toEqual(next);
  });

  it('the same policy again records nothing, however its allowance is spelled', () => {
    const d = new Desk();
    expect(d.ok({ type: 'tick' })).toEqual([{ type: 'PolicyChanged', at: at('08:00'), policy: DEFAULT_POLICY }]);
    expect(d.ok({ type: 'setPolicy', policy: policy({ allowance: { EMERGENCY: 1, PAID: 0 } }) })).toEqual([]);
    expect(d.ok({ type: 'setPolicy', policy: { ...DEFAULT_POLICY } })).toEqual([]);
  });

  it('the recorded policy is canonical: zero allowances left out, keys in a fixed order', () => {
    const d = new Desk();
    const events = d.ok({ type: 'setPolicy', policy: policy({ allowance: { WALKIN: 0, ONLINE: -1, EMERGENCY: 2 } }) });
    const recorded = (events[0] as { policy: Policy }).policy;
    expect(JSON.stringify(recorded.allowance)).toBe('{"EMERGENCY":2,"ONLINE":-1}');
    expect(Object.keys(recorded)).toEqual([
      'preemption',
      'maxBumps',
      'allowance',
      'reserveReleaseMinutes',
      'agingMinutes',
      'agingFloor',
      'noShowGraceMinutes',
      'maxSkips',
      'delayMode',
    ]);
  });

  it('a policy object changed in place between commands is checked and recorded again (no stale cache)', () => {
    const day = openDoctorDay({ doctorId: 'doc', date: '2026-01-05', code: 'GM' });
    const p = policy({});
    expect(execute(day, { type: 'tick' }, { now: at('08:00'), policy: p }).events).toHaveLength(1);
    expect(execute(day, { type: 'tick' }, { now: at('08:01'), policy: p }).events).toEqual([]);
    p.maxBumps = 3;
    expect(execute(day, { type: 'tick' }, { now: at('08:02'), policy: p }).events).toEqual([
      { type: 'PolicyChanged', at: at('08:02'), policy: { ...DEFAULT_POLICY, maxBumps: 3, allowance: { EMERGENCY: 1 } } },
    ]);
    p.allowance.PAID = 2;
    expect(execute(day, { type: 'tick' }, { now: at('08:03'), policy: p }).events[0]).toMatchObject({
      type: 'PolicyChanged',
      policy: { maxBumps: 3, allowance: { EMERGENCY: 1, PAID: 2 } },
    });
    p.maxSkips = -1;
    expect(execute(day, { type: 'tick' }, { now: at('08:04'), policy: p })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(day.policy?.maxSkips).toBe(2);
  });

  it('the recorded policy cannot be changed through the object the caller passed', () => {
    const day = openDoctorDay({ doctorId: 'doc', date: '2026-01-05', code: 'GM' });
    const p = policy({});
    execute(day, { type: 'tick' }, { now: at('08:00'), policy: p });
    p.allowance.EMERGENCY = 5;
    expect(day.policy?.allowance).toEqual({ EMERGENCY: 1 });
  });
});

describe('SPEC 6: the clock — no-shows and expiry at their exact times', () => {
  it('ALLOCATED tokens become NO_SHOW (auto, grace-expired) once the slot ended noShowGraceMinutes ago', () => {
    const d = new Desk(policy({ noShowGraceMinutes: 15 })).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's10' });
    d.ok({ type: 'tick' }, '10:14');
    expect(d.status('a')).toBe('ALLOCATED');
    d.ok({ type: 'tick' }, '10:15');
    expect(d.events('TokenNoShow')).toEqual([{ type: 'TokenNoShow', at: at('10:15'), tokenId: 'a', auto: true, reason: 'grace-expired' }]);
    expect(d.status('b')).toBe('ALLOCATED');
  });

  it('a waitlisted token tied to one slot expires once that slot ends; flexible and untied ones once the last slot ends', () => {
    const d = new Desk(policy({ preemption: 'off', agingMinutes: null })).slot('s9', '09:00', '10:00', 0).slot('s10', '10:00', '11:00', 0);
    d.issue('tied9', 'ONLINE', { slotId: 's9' });
    d.issue('flex9', 'ONLINE', { slotId: 's9', flexible: true });
    d.issue('tied10', 'ONLINE', { slotId: 's10' });
    d.issue('untied', 'ONLINE');
    d.ok({ type: 'tick' }, '09:59');
    expect(d.events('TokenExpired')).toEqual([]);
    d.ok({ type: 'tick' }, '10:00');
    expect(d.events('TokenExpired')).toEqual([{ type: 'TokenExpired', at: at('10:00'), tokenId: 'tied9' }]);
    d.ok({ type: 'tick' }, '10:59');
    expect(d.events('TokenExpired')).toHaveLength(1);
    d.ok({ type: 'tick' }, '11:00');
    expect(d.events('TokenExpired').map((e) => e.tokenId)).toEqual(['tied9', 'flex9', 'tied10', 'untied']);
  });

  it('expiry is in token-number order across slots and the untied waitlist', () => {
    const d = new Desk(policy({ preemption: 'off', agingMinutes: null })).slot('s9', '09:00', '10:00', 0).slot('s10', '10:00', '11:00', 0);
    d.issue('u1', 'WALKIN');
    d.issue('t10', 'EMERGENCY', { slotId: 's10' });
    d.issue('f9', 'PAID', { slotId: 's9', flexible: true });
    d.ok({ type: 'tick' }, '12:00');
    expect(d.events('TokenExpired').map((e) => e.tokenId)).toEqual(['u1', 't10', 'f9']);
  });
});

describe('SPEC 8: the reasons recorded in events', () => {
  it('a seat within capacity is free-seat; a seat from the allowance beyond capacity is overflow', () => {
    const d = new Desk(policy({})).slot('s9', '09:00', '10:00', 1);
    d.issue('e1', 'EMERGENCY', { slotId: 's9' });
    d.issue('e2', 'EMERGENCY', { slotId: 's9' });
    expect(d.events('TokenAllocated').map((e) => [e.tokenId, e.reason])).toEqual([
      ['e1', 'free-seat'],
      ['e2', 'overflow'],
    ]);
  });

  it('a staff no-show is not automatic; the no-show after maxSkips is', () => {
    const d = new Desk(policy({ maxSkips: 1 })).slot('s9', '09:00', '10:00', 3);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'noShow', tokenId: 'a' }, '09:00');
    d.ok({ type: 'checkIn', tokenId: 'b' });
    d.ok({ type: 'callNext' });
    expect(d.ok({ type: 'skip', tokenId: 'b' })).toEqual([{ type: 'TokenSkipped', at: at('09:00'), tokenId: 'b', skips: 1 }]);
    d.ok({ type: 'callNext' });
    d.ok({ type: 'skip', tokenId: 'b' });
    expect(d.events('TokenNoShow')).toEqual([
      { type: 'TokenNoShow', at: at('09:00'), tokenId: 'a', auto: false, reason: 'staff' },
      { type: 'TokenNoShow', at: at('09:00'), tokenId: 'b', auto: true, reason: 'max-skips' },
    ]);
  });

  it('a freed seat names its cause and the token that freed it', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'cancel', tokenId: 'a' });
    expect(d.events('TokenAllocated').at(-1)).toEqual({
      type: 'TokenAllocated',
      at: at('08:00'),
      tokenId: 'b',
      slotId: 's9',
      reason: 'promoted',
      cause: 'cancelled',
      causeTokenId: 'a',
    });
  });
});

describe('a refused command returns what its moment was due anyway', () => {
  it('a policy recorded before the refusal is in the failure and applied', () => {
    const day = openDoctorDay({ doctorId: 'doc', date: '2026-01-05', code: 'GM' });
    const out = execute(day, { type: 'callNext' }, { now: at('08:00'), policy: DEFAULT_POLICY });
    expect(out).toEqual({
      ok: false,
      code: 'QUEUE_EMPTY',
      message: 'no checked-in patient is waiting for this doctor',
      events: [{ type: 'PolicyChanged', at: at('08:00'), policy: DEFAULT_POLICY }],
    });
    expect(day.policy).toEqual(DEFAULT_POLICY);
  });
});

describe('SPEC 9: a doctor policy overrides the hospital default field by field', () => {
  it('no override is the default itself; an override replaces its fields and the whole allowance', () => {
    expect(mergePolicy(DEFAULT_POLICY, undefined)).toBe(DEFAULT_POLICY);
    const merged = mergePolicy(DEFAULT_POLICY, { maxBumps: 3, allowance: { PAID: 1 } });
    expect(merged).toEqual({ ...DEFAULT_POLICY, maxBumps: 3, allowance: { PAID: 1 } });
    expect(mergePolicy(DEFAULT_POLICY, { maxSkips: 0 })).toEqual({ ...DEFAULT_POLICY, maxSkips: 0, allowance: { EMERGENCY: 1 } });
  });

  it('the merged allowance is a copy: changing it changes neither the default nor the override', () => {
    const override = { allowance: { PAID: 1 } };
    const merged = mergePolicy(DEFAULT_POLICY, override);
    merged.allowance.PAID = 5;
    expect(override.allowance.PAID).toBe(1);
    const plain = mergePolicy(DEFAULT_POLICY, {});
    plain.allowance.EMERGENCY = 5;
    expect(DEFAULT_POLICY.allowance.EMERGENCY).toBe(1);
  });
});

describe('SPEC 9: the policy in force is frozen', () => {
  it('the recorded policy and its allowance cannot be changed by whoever reads the doctor-day', () => {
    const d = new Desk();
    d.ok({ type: 'tick' });
    expect(Object.isFrozen(d.day.policy)).toBe(true);
    expect(Object.isFrozen(d.day.policy!.allowance)).toBe(true);
  });
});

describe('SPEC 4: the request recorded with a token', () => {
  it('flexible means nothing without a slot: an untied request is recorded as not flexible', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 0);
    d.issue('u', 'WALKIN', { flexible: true });
    expect(d.token('u').tie).toEqual({ slotId: null, flexible: false });
    expect(d.events('TokenIssued')[0]!.request).toEqual({ slotId: null, flexible: false });
    d.issue('f', 'WALKIN', { slotId: 's9', flexible: true });
    expect(d.token('f').tie).toEqual({ slotId: 's9', flexible: true });
  });
});

describe('SPEC 6: the clock on days without slots, and at the aging floor', () => {
  it('a tick on a doctor-day with waiting tokens but no slots expires nobody', () => {
    // Such a day comes only from records kept before NO_OPEN_SLOT (SPEC 4): issuing now refuses it.
    const d = new Desk();
    const issued = { type: 'TokenIssued' as const, at: at('08:00'), tokenId: 'u', number: 1, label: 'GM-001', source: 'WALKIN' as const, request: { slotId: null, flexible: false } };
    d.ok({ type: 'tick' });
    apply(d.day, issued);
    d.log.push(issued);
    expect(d.ok({ type: 'tick' }, '23:00')).toEqual([{ type: 'TokenAged', at: at('23:00'), tokenId: 'u', effectiveRank: 1 }]);
    expect(d.where('u')).toBe('WAITLISTED');
  });

  it('a token aged to the floor is not aged again', () => {
    const d = new Desk(policy({ agingMinutes: 30, agingFloor: 3, preemption: 'off' })).slot('s9', '09:00', '17:00', 0);
    d.issue('w', 'WALKIN', { at: '08:00' });
    d.ok({ type: 'tick' }, '08:30');
    expect(d.token('w').effectiveRank).toBe(3);
    expect(d.ok({ type: 'tick' }, '12:00')).toEqual([]);
  });
});

describe('SPEC 6: a skip in an ended slot moves nobody', () => {
  it('a called token skipped after its shrunk slot ended stays checked in there, to be called again', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('o1', 'ONLINE', { slotId: 's9' });
    d.issue('o2', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'o1' }, '09:00');
    d.ok({ type: 'callNext' });
    d.ok({ type: 'checkIn', tokenId: 'o2' });
    d.ok({ type: 'callNext' });
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '09:30'); // both called: nobody can move
    d.ok({ type: 'skip', tokenId: 'o2' }, '10:05');
    expect(d.where('o2')).toBe('CHECKED_IN@s9');
    const open = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    open.issue('o1', 'ONLINE', { slotId: 's9' });
    open.issue('o2', 'ONLINE', { slotId: 's9' });
    open.ok({ type: 'checkIn', tokenId: 'o1' }, '09:00');
    open.ok({ type: 'callNext' });
    open.ok({ type: 'checkIn', tokenId: 'o2' });
    open.ok({ type: 'callNext' });
    open.ok({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '09:30');
    open.ok({ type: 'skip', tokenId: 'o2' }, '09:55'); // s9 still open: o2 is over ONLINE's limit and moves on
    expect(open.where('o2')).toBe('CHECKED_IN@s10');
    expect(open.events('TokenAllocated').at(-1)).toMatchObject({ tokenId: 'o2', reason: 'moved', cause: 'capacity-reduced' });
  });

  it('closing a slot (capacity 0) moves its tokens with cause slot-closed; a skip there too', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '09:00');
    d.ok({ type: 'callNext' });
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 });
    expect(d.events('TokenAllocated').at(-1)).toMatchObject({ tokenId: 'b', slotId: 's10', reason: 'moved', cause: 'slot-closed' });
    d.ok({ type: 'skip', tokenId: 'a' });
    expect(d.events('TokenAllocated').at(-1)).toMatchObject({ tokenId: 'a', slotId: 's10', reason: 'moved', cause: 'slot-closed' });
  });
});

describe('SPEC 3: a slot created inside its reserve lead opens its reserves at once', () => {
  it('the reserve of a slot starting within reserveReleaseMinutes is released as it is created', () => {
    const p = policy({ allowance: { ONLINE: -1 }, reserveReleaseMinutes: 15 });
    const d = new Desk(p);
    d.slot('late', '10:00', '11:00', 1); // 08:00: two hours ahead, the reserve holds
    d.issue('o', 'ONLINE', { slotId: 'late' });
    expect(d.where('o')).toBe('WAITLISTED');
    const events = d.ok({ type: 'createSlot', slot: { id: 'soon', start: at('08:15'), end: at('09:00'), capacity: 1 } });
    expect(events.map((e) => e.type)).toEqual(['SlotCreated', 'SlotReserveReleased']);
    expect(d.ok({ type: 'createSlot', slot: { id: 'later', start: at('12:00'), end: at('13:00'), capacity: 1 } }).map((e) => e.type)).toEqual([
      'SlotCreated',
    ]);
  });
});

describe('SPEC 5, 9: aging order', () => {
  it('tokens aged in one tick are recorded in token-number order, whatever their rank', () => {
    const d = new Desk(policy({ agingMinutes: 30, agingFloor: 0, preemption: 'off' })).slot('s9', '09:00', '17:00', 0);
    d.issue('w', 'WALKIN', { at: '08:00' });
    d.issue('p', 'PAID', { at: '08:00' });
    d.issue('o', 'ONLINE', { at: '08:00' });
    expect(d.ok({ type: 'tick' }, '08:30')).toEqual([
      { type: 'TokenAged', at: at('08:30'), tokenId: 'w', effectiveRank: 3 },
      { type: 'TokenAged', at: at('08:30'), tokenId: 'p', effectiveRank: 0 },
      { type: 'TokenAged', at: at('08:30'), tokenId: 'o', effectiveRank: 2 },
    ]);
  });

  it('aging counts from the start of the current wait: a token bumped back to the waitlist starts again', () => {
    // x (GM-001) waits only from 09:00, when it is bumped; y (GM-002) has waited since 08:30.
    const d = new Desk(policy({ agingMinutes: 45 })).slot('s9', '09:00', '10:00', 1);
    d.issue('x', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('y', 'ONLINE', { slotId: 's9', at: '08:30' });
    d.issue('p', 'PAID', { slotId: 's9', at: '09:00' });
    expect([d.where('x'), d.where('y'), d.where('p')]).toEqual(['WAITLISTED', 'WAITLISTED', 'ALLOCATED@s9']);
    expect(d.ok({ type: 'tick' }, '09:15')).toEqual([{ type: 'TokenAged', at: at('09:15'), tokenId: 'y', effectiveRank: 2 }]);
    expect(d.ok({ type: 'tick' }, '09:45')).toEqual([{ type: 'TokenAged', at: at('09:45'), tokenId: 'x', effectiveRank: 2 }]);
  });
});

describe('SPEC 6: delays at their edges', () => {
  it('shrink: a slot that only touches the lost window, or is closed, loses nothing', () => {
    const d = new Desk().slot('s8', '08:00', '09:00', 0).slot('s9', '09:00', '10:00', 4).slot('s10', '10:00', '11:00', 4);
    const events = d.ok({ type: 'delayDoctor', minutes: 60 }, '09:00');
    expect(events).toEqual([
      { type: 'DoctorDelayed', at: at('09:00'), minutes: 60, mode: 'shrink', window: { from: at('09:00'), to: at('10:00') }, shiftedSlotIds: [] },
      { type: 'SlotCapacityChanged', at: at('09:00'), slotId: 's9', from: 4, to: 0, reason: 'doctor-delayed' },
    ]);
  });

  it('shrink: the window starts at the first slot when the delay is reported before it', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4);
    const events = d.ok({ type: 'delayDoctor', minutes: 15 }, '08:00');
    expect(events[0]).toMatchObject({ window: { from: at('09:00'), to: at('09:15') } });
    expect(events[1]).toMatchObject({ slotId: 's9', from: 4, to: 3 });
  });

  it('shrink on a day without slots: the window starts now', () => {
    const d = new Desk();
    d.ok({ type: 'tick' }); // the policy is recorded first
    expect(d.ok({ type: 'delayDoctor', minutes: 10 }, '08:30')).toEqual([
      { type: 'DoctorDelayed', at: at('08:30'), minutes: 10, mode: 'shrink', window: { from: at('08:30'), to: at('08:40') }, shiftedSlotIds: [] },
    ]);
  });

  it('shift: a slot that ends exactly now has ended and stays where it was', () => {
    const d = new Desk(policy({ delayMode: 'shift' })).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    expect(d.ok({ type: 'delayDoctor', minutes: 30 }, '10:00')).toEqual([
      { type: 'DoctorDelayed', at: at('10:00'), minutes: 30, mode: 'shift', window: null, shiftedSlotIds: ['s10'] },
    ]);
    expect(d.day.slots.map((s) => [s.id, s.start, s.end])).toEqual([
      ['s9', at('09:00'), at('10:00')],
      ['s10', at('10:30'), at('11:30')],
    ]);
  });
});

describe('SPEC 3: reserve release at its exact time', () => {
  it('reserves open reserveReleaseMinutes before the start, not a minute earlier', () => {
    const d = new Desk(policy({ allowance: { ONLINE: -1 }, reserveReleaseMinutes: 15 })).slot('s11', '11:00', '12:00', 1);
    d.issue('o', 'ONLINE', { slotId: 's11', at: '10:44' });
    expect(d.where('o')).toBe('WAITLISTED');
    expect(d.events('SlotReserveReleased')).toEqual([]);
    d.ok({ type: 'tick' }, '10:45');
    expect(d.events('SlotReserveReleased')).toEqual([{ type: 'SlotReserveReleased', at: at('10:45'), slotId: 's11' }]);
    expect(d.where('o')).toBe('ALLOCATED@s11');
    d.ok({ type: 'tick' }, '10:46');
    expect(d.events('SlotReserveReleased')).toHaveLength(1);
  });
});

describe('SPEC 9: a new policy does not rewrite an ended slot', () => {
  it('an overflow seat in a slot that has ended stays when the allowance is cut', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    expect(d.occupied('s9')).toBe(2);
    d.policy = policy({ allowance: {} });
    expect(d.ok({ type: 'tick' }, '10:05').map((e) => e.type)).toEqual(['PolicyChanged']);
    expect([d.where('a'), d.where('e')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9']);
  });
});

describe('SPEC 4: a request without a slotId', () => {
  it('is recorded as untied whether slotId is null or left out', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1);
    d.ok({ type: 'issueToken', tokenId: 'a', source: 'WALKIN' });
    d.ok({ type: 'issueToken', tokenId: 'b', source: 'WALKIN' });
    expect(d.events('TokenIssued').map((e) => e.request)).toEqual([
      { slotId: null, flexible: false },
      { slotId: null, flexible: false },
    ]);
    expect(d.token('b').tie).toEqual({ slotId: null, flexible: false });
    expect(d.where('b')).toBe('WAITLISTED');
  });
});

describe('SPEC 7: a token that stops waiting loses its aging', () => {
  it('cancelled, expired or a no-show: no wait start, effective rank back to the base rank', () => {
    const d = new Desk(policy({ agingMinutes: 45, preemption: 'off' })).slot('s9', '09:00', '10:00', 1);
    d.issue('seated', 'WALKIN', { slotId: 's9', at: '08:00' });
    d.issue('c', 'WALKIN', { slotId: 's9', at: '08:00' });
    d.issue('x', 'WALKIN', { slotId: 's9', at: '08:00' });
    d.ok({ type: 'checkIn', tokenId: 'seated' }, '08:00');
    d.ok({ type: 'tick' }, '09:30'); // 90 minutes: every waiting WALKIN is at rank 2
    expect(['seated', 'c', 'x'].map((id) => d.token(id).effectiveRank)).toEqual([2, 2, 2]);
    d.ok({ type: 'cancel', tokenId: 'c' });
    d.ok({ type: 'noShow', tokenId: 'seated' }); // x takes the freed seat: promoted, it stops waiting too
    expect(d.where('x')).toBe('ALLOCATED@s9');
    for (const id of ['c', 'seated', 'x']) expect([id, d.token(id).effectiveRank, d.token(id).waitingSince]).toEqual([id, 4, null]);
  });

  it('an expired token keeps no aging either', () => {
    const d = new Desk(policy({ agingMinutes: 45, preemption: 'off' })).slot('s9', '09:00', '10:00', 0);
    d.issue('w', 'WALKIN', { slotId: 's9', at: '08:00' });
    d.ok({ type: 'tick' }, '09:30');
    expect(d.token('w').effectiveRank).toBe(2);
    d.ok({ type: 'tick' }, '10:00');
    expect([d.status('w'), d.token('w').effectiveRank, d.token('w').waitingSince]).toEqual(['EXPIRED', 4, null]);
  });

  it('a called token has stopped waiting; a skipped one starts a new wait', () => {
    const d = new Desk(policy({ agingMinutes: 45 })).slot('s9', '09:00', '10:00', 1);
    d.issue('w', 'WALKIN', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'w' }, '09:00');
    expect(d.token('w').waitingSince).toBe(at('09:00'));
    d.ok({ type: 'callNext' }, '09:05');
    expect([d.token('w').waitingSince, d.token('w').calledAt]).toEqual([null, at('09:05')]);
    d.ok({ type: 'skip', tokenId: 'w' }, '09:07');
    expect([d.token('w').waitingSince, d.token('w').calledAt, d.token('w').skips]).toEqual([at('09:07'), null, 1]);
  });
});

describe('SPEC 3: a released reserve opens only the negative allowances', () => {
  it('after the reserve is released, ONLINE counts as 0 and EMERGENCY keeps its +1', () => {
    const p = policy({ allowance: { EMERGENCY: 1, ONLINE: -1 } });
    expect([allowanceOf(p, 'ONLINE', false), allowanceOf(p, 'ONLINE', true), allowanceOf(p, 'EMERGENCY', true), allowanceOf(p, 'PAID', true)]).toEqual([
      -1, 0, 1, 0,
    ]);
    const d = new Desk(p).slot('s9', '09:00', '10:00', 1);
    d.ok({ type: 'tick' }, '08:45');
    expect(d.events('SlotReserveReleased')).toHaveLength(1);
    d.issue('o', 'ONLINE', { slotId: 's9' });
    d.issue('e', 'EMERGENCY', { slotId: 's9' });
    expect([d.where('o'), d.where('e')]).toEqual(['ALLOCATED@s9', 'ALLOCATED@s9']);
    expect(d.events('TokenAllocated').at(-1)).toMatchObject({ tokenId: 'e', reason: 'overflow' });
  });
});

describe('commands answer with the token they acted on', () => {
  it('issue, cancel, no-show, check-in, complete and skip name their token', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 3);
    const ids = [d.issue('a', 'ONLINE'), d.issue('b', 'ONLINE'), d.issue('c', 'ONLINE')].map((o) => o.ok && o.tokenId);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(d.issue('w', 'ONLINE')).toMatchObject({ ok: true, tokenId: 'w' }); // waitlisted, still named
    expect(d.run({ type: 'cancel', tokenId: 'w' })).toMatchObject({ ok: true, tokenId: 'w' });
    expect(d.run({ type: 'noShow', tokenId: 'c' })).toMatchObject({ ok: true, tokenId: 'c' });
    expect(d.run({ type: 'checkIn', tokenId: 'a' }, '09:00')).toMatchObject({ ok: true, tokenId: 'a' });
    expect(d.run({ type: 'callNext' })).toMatchObject({ ok: true, tokenId: 'a' });
    expect(d.run({ type: 'skip', tokenId: 'a' })).toMatchObject({ ok: true, tokenId: 'a' });
    d.ok({ type: 'callNext' });
    expect(d.run({ type: 'complete', tokenId: 'a' })).toMatchObject({ ok: true, tokenId: 'a' });
  });
});

describe('SPEC 4: a flexible request starts at its own slot', () => {
  it('a flexible request for 10:00 never takes a free seat at 09:00; one without flexible stays tied', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's10' });
    d.issue('f', 'ONLINE', { slotId: 's10', flexible: true });
    expect(d.where('f')).toBe('WAITLISTED');
    expect(d.token('f').tie).toEqual({ slotId: 's10', flexible: true });
    d.ok({ type: 'issueToken', tokenId: 't', source: 'ONLINE', patientKey: 'k-t', slotId: 's10' });
    expect(d.token('t').tie).toEqual({ slotId: 's10', flexible: false });
    expect(d.token('t').patientKey).toBe('k-t');
  });
});

describe('SPEC 9: setting a policy is not a tick', () => {
  it('a policy change ages, expires and marks no-show nobody by itself', () => {
    const d = new Desk(policy({ preemption: 'off', agingMinutes: 45 })).slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('w', 'ONLINE', { slotId: 's9', at: '08:00' });
    const next = policy({ preemption: 'off', agingMinutes: 45, maxSkips: 3 });
    expect(d.ok({ type: 'setPolicy', policy: next }, '11:00').map((e) => e.type)).toEqual(['PolicyChanged']);
    expect([d.status('a'), d.status('w'), d.token('w').effectiveRank]).toEqual(['ALLOCATED', 'WAITLISTED', 3]);
  });
});

describe('SPEC 6: shrink and no-shows, exactly', () => {
  it('a closed slot inside the lost window is left alone', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 0).slot('s10', '10:00', '11:00', 2);
    expect(d.ok({ type: 'delayDoctor', minutes: 90 }, '09:00').map((e) => e.type === 'SlotCapacityChanged' ? e.slotId : e.type)).toEqual([
      'DoctorDelayed',
      's10',
    ]);
  });

  it('absent tokens become NO_SHOW in token-number order, whatever their rank', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 3);
    d.issue('w', 'WALKIN', { slotId: 's9' });
    d.issue('o', 'ONLINE', { slotId: 's9' });
    d.issue('p', 'PAID', { slotId: 's9' });
    expect(d.ok({ type: 'tick' }, '10:15').map((e) => e.type === 'TokenNoShow' && e.tokenId)).toEqual(['w', 'o', 'p']);
  });
});
