// Property-based tests: random doctor-days (several slots, every source, every policy, random clocks)
// driven by random command sequences. After every step the engine's promises must hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execute } from './commands.ts';
import { openDoctorDay, replay, type DoctorDay } from './doctor-day.ts';
import { checkInvariants, eligibleSlots } from './invariants.ts';
import { DEFAULT_POLICY, mayPreempt, seatLimit } from './policy.ts';
import { byIssue } from './ordered-set.ts';
import { estimateOf, estimates, lostWindows, snapshot } from './queries.ts';
import { SEATED, SOURCES, type Command, type DoctorDayEvent, type Millis, type Outcome, type Policy, type Source } from './types.ts';

const MIN = 60_000;
const DAY_START = Date.UTC(2026, 0, 5, 7, 0);
const INIT = { doctorId: 'doc', date: '2026-01-05', code: 'GM' };

// ------------------------------------------------------------------ arbitraries

const policyArb: fc.Arbitrary<Policy> = fc.record({
  preemption: fc.constantFrom('strict-priority', 'emergency-only', 'off'),
  maxBumps: fc.integer({ min: 0, max: 3 }),
  allowance: fc.dictionary(fc.constantFrom(...SOURCES), fc.integer({ min: -2, max: 2 }), { maxKeys: 5 }),
  reserveReleaseMinutes: fc.integer({ min: 0, max: 60 }),
  agingMinutes: fc.option(fc.integer({ min: 5, max: 60 }), { nil: null }),
  agingFloor: fc.integer({ min: 0, max: 3 }),
  noShowGraceMinutes: fc.integer({ min: 0, max: 30 }),
  maxSkips: fc.integer({ min: 0, max: 3 }),
  delayMode: fc.constantFrom('shrink', 'shift'),
}) as fc.Arbitrary<Policy>;

/** Slots as [gap before, length, capacity]; they follow each other from 08:00. */
const slotsArb = fc.array(fc.tuple(fc.constantFrom(0, 0, 15, 30), fc.constantFrom(30, 60, 90), fc.integer({ min: 0, max: 5 })), {
  minLength: 1,
  maxLength: 5,
});

type Step =
  | { kind: 'issue'; source: Source; slot: number | null; flexible: boolean; patient: number; arrived: boolean }
  | { kind: 'token'; type: 'cancel' | 'noShow' | 'checkIn' | 'complete' | 'skip'; token: number }
  | { kind: 'callNext' }
  | { kind: 'tick' }
  | { kind: 'delay'; minutes: number }
  | { kind: 'capacity'; slot: number; capacity: number }
  | { kind: 'addSlot'; length: number; capacity: number; room: boolean }
  | { kind: 'removeSlot'; slot: number }
  | { kind: 'policy'; policy: Policy };

const stepArb = (withPolicyChanges: boolean): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('issue' as const),
        source: fc.constantFrom(...SOURCES),
        slot: fc.option(fc.nat(5), { nil: null }),
        flexible: fc.boolean(),
        patient: fc.nat(40),
        arrived: fc.boolean(),
      }),
    },
    {
      weight: 7,
      arbitrary: fc.record({
        kind: fc.constant('token' as const),
        type: fc.constantFrom('cancel', 'noShow', 'checkIn', 'checkIn', 'complete', 'skip'),
        token: fc.nat(60),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'callNext' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delay' as const), minutes: fc.integer({ min: 1, max: 60 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('capacity' as const), slot: fc.nat(5), capacity: fc.integer({ min: 0, max: 6 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('addSlot' as const),
        length: fc.constantFrom(30, 60),
        capacity: fc.integer({ min: 0, max: 4 }),
        room: fc.boolean(),
      }),
    },
    // A rota edit takes away slots no token names (refused, changing nothing, when one does).
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeSlot' as const), slot: fc.nat(5) }) },
    { weight: withPolicyChanges ? 1 : 0, arbitrary: policyArb.map((policy) => ({ kind: 'policy' as const, policy })) },
  );

/** A step and how many minutes pass before it. */
const scriptArb = (withPolicyChanges: boolean) =>
  fc.array(fc.tuple(fc.constantFrom(0, 0, 1, 3, 7, 15, 30), stepArb(withPolicyChanges)), { minLength: 5, maxLength: 80, size: 'large' });

// ------------------------------------------------------------------ driving the engine

interface Played {
  day: DoctorDay;
  log: DoctorDayEvent[];
  problems: string[];
}

function toCommand(day: DoctorDay, step: Step, issued: number, added: number): Command {
  const slotAt = (i: number) => day.slots[i % Math.max(1, day.slots.length)]?.id ?? 'none';
  switch (step.kind) {
    case 'issue':
      return {
        type: 'issueToken',
        tokenId: `t${issued}`,
        source: step.source,
        ...(step.patient % 3 === 0 ? {} : { patientKey: `k${step.patient}` }),
        slotId: step.slot === null ? null : slotAt(step.slot),
        flexible: step.flexible,
        ...(step.arrived ? { arrived: true } : {}),
      };
    case 'token':
      return { type: step.type, tokenId: `t${step.token % Math.max(1, issued)}` };
    case 'callNext':
      return { type: 'callNext' };
    case 'tick':
      return { type: 'tick' };
    case 'delay':
      return { type: 'delayDoctor', minutes: step.minutes };
    case 'capacity':
      return { type: 'changeCapacity', slotId: slotAt(step.slot), capacity: step.capacity };
    case 'addSlot': {
      const last = day.slots.at(-1);
      const start = last ? last.end : DAY_START + 60 * MIN;
      return { type: 'createSlot', slot: { id: `added${added}`, start, end: start + step.length * MIN, capacity: step.capacity, ...(step.room ? { room: `Room ${added}` } : {}) } };
    }
    case 'removeSlot':
      return { type: 'removeSlot', slotId: slotAt(step.slot) };
    case 'policy':
      return { type: 'setPolicy', policy: step.policy };
  }
}

/**
 * Plays a script on a fresh doctor-day and checks the promises after every step. `checkStep` adds
 * checks of its own (it sees the command, its outcome and the day after it).
 */
function play(
  policy: Policy,
  slots: [number, number, number][],
  script: [number, Step][],
  checkStep?: (day: DoctorDay, command: Command, events: DoctorDayEvent[], now: Millis, policy: Policy) => string[],
): Played {
  const day = openDoctorDay(INIT);
  const log: DoctorDayEvent[] = [];
  const problems: string[] = [];
  let now = DAY_START;
  let current = policy;
  let start = DAY_START + 60 * MIN;
  slots.forEach(([gap, length, capacity], i) => {
    start += gap * MIN;
    const out = execute(day, { type: 'createSlot', slot: { id: `s${i}`, start, end: start + length * MIN, capacity } }, { now, policy });
    log.push(...out.events);
    start += length * MIN;
  });
  let issued = 0;
  let added = 0;
  for (const [minutes, step] of script) {
    now += minutes * MIN;
    const command = toCommand(day, step, issued, added);
    if (command.type === 'setPolicy') current = command.policy;
    const out = execute(day, command, { now, policy: current });
    log.push(...out.events);
    if (command.type === 'issueToken' && out.ok) issued++;
    if (command.type === 'createSlot' && out.ok) added++;
    const found = [
      ...checkInvariants(day, Math.max(now, day.clock)),
      ...estimateProblems(day),
      ...seatsTakenInEndedSlots(day, out.events),
      ...lifecycleProblems(day, log, command, out, Math.max(now, day.clock)),
      ...(checkStep?.(day, command, out.events, Math.max(now, day.clock), current) ?? []),
    ];
    if (found.length > 0) {
      problems.push(`after ${JSON.stringify(command)}: ${found.join('; ')}`);
      break;
    }
  }
  return { day, log, problems };
}

/**
 * SPEC 4: a request that ends up waiting found no token it could bump in any slot it may take:
 * no ALLOCATED token of strictly greater base rank, bumped fewer than maxBumps times, in a slot where
 * the newcomer would then fit (and whose own source's limit is no larger than the newcomer's).
 */
function bumpableVictims(day: DoctorDay, tokenId: string, now: Millis, policy: Policy): string[] {
  const w = day.tokens.get(tokenId)!;
  if (w.status !== 'WAITLISTED' || !mayPreempt(policy, w.source)) return [];
  const problems: string[] = [];
  for (const slot of eligibleSlots(day, w, now)) {
    const limit = (s: Source) => seatLimit(policy, slot, s);
    if (slot.occupied - 1 >= limit(w.source)) continue;
    for (const v of day.tokens.values()) {
      if (v.slotId !== slot.id || v.status !== 'ALLOCATED' || limit(v.source) > limit(w.source)) continue;
      if (v.rank > w.rank && v.bumps < policy.maxBumps) {
        problems.push(`${w.label} (${w.source}) waits while ${v.label} (${v.source}) could be bumped from ${slot.id}`);
      }
    }
  }
  return problems;
}

/**
 * SPEC 6 estimatedAt: one token's estimate equals its place in the whole slot's serving order, and a
 * token not yet called is never estimated inside a window a reported delay took away.
 */
function estimateProblems(day: DoctorDay): string[] {
  const problems: string[] = [];
  const lost = lostWindows(day);
  const windows = day.delays.flatMap((d) => (d.window ? [d.window] : []));
  for (const slot of day.slots) {
    const all = estimates(slot, lost);
    // Every seated token of the slot, found from the tokens themselves (not from the slot's index).
    for (const t of [...day.tokens.values()].filter((o) => o.slotId === slot.id && SEATED.has(o.status))) {
      const eta = estimateOf(slot, t, lost);
      if (eta !== all.get(t.id)) problems.push(`${t.label}: estimate ${eta} but ${all.get(t.id)} in order`);
      if (t.calledAt !== null) continue;
      for (const w of windows) if (eta >= w.from && eta < w.to) problems.push(`${t.label}: estimated at ${eta}, inside the lost window [${w.from}, ${w.to})`);
    }
  }
  return problems;
}

/**
 * SPEC 4 and 7, step by step: an arrived token never waits ALLOCATED nor becomes a no-show by the
 * clock; NO_OPEN_SLOT exactly when no slot is open; call next takes a checked-in emergency of an open
 * slot first (the earliest issued; a skipped one has had its turn); and right after a skip, call next
 * would not offer the skipped token while another token of its slot is checked in.
 */
function lifecycleProblems(day: DoctorDay, log: DoctorDayEvent[], command: Command, out: Outcome, now: Millis): string[] {
  const problems: string[] = [];
  for (const t of day.tokens.values()) if (t.arrived && t.status === 'ALLOCATED') problems.push(`${t.label} arrived yet ALLOCATED`);
  for (const e of out.events) {
    if (e.type === 'TokenNoShow' && e.reason === 'grace-expired' && day.tokens.get(e.tokenId)!.arrived) problems.push(`${e.tokenId} arrived yet marked a no-show by the clock`);
  }
  if (command.type === 'issueToken') {
    const anyOpen = day.slots.some((s) => s.end > now);
    if (!out.ok && out.code === 'NO_OPEN_SLOT' && anyOpen) problems.push('NO_OPEN_SLOT while a slot is open');
    if (out.ok && !anyOpen) problems.push('a token issued on a day with no open slot');
    if (!anyOpen && !out.ok && !['NO_OPEN_SLOT', 'NOT_FOUND', 'DUPLICATE_TOKEN'].includes(out.code)) problems.push(`${out.code} instead of NO_OPEN_SLOT`);
  }
  if (command.type === 'callNext' && out.ok) {
    const calledToken = day.tokens.get(out.tokenId!)!;
    const open = new Set(day.slots.filter((s) => s.end > now).map((s) => s.id));
    const emergencies = [...day.tokens.values()].filter((t) => t.status === 'CHECKED_IN' && t.source === 'EMERGENCY' && t.skips === 0 && open.has(t.slotId!));
    const first = emergencies.sort(byIssue)[0];
    if (first && !(calledToken.source === 'EMERGENCY' && calledToken.skips === 0 && open.has(calledToken.slotId!) && byIssue(calledToken, first) < 0)) {
      problems.push(`called ${calledToken.label} (${calledToken.source}) while emergency ${first.label} was waiting`);
    }
  }
  const skipped = out.events.find((e) => e.type === 'TokenSkipped');
  if (skipped) {
    const t = day.tokens.get(skipped.tokenId)!;
    const others = [...day.tokens.values()].some((o) => o !== t && o.status === 'CHECKED_IN' && o.slotId === t.slotId);
    if (t.status === 'CHECKED_IN' && others) {
      // Call next on a copy of the day: the skipped token must not come back at once.
      const copy = replay(INIT, log);
      const next = execute(copy, { type: 'callNext' }, { now, policy: copy.policy! });
      if (next.ok && next.tokenId === t.id) problems.push(`call next offers ${t.label} again right after its skip`);
    }
  }
  return problems;
}

/** SPEC 5: a seat in a slot that has ended is never taken (nor a closed slot's, capacity 0). */
function seatsTakenInEndedSlots(day: DoctorDay, events: DoctorDayEvent[]): string[] {
  const problems: string[] = [];
  // Walk the step's events backwards from the state after it, undoing capacity changes and shifts,
  // so that each seat is judged by its slot as it was when the seat was taken.
  const capacity = new Map(day.slots.map((s) => [s.id, s.capacity]));
  const end = new Map(day.slots.map((s) => [s.id, s.end]));
  for (const e of [...events].reverse()) {
    if (e.type === 'SlotCapacityChanged') capacity.set(e.slotId, e.from);
    if (e.type === 'DoctorDelayed') for (const id of e.shiftedSlotIds) end.set(id, end.get(id)! - e.minutes * MIN);
    if (e.type !== 'TokenAllocated' && e.type !== 'TokenBumped') continue;
    const slotId = e.type === 'TokenAllocated' ? e.slotId : e.toSlotId;
    if (slotId === null || !capacity.has(slotId)) continue;
    if (end.get(slotId)! <= e.at) problems.push(`${e.tokenId} seated in ${slotId}, which ended`);
    if (capacity.get(slotId) === 0) problems.push(`${e.tokenId} seated in ${slotId}, which is closed`);
  }
  return problems;
}

/** SPEC 4: at most one bump, by a request, of a token of strictly greater base rank below maxBumps. */
function bumpRules(day: DoctorDay, command: Command, events: DoctorDayEvent[], policy: Policy): string[] {
  const bumps = events.filter((e) => e.type === 'TokenBumped');
  if (bumps.length === 0) return [];
  if (bumps.length > 1) return [`${bumps.length} tokens bumped by one ${command.type}`];
  const bump = bumps[0]!;
  const victim = day.tokens.get(bump.tokenId)!;
  const by = day.tokens.get(bump.byTokenId)!;
  const problems: string[] = [];
  if (command.type !== 'issueToken' || command.tokenId !== by.id) problems.push(`a bump outside the request that caused it`);
  if (victim.bumps > policy.maxBumps) problems.push(`${victim.label} bumped ${victim.bumps} times, maxBumps ${policy.maxBumps}`);
  if (victim.rank <= by.rank) problems.push(`${by.label} (${by.source}) bumped ${victim.label} (${victim.source})`);
  if (!mayPreempt(policy, by.source)) problems.push(`${by.source} may not preempt under ${policy.preemption}`);
  return problems;
}

const runs = (n: number) => ({ numRuns: n });

describe('engine properties over random command sequences', () => {
  it('the random days reach every rule: bumps, overflow, promotions, moves, delays, expiry, aging, no-shows, refusals', () => {
    const seen = new Map<string, number>();
    const note = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    let steps = 0;
    for (const [policy, slots, script] of fc.sample(fc.tuple(policyArb, slotsArb, scriptArb(true)), { numRuns: 300, seed: 42 })) {
      steps += script.length;
      for (const e of play(policy, slots, script).log) {
        note(e.type);
        if (e.type === 'TokenAllocated') note(`allocated:${e.reason}`);
        if (e.type === 'TokenNoShow') note(`no-show:${e.reason}`);
        if (e.type === 'TokenIssued' && e.arrived) note('issued:arrived');
      }
    }
    for (const k of ['TokenBumped', 'allocated:overflow', 'allocated:promoted', 'allocated:moved', 'DoctorDelayed', 'TokenExpired', 'TokenAged',
      'no-show:grace-expired', 'no-show:max-skips', 'SlotReserveReleased', 'TokenCompleted', 'TokenSkipped', 'issued:arrived', 'SlotRemoved']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(5);
    }
    expect(steps / 300).toBeGreaterThan(20);
  });

  it('after every step: limits hold, one status and at most one slot per token, work-conserving, numbers unique, counters exact', () => {
    fc.assert(
      fc.property(policyArb, slotsArb, scriptArb(true), (policy, slots, script) => {
        const { problems } = play(policy, slots, script, (day, command, events, now, current) => {
          const found = bumpRules(day, command, events, current);
          if (command.type !== 'issueToken' || !events.some((e) => e.type === 'TokenWaitlisted' && e.reason === 'no-seat')) return found;
          return [...found, ...bumpableVictims(day, command.tokenId, now, current)];
        });
        expect(problems).toEqual([]);
      }),
      runs(400),
    );
  });

  it('replaying the events rebuilds exactly the state, and the same inputs give byte-identical events', () => {
    fc.assert(
      fc.property(policyArb, slotsArb, scriptArb(true), (policy, slots, script) => {
        const first = play(policy, slots, script);
        const second = play(policy, slots, script);
        expect(JSON.stringify(second.log)).toBe(JSON.stringify(first.log));
        const rebuilt = replay(INIT, first.log);
        expect(JSON.stringify(snapshot(rebuilt))).toBe(JSON.stringify(snapshot(first.day)));
        expect(checkInvariants(rebuilt)).toEqual([]);
      }),
      runs(200),
    );
  });

  it('with preemption on, aging off and one allowance for all sources, no token a waiting request could bump sits in its slot', () => {
    // Preemption is an act of a request (SPEC 4). Between requests the spec's own rules can seat a
    // lower rank ahead of a waiting higher one: aging overtakes in the waitlist, and an emergency's
    // overflow seat, once freed, leaves a full slot a newcomer could bump into. Without those, the
    // rule must hold at every step for every token waiting by its own request.
    const plainPolicy = fc.record({
      preemption: fc.constantFrom('strict-priority' as const, 'emergency-only' as const),
      maxBumps: fc.integer({ min: 1, max: 3 }),
      allowance: fc.integer({ min: -1, max: 1 }),
    });
    fc.assert(
      fc.property(plainPolicy, slotsArb, scriptArb(false), (p, slots, script) => {
        const allowance = Object.fromEntries(SOURCES.map((s) => [s, p.allowance]));
        const policy: Policy = { ...DEFAULT_POLICY, preemption: p.preemption, maxBumps: p.maxBumps, agingMinutes: null, allowance };
        const displaced = new Set<string>();
        const { problems } = play(policy, slots, script, (day, _command, events, now) => {
          for (const e of events) {
            if (e.type === 'TokenBumped' || (e.type === 'TokenAllocated' && e.reason === 'moved')) displaced.add(e.tokenId);
            if (e.type === 'TokenWaitlisted' && e.reason === 'moved') displaced.add(e.tokenId);
          }
          const found: string[] = [];
          for (const t of day.tokens.values()) {
            if (t.status === 'WAITLISTED' && !displaced.has(t.id)) found.push(...bumpableVictims(day, t.id, now, policy));
          }
          return found;
        });
        expect(problems).toEqual([]);
      }),
      runs(300),
    );
  });
});
