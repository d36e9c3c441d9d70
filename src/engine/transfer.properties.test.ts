// Property-based tests of transfer (SPEC 7) across two doctor-days: random slots, policies and
// commands on both days, with random transfers either way. After every step every invariant holds on
// both days, and a patient is never lost nor duplicated by a transfer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execute } from './commands.ts';
import { openDoctorDay, replay, type DoctorDay } from './doctor-day.ts';
import { checkInvariants } from './invariants.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { snapshot } from './queries.ts';
import { transfer } from './transfer.ts';
import { LIVE, SOURCES, type Command, type DoctorDayEvent, type Policy, type Source } from './types.ts';

const MIN = 60_000;
const DAY_START = Date.UTC(2026, 0, 5, 7, 0);
const INITS = [
  { doctorId: 'doc-a', date: '2026-01-05', code: 'GM' },
  { doctorId: 'doc-b', date: '2026-01-05', code: 'RA' },
] as const;

const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    preemption: fc.constantFrom('strict-priority' as const, 'emergency-only' as const, 'off' as const),
    maxBumps: fc.integer({ min: 0, max: 2 }),
    allowance: fc.dictionary(fc.constantFrom(...SOURCES), fc.integer({ min: -1, max: 1 }), { maxKeys: 3 }),
    agingMinutes: fc.option(fc.integer({ min: 10, max: 60 }), { nil: null }),
  })
  .map((p) => ({ ...DEFAULT_POLICY, ...p }));

/** Slots as [gap before, length, capacity]; they follow each other from 08:00. */
const slotsArb = fc.array(fc.tuple(fc.constantFrom(0, 15), fc.constantFrom(30, 60), fc.integer({ min: 0, max: 3 })), { minLength: 0, maxLength: 4 });

type Step =
  | { kind: 'issue'; day: number; source: Source; slot: number | null; patient: number; arrived: boolean }
  | { kind: 'token'; day: number; type: 'cancel' | 'noShow' | 'checkIn' | 'complete' | 'skip'; token: number }
  | { kind: 'callNext'; day: number }
  | { kind: 'tick'; day: number }
  | { kind: 'capacity'; day: number; slot: number; capacity: number }
  | { kind: 'transfer'; day: number; token: number; slot: number | null; flexible: boolean };

const dayArb = fc.integer({ min: 0, max: 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('issue' as const), day: dayArb, source: fc.constantFrom(...SOURCES), slot: fc.option(fc.nat(4), { nil: null }), patient: fc.nat(12), arrived: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('token' as const), day: dayArb, type: fc.constantFrom('cancel', 'noShow', 'checkIn', 'checkIn', 'complete', 'skip'), token: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('callNext' as const), day: dayArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), day: dayArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('capacity' as const), day: dayArb, slot: fc.nat(4), capacity: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('transfer' as const), day: dayArb, token: fc.nat(40), slot: fc.option(fc.nat(4), { nil: null }), flexible: fc.boolean() }) },
);
const scriptArb = fc.array(fc.tuple(fc.constantFrom(0, 0, 1, 5, 15), stepArb), { minLength: 5, maxLength: 60 });

interface Played {
  days: DoctorDay[];
  logs: DoctorDayEvent[][];
  problems: string[];
  outcomes: string[];
}

/**
 * Who each token is for, kept by the test (the engine knows a patient only by an optional key, and
 * not every patient has one): token id → patient name.
 */
type Who = Map<string, string>;

/** Each patient's live tokens over both days, by name (every patient has one name; not all have a key). */
function liveByPatient(days: DoctorDay[], who: Who): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of days) for (const t of d.tokens.values()) if (LIVE.has(t.status)) counts.set(who.get(t.id)!, (counts.get(who.get(t.id)!) ?? 0) + 1);
  return counts;
}

const same = (a: Map<string, number>, b: Map<string, number>) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Every link names a token that names it back; the old side of a transfer is CANCELLED. */
function linkProblems(days: DoctorDay[], who: Who): string[] {
  const problems: string[] = [];
  const dayOf = (doctorId: string) => days.find((d) => d.doctorId === doctorId)!;
  for (const d of days) {
    for (const t of d.tokens.values()) {
      if (t.transferredTo) {
        const other = dayOf(t.transferredTo.doctorId).tokens.get(t.transferredTo.tokenId);
        if (t.status !== 'CANCELLED') problems.push(`${t.label} transferred yet ${t.status}`);
        if (!other || other.transferredFrom?.tokenId !== t.id || other.label !== t.transferredTo.number) problems.push(`${t.label}'s new token does not name it back`);
        if (other && who.get(other.id) !== who.get(t.id)) problems.push(`${t.label} became another patient's token`);
      }
      if (t.transferredFrom) {
        const old = dayOf(t.transferredFrom.doctorId).tokens.get(t.transferredFrom.tokenId);
        if (!old || old.transferredTo?.tokenId !== t.id) problems.push(`${t.label}'s old token does not name it`);
        else if (old.source !== t.source) problems.push(`${t.label} changed source in a transfer`);
      }
    }
  }
  return problems;
}

function play(policies: Policy[], slotSets: [number, number, number][][], script: [number, Step][]): Played {
  const days = INITS.map((init) => openDoctorDay(init));
  const logs: DoctorDayEvent[][] = [[], []];
  const problems: string[] = [];
  const outcomes: string[] = [];
  let now = DAY_START;
  slotSets.forEach((slots, d) => {
    let start = DAY_START + 60 * MIN;
    slots.forEach(([gap, length, capacity], i) => {
      start += gap * MIN;
      const out = execute(days[d]!, { type: 'createSlot', slot: { id: `d${d}s${i}`, start, end: start + length * MIN, capacity } }, { now, policy: policies[d]! });
      logs[d]!.push(...out.events);
      start += length * MIN;
    });
  });
  let ids = 0;
  const who: Who = new Map();
  const tokenAt = (day: DoctorDay, i: number) => [...day.tokens.keys()][i % Math.max(1, day.tokens.size)] ?? 'none';
  const slotAt = (day: DoctorDay, i: number | null) => (i === null ? null : (day.slots[i % Math.max(1, day.slots.length)]?.id ?? 'none'));
  for (const [minutes, step] of script) {
    now += minutes * MIN;
    const d = step.day;
    const day = days[d]!;
    const found: string[] = [];
    if (step.kind === 'transfer') {
      const other = days[1 - d]!;
      const tokenId = tokenAt(day, step.token);
      const old = day.tokens.get(tokenId);
      const before = { live: liveByPatient(days, who), from: JSON.stringify(snapshot(day)), toNumber: other.lastNumber, status: old?.status };
      const newTokenId = `x${ids++}`;
      who.set(newTokenId, who.get(tokenId) ?? 'nobody');
      const out = transfer(day, other, { tokenId, newTokenId, ...(old?.patientKey === undefined ? {} : { patientKey: old.patientKey }), slotId: slotAt(other, step.slot), flexible: step.flexible }, { now, fromPolicy: policies[d]!, toPolicy: policies[1 - d]! });
      logs[d]!.push(...out.from);
      logs[1 - d]!.push(...out.to);
      if (out.ok) {
        outcomes.push(`ok:${before.status}${out.bumpedTokenId ? ':bump' : ''}`);
        const created = other.tokens.get(newTokenId)!;
        if (day.tokens.get(tokenId)!.status !== 'CANCELLED') found.push('the old token is not cancelled');
        if (!LIVE.has(created.status)) found.push(`the new token is ${created.status}`);
        const live = [...other.tokens.values()].filter((t) => LIVE.has(t.status) && who.get(t.id) === who.get(created.id));
        if (old!.patientKey !== undefined && live.length !== 1) found.push(`${live.length} live tokens of the patient on the new day`);
        if (before.status === 'CHECKED_IN' && created.status === 'ALLOCATED') found.push('a checked-in patient lost the check-in');
      } else {
        outcomes.push(`refused:${out.code}`);
        if (out.from.length > 0 || JSON.stringify(snapshot(day)) !== before.from) found.push('a refused transfer changed the old day');
        if (other.tokens.has(newTokenId) || other.lastNumber !== before.toNumber) found.push('a refused transfer issued a token');
        if (day.tokens.get(tokenId)?.status !== before.status) found.push('a refused transfer changed the token');
      }
      if (!same(before.live, liveByPatient(days, who))) found.push('a transfer changed how many live tokens a patient holds');
    } else {
      const issued = `x${ids}`;
      if (step.kind === 'issue') who.set(issued, `P${step.patient}`);
      const command: Command =
        step.kind === 'issue'
          ? {
              type: 'issueToken', tokenId: `x${ids++}`, source: step.source, slotId: slotAt(day, step.slot), flexible: false,
              ...(step.patient % 4 === 0 ? {} : { patientKey: `id:MRN${step.patient}` }),
              ...(step.arrived ? { arrived: true } : {}),
            }
          : step.kind === 'token'
            ? { type: step.type, tokenId: tokenAt(day, step.token) }
            : step.kind === 'capacity'
              ? { type: 'changeCapacity', slotId: slotAt(day, step.slot)!, capacity: step.capacity }
              : { type: step.kind };
      logs[d]!.push(...execute(day, command, { now, policy: policies[d]! }).events);
    }
    for (const [i, x] of days.entries()) found.push(...checkInvariants(x, Math.max(now, x.clock)).map((p) => `${INITS[i]!.code}: ${p}`));
    found.push(...linkProblems(days, who));
    if (found.length > 0) {
      problems.push(`after ${JSON.stringify(step)}: ${found.join('; ')}`);
      break;
    }
  }
  return { days, logs, problems, outcomes };
}

const inputs = fc.tuple(fc.tuple(policyArb, policyArb), fc.tuple(slotsArb, slotsArb), scriptArb);

describe('transfer properties over two random doctor-days (SPEC 7)', () => {
  it('the random days reach every kind of transfer: from each transferable status, with a bump, and refused for each reason', () => {
    const seen = new Map<string, number>();
    for (const [policies, slots, script] of fc.sample(inputs, { numRuns: 300, seed: 7 })) {
      for (const o of play(policies, slots, script).outcomes) seen.set(o, (seen.get(o) ?? 0) + 1);
    }
    for (const k of ['ok:WAITLISTED', 'ok:ALLOCATED', 'ok:CHECKED_IN', 'refused:INVALID_TRANSITION', 'refused:DUPLICATE_TOKEN', 'refused:NO_OPEN_SLOT', 'refused:NOT_FOUND']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(5);
    }
    expect([...seen.keys()].some((k) => k.endsWith(':bump')), 'a transfer that bumps').toBe(true);
  });

  it('after every step both days keep every invariant, links name each other, and no patient is lost or duplicated', () => {
    fc.assert(
      fc.property(inputs, ([policies, slots, script]) => {
        expect(play(policies, slots, script).problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('replaying each day\'s events rebuilds it exactly, links included, and the same inputs give the same events', () => {
    fc.assert(
      fc.property(inputs, ([policies, slots, script]) => {
        const first = play(policies, slots, script);
        const second = play(policies, slots, script);
        expect(JSON.stringify(second.logs)).toBe(JSON.stringify(first.logs));
        first.days.forEach((day, i) => {
          expect(JSON.stringify(snapshot(replay(INITS[i]!, first.logs[i]!)))).toBe(JSON.stringify(snapshot(day)));
        });
      }),
      { numRuns: 150 },
    );
  });
});
