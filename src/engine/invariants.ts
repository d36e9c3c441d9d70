// The promises of SPEC sections 3, 5 and 7, checked from scratch against a doctor-day. The property
// tests run this after every command; the simulator runs it along the whole day and reports it.

import type { DoctorDay, Slot } from './doctor-day.ts';
import { hardLimit, seatLimit } from './policy.ts';
import { LIVE, SEATED, SOURCES, TOKEN_STATUSES, type Millis, type Policy, type Token } from './types.ts';

/** Every broken promise, in words; empty when the doctor-day is sound. */
export function checkInvariants(day: DoctorDay, now: Millis = day.clock): string[] {
  const problems: string[] = [];
  const policy = day.policy;
  const seatedIn = new Map<string, Token[]>(day.slots.map((s) => [s.id, []]));
  const labels = new Set<string>();
  const numbers = new Set<number>();
  const livePatients = new Map<string, string>();
  let waitlisted = 0;

  for (const t of day.tokens.values()) {
    if (!(TOKEN_STATUSES as readonly string[]).includes(t.status)) problems.push(`${t.label} has unknown status ${t.status}`);
    if (numbers.has(t.number) || labels.has(t.label)) problems.push(`${t.label}: number used twice`);
    numbers.add(t.number);
    labels.add(t.label);
    if (t.number > day.lastNumber) problems.push(`${t.label}: number above the last issued`);
    if (SEATED.has(t.status)) {
      const list = t.slotId === null ? undefined : seatedIn.get(t.slotId);
      if (!list) problems.push(`${t.label} is ${t.status} without a slot`);
      else list.push(t);
    }
    if (t.status === 'WAITLISTED') {
      waitlisted++;
      if (t.slotId !== null) problems.push(`${t.label} is waitlisted yet holds slot ${t.slotId}`);
    }
    if (LIVE.has(t.status)) {
      const key = t.patientKey;
      if (key !== undefined) {
        if (livePatients.has(key)) problems.push(`${t.label}: patient already holds live token ${livePatients.get(key)}`);
        livePatients.set(key, t.label);
        if (day.livePatients.get(key) !== t.id) problems.push(`${t.label}: missing from the duplicate index`);
      }
    }
    if (t.effectiveRank > t.rank || (t.effectiveRank < t.rank && policy && t.effectiveRank < policy.agingFloor)) {
      problems.push(`${t.label}: effective rank ${t.effectiveRank} outside [floor, ${t.rank}]`);
    }
  }
  if (waitlisted !== day.waitlisted) problems.push(`waitlist counter ${day.waitlisted} but ${waitlisted} tokens wait`);
  problems.push(...indexProblems(day));
  if (livePatients.size !== day.livePatients.size) problems.push('duplicate index holds tokens that are not live');

  for (let i = 0; i < day.slots.length; i++) {
    const slot = day.slots[i]!;
    if (i > 0 && day.slots[i - 1]!.end > slot.start) problems.push(`slot ${slot.id} overlaps the one before`);
    const seated = seatedIn.get(slot.id)!;
    if (slot.occupied !== seated.length) problems.push(`slot ${slot.id}: occupied ${slot.occupied} but ${seated.length} seated`);
    if (slot.seated.size !== seated.length) problems.push(`slot ${slot.id}: seat index out of step`);
    // (The serving order is total only while numbers are unique: a number used twice is reported above.)
    else if (numbers.size === day.tokens.size) problems.push(...seatOrderProblems(slot, seated));
    for (let r = 0; r < SOURCES.length; r++) {
      const n = seated.filter((t) => t.rank === r).length;
      if (slot.seatedByRank[r] !== n) problems.push(`slot ${slot.id}: ${SOURCES[r]} counter ${slot.seatedByRank[r]} but ${n} seated`);
    }
    // An ended slot is history: limits bind seats that are still to be taken.
    if (policy && slot.end > now) problems.push(...limitProblems(slot, seated, policy));
  }

  if (policy) problems.push(...workConservingProblems(day, policy, now));
  return problems;
}

/**
 * The slot's seat index holds its seated tokens in serving order (SPEC 6, 7), written out here from the
 * rule: called or completed first, by when they were called, then the rest by the skip that put them
 * behind (none first), effective rank, issue time, number. Each token's rank in it is its place.
 */
function seatOrderProblems(slot: Slot, seated: readonly Token[]): string[] {
  const served = (t: Token) => t.status === 'CALLED' || t.status === 'COMPLETED';
  const expected = [
    ...seated.filter(served).sort((a, b) => a.calledAt! - b.calledAt! || a.number - b.number),
    ...seated
      .filter((t) => !served(t))
      .sort((a, b) => a.requeue - b.requeue || a.effectiveRank - b.effectiveRank || a.issuedAt - b.issuedAt || a.number - b.number),
  ];
  const held = [...slot.seated.values()];
  for (let i = 0; i < expected.length; i++) {
    const t = expected[i]!;
    if (held[i] !== t) return [`slot ${slot.id}: seat index holds ${held[i]?.label ?? 'nothing'} where serving order puts ${t.label}`];
    if (slot.seated.rank(t) !== i) return [`slot ${slot.id}: seat index places ${t.label} at ${slot.seated.rank(t)}, serving order at ${i}`];
  }
  return [];
}

/** Each token sits in exactly the queues its status puts it in: no more, no fewer. */
function indexProblems(day: DoctorDay): string[] {
  const count = (status: Token['status']) => [...day.tokens.values()].filter((t) => t.status === status).length;
  const sizes = (sets: { size: number }[]) => sets.reduce((n, s) => n + s.size, 0);
  let waiting = sizes(day.untiedWait);
  let serving = 0;
  let allocated = 0;
  for (const slot of day.slots) {
    waiting += sizes(slot.tiedWait) + sizes(slot.flexWait);
    serving += slot.serving.size;
    if (sizes(slot.checkedIn) !== slot.serving.size) return [`slot ${slot.id}: serving queue and checked-in index differ`];
    for (const byBumps of slot.allocated) allocated += sizes(byBumps);
  }
  const problems: string[] = [];
  if (waiting !== count('WAITLISTED')) problems.push(`${waiting} tokens in waitlist queues, ${count('WAITLISTED')} WAITLISTED`);
  if (serving !== count('CHECKED_IN')) problems.push(`${serving} tokens in serving queues, ${count('CHECKED_IN')} CHECKED_IN`);
  if (allocated !== count('ALLOCATED')) problems.push(`${allocated} tokens in seat queues, ${count('ALLOCATED')} ALLOCATED`);
  const allocatedCount = day.slots.reduce((n, slot) => n + slot.allocatedCount, 0);
  if (allocatedCount !== count('ALLOCATED')) problems.push(`ALLOCATED counters say ${allocatedCount}, ${count('ALLOCATED')} are`);
  if (day.waiting !== count('WAITLISTED') + count('CHECKED_IN')) problems.push(`waiting counter ${day.waiting} out of step`);
  const aging = day.aging.reduce((n, bySteps) => n + sizes(bySteps), 0);
  if (aging !== count('WAITLISTED') + count('CHECKED_IN')) problems.push(`${aging} tokens in aging queues`);
  return problems;
}

/**
 * Within limits: for every source s, the seated tokens of the sources whose limit is no larger than
 * s's may not exceed that limit; the widest group is the whole slot against capacity + max(allowance).
 * Tokens that cannot move (called, completed) may stand above a limit that shrank under them.
 */
function limitProblems(slot: Slot, seated: Token[], policy: Policy): string[] {
  const problems: string[] = [];
  const limitOf = (r: number) => seatLimit(policy, slot, SOURCES[r]!);
  for (let r = 0; r < SOURCES.length; r++) {
    const cap = limitOf(r);
    const group = seated.filter((t) => limitOf(t.rank) <= cap);
    const fixed = group.filter((t) => t.status === 'CALLED' || t.status === 'COMPLETED').length;
    if (group.length > Math.max(cap, fixed)) {
      problems.push(`slot ${slot.id}: ${group.length} seated within ${SOURCES[r]}'s limit of ${cap}`);
    }
  }
  const hard = hardLimit(policy, slot);
  const fixed = seated.filter((t) => t.status === 'CALLED' || t.status === 'COMPLETED').length;
  if (seated.length > Math.max(hard, fixed)) problems.push(`slot ${slot.id}: ${seated.length} seated above the hard limit ${hard}`);
  return problems;
}

/** Which open slots a waiting token may be seated in (SPEC 5). */
export function eligibleSlots(day: DoctorDay, t: Token, now: Millis): Slot[] {
  const tied = t.tie.slotId === null ? undefined : day.slotById.get(t.tie.slotId);
  return day.slots.filter((s) => {
    if (s.end <= now) return false;
    if (!tied) return true;
    return t.tie.flexible ? s.start >= tied.start : s === tied;
  });
}

/** A waiting token never fits a free seat it is eligible for. */
function workConservingProblems(day: DoctorDay, policy: Policy, now: Millis): string[] {
  const problems: string[] = [];
  for (const t of day.tokens.values()) {
    if (t.status !== 'WAITLISTED') continue;
    for (const s of eligibleSlots(day, t, now)) {
      if (s.occupied < seatLimit(policy, s, t.source)) {
        problems.push(`${t.label} waits while slot ${s.id} has a seat it fits (${s.occupied}/${s.capacity})`);
      }
    }
  }
  return problems;
}
