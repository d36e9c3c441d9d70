// Bad input is refused by the engine itself with a machine code and a clear message, and changes
// nothing (the HTTP layer validates too, but the engine is the last word: the simulator and the
// replay call it directly). Each boundary is tried on both sides.
import { describe, expect, it } from 'vitest';
import { execute } from './commands.ts';
import { openDoctorDay } from './doctor-day.ts';
import { DEFAULT_POLICY, policyProblems } from './policy.ts';
import { snapshot } from './queries.ts';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';
import type { Command, Outcome, Policy } from './types.ts';

const MIN = 60_000;

/** A day with s9 (09:00–10:00, 2 seats) holding a; the clock at 08:00. */
function day(): Desk {
  const d = new Desk().slot('s9', '09:00', '10:00', 2);
  d.issue('a', 'ONLINE', { slotId: 's9', patientId: 'p-a', phone: '555' });
  return d;
}

/** Runs a command that must be refused and must change nothing; returns code and message. */
function refused(d: Desk, command: Command, hhmm?: string): { code: string; message: string; tokenId?: string } {
  const before = JSON.stringify(snapshot(d.day));
  const out: Outcome = d.run(command, hhmm);
  if (out.ok) throw new Error(`${command.type} was accepted`);
  expect(out.events).toEqual([]);
  expect(JSON.stringify(snapshot(d.day))).toBe(before);
  return { code: out.code, message: out.message, ...(out.tokenId === undefined ? {} : { tokenId: out.tokenId }) };
}

const slotCmd = (id: string, start: number, end: number, capacity: number): Command => ({
  type: 'createSlot',
  slot: { id, start, end, capacity },
});

describe('SPEC 3: createSlot validation', () => {
  it('a slot must end after it starts', () => {
    const d = day();
    const bad = { code: 'VALIDATION_FAILED', message: 'a slot must end after it starts' };
    expect(refused(d, slotCmd('x', at('12:00'), at('12:00'), 1))).toEqual(bad);
    expect(refused(d, slotCmd('x', at('12:00'), at('11:59'), 1))).toEqual(bad);
    expect(refused(d, slotCmd('x', Number.NaN, at('12:00'), 1))).toEqual(bad);
    expect(refused(d, slotCmd('x', at('12:00'), Number.POSITIVE_INFINITY, 1))).toEqual(bad);
    expect(d.ok(slotCmd('x', at('12:00'), at('12:00') + 1, 1))).toHaveLength(1);
  });

  it('a slot may last at most 24 hours', () => {
    const d = day();
    expect(refused(d, slotCmd('x', at('12:00'), at('12:00') + 24 * 60 * MIN + 1, 1))).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'a slot may last at most 24 hours',
    });
    expect(d.ok(slotCmd('x', at('12:00'), at('12:00') + 24 * 60 * MIN, 1))[0]).toMatchObject({ type: 'SlotCreated' });
  });

  it('capacity is a whole number from 0 to 100000', () => {
    const d = day();
    const bad = { code: 'VALIDATION_FAILED', message: 'capacity must be a whole number from 0 to 100000' };
    expect(refused(d, slotCmd('x', at('12:00'), at('13:00'), -1))).toEqual(bad);
    expect(refused(d, slotCmd('x', at('12:00'), at('13:00'), 100_001))).toEqual(bad);
    expect(refused(d, slotCmd('x', at('12:00'), at('13:00'), 1.5))).toEqual(bad);
    expect(refused(d, slotCmd('x', at('12:00'), at('13:00'), '2' as unknown as number))).toEqual(bad);
    d.ok(slotCmd('zero', at('12:00'), at('13:00'), 0));
    d.ok(slotCmd('max', at('13:00'), at('14:00'), 100_000));
    expect(d.day.slots.map((s) => [s.id, s.capacity])).toEqual([['s9', 2], ['zero', 0], ['max', 100_000]]);
  });

  it('a slot id is a non-empty string of at most 128 characters (code points), new in the doctor-day', () => {
    const d = day();
    const bad = { code: 'VALIDATION_FAILED', message: 'slot id must be a non-empty string' };
    expect(refused(d, slotCmd('', at('12:00'), at('13:00'), 1))).toEqual(bad);
    expect(refused(d, slotCmd('   ', at('12:00'), at('13:00'), 1))).toEqual(bad);
    expect(refused(d, slotCmd('x'.repeat(129), at('12:00'), at('13:00'), 1))).toEqual(bad);
    expect(refused(d, slotCmd(7 as unknown as string, at('12:00'), at('13:00'), 1))).toEqual(bad);
    expect(refused(d, slotCmd('s9', at('12:00'), at('13:00'), 1))).toEqual({ code: 'VALIDATION_FAILED', message: 'slot s9 already exists' });
    d.ok(slotCmd('y'.repeat(128), at('12:00'), at('13:00'), 1));
  });

  it('slots never overlap; one may end exactly where another starts (either side)', () => {
    const d = day();
    const overlap = { code: 'SLOT_OVERLAP', message: 'the doctor already has slot s9 in that time' };
    expect(refused(d, slotCmd('x', at('09:59'), at('11:00'), 1))).toEqual(overlap);
    expect(refused(d, slotCmd('x', at('08:00'), at('09:01'), 1))).toEqual(overlap);
    expect(refused(d, slotCmd('x', at('09:10'), at('09:20'), 1))).toEqual(overlap);
    expect(refused(d, slotCmd('x', at('08:00'), at('11:00'), 1))).toEqual(overlap);
    d.ok(slotCmd('after', at('10:00'), at('11:00'), 1));
    d.ok(slotCmd('before', at('08:00'), at('09:00'), 1));
    expect(d.day.slots.map((s) => s.id)).toEqual(['before', 's9', 'after']);
  });
});

describe('changeCapacity and delayDoctor validation', () => {
  it('changeCapacity: the slot must exist and not have ended; capacity 0..100000', () => {
    const d = day();
    expect(refused(d, { type: 'changeCapacity', slotId: 'nope', capacity: 1 })).toEqual({ code: 'NOT_FOUND', message: 'no slot nope in this doctor-day' });
    expect(refused(d, { type: 'changeCapacity', slotId: 42 as unknown as string, capacity: 1 })).toEqual({
      code: 'NOT_FOUND',
      message: 'no slot 42 in this doctor-day',
    });
    const bad = { code: 'VALIDATION_FAILED', message: 'capacity must be a whole number from 0 to 100000' };
    expect(refused(d, { type: 'changeCapacity', slotId: 's9', capacity: -1 })).toEqual(bad);
    expect(refused(d, { type: 'changeCapacity', slotId: 's9', capacity: 100_001 })).toEqual(bad);
    expect(refused(d, { type: 'changeCapacity', slotId: 's9', capacity: 2.5 })).toEqual(bad);
    expect(d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 100_000 }, '09:59')).toEqual([
      { type: 'SlotCapacityChanged', at: at('09:59'), slotId: 's9', from: 2, to: 100_000, reason: 'set' },
    ]);
    expect(refused(d, { type: 'changeCapacity', slotId: 's9', capacity: 3 }, '10:00')).toEqual({
      code: 'SLOT_ENDED',
      message: 'that slot has ended; its capacity is history',
    });
  });

  it('changeCapacity to the same capacity records nothing', () => {
    const d = day();
    expect(d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 2 })).toEqual([]);
  });

  it('delayDoctor: minutes is a whole number from 1 to 1440', () => {
    const d = day();
    const bad = { code: 'VALIDATION_FAILED', message: 'minutes must be a whole number from 1 to 1440' };
    expect(refused(d, { type: 'delayDoctor', minutes: 0 })).toEqual(bad);
    expect(refused(d, { type: 'delayDoctor', minutes: 1441 })).toEqual(bad);
    expect(refused(d, { type: 'delayDoctor', minutes: 1.5 })).toEqual(bad);
    expect(d.ok({ type: 'delayDoctor', minutes: 1 })[0]).toMatchObject({ type: 'DoctorDelayed', minutes: 1 });
    expect(d.ok({ type: 'delayDoctor', minutes: 1440 })[0]).toMatchObject({ type: 'DoctorDelayed', minutes: 1440 });
  });

  it('an unknown command is refused', () => {
    const d = day();
    expect(refused(d, { type: 'teleport' } as unknown as Command)).toEqual({ code: 'VALIDATION_FAILED', message: 'unknown command' });
  });

  it('now must be a finite time', () => {
    const d = day();
    const out = execute(d.day, { type: 'tick' }, { now: Number.NaN, policy: DEFAULT_POLICY });
    expect(out).toEqual({ ok: false, code: 'VALIDATION_FAILED', message: 'now must be a finite time', events: [] });
    const out2 = execute(d.day, { type: 'tick' }, { now: '09:00' as unknown as number, policy: DEFAULT_POLICY });
    expect(out2).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });
});

describe('SPEC 4, 7: issueToken validation', () => {
  const issue = (tokenId: string, patient: { key?: unknown }, extra: object = {}): Command =>
    ({ type: 'issueToken', tokenId, source: 'WALKIN', ...('key' in patient ? { patientKey: patient.key } : {}), ...extra }) as unknown as Command;

  it('token id: non-empty, at most 128 characters (code points), new', () => {
    const d = day();
    const bad = { code: 'VALIDATION_FAILED', message: 'token id must be a non-empty string' };
    expect(refused(d, issue('', {}))).toEqual(bad);
    expect(refused(d, issue(' ', {}))).toEqual(bad);
    expect(refused(d, issue('t'.repeat(129), {}))).toEqual(bad);
    expect(refused(d, issue('a', {}))).toEqual({ code: 'VALIDATION_FAILED', message: 'token a already exists' });
    expect(d.run(issue('t'.repeat(128), {})).ok).toBe(true);
  });

  it('source must be one of the five', () => {
    const d = day();
    expect(refused(d, { ...issue('x', {}), source: 'VIP' } as unknown as Command)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'source must be one of EMERGENCY, PAID, FOLLOWUP, ONLINE, WALKIN',
    });
  });

  it('SPEC 7: a patient (by its key) holds one live token per doctor-day; a token without a key is nobody', () => {
    const d = day();
    const dup = { code: 'DUPLICATE_TOKEN', message: 'the patient already holds GM-001 (ALLOCATED) with this doctor that day', tokenId: 'a' };
    expect(refused(d, issue('x', { key: 'id:p-a' }))).toEqual(dup);
    // a's key is its id; the phone alone is another patient's key
    expect(d.run(issue('y', { key: 'phone:555' })).ok).toBe(true);
    expect(refused(d, issue('z', { key: 'phone:555' }))).toMatchObject({ code: 'DUPLICATE_TOKEN', tokenId: 'y' });
    expect(d.run(issue('n1', {})).ok).toBe(true);
    expect(d.run(issue('n2', {})).ok).toBe(true);
  });

  it('a named slot must exist and not have ended (or a later one, when flexible)', () => {
    const d = day();
    d.slot('s10', '10:00', '11:00', 2);
    expect(refused(d, issue('x', {}, { slotId: 'nope' }))).toEqual({ code: 'NOT_FOUND', message: 'no slot nope in this doctor-day' });
    expect(refused(d, issue('x', {}, { slotId: 's9' }), '10:00')).toEqual({ code: 'SLOT_ENDED', message: 'that slot has ended' });
    expect(d.run(issue('x', {}, { slotId: 's9', flexible: true })).ok).toBe(true);
    expect(d.where('x')).toBe('ALLOCATED@s10');
    d.slot('s12', '12:00', '13:00', 2);
    expect(refused(d, issue('y', {}, { slotId: 's9', flexible: false }), '11:00')).toEqual({ code: 'SLOT_ENDED', message: 'that slot has ended' });
    expect(d.run(issue('y', {}, { slotId: 's9', flexible: true })).ok).toBe(true);
    expect(d.where('y')).toBe('ALLOCATED@s12');
  });

  it('SPEC 4 NO_OPEN_SLOT: a doctor-day with no slot that has not ended takes no token, named slot or not', () => {
    const d = day();
    const noneLeft = { code: 'NO_OPEN_SLOT', message: 'the doctor has no OPD left that day: every slot has ended' };
    expect(refused(d, issue('y', {}), '10:00')).toEqual(noneLeft);
    expect(refused(d, issue('y', {}, { slotId: 's9', flexible: true }))).toEqual(noneLeft);
    expect(refused(d, issue('y', {}, { slotId: 's9' }))).toEqual(noneLeft);
  });

  it('SPEC 4 NO_OPEN_SLOT: a doctor-day with no slots at all takes no token, and nothing changes', () => {
    const d = new Desk();
    expect(d.issue('x', 'WALKIN')).toMatchObject({ ok: false, code: 'NO_OPEN_SLOT', message: 'the doctor has no OPD that day' });
    expect(d.day.tokens.size).toBe(0);
    expect(d.day.lastNumber).toBe(0);
  });
});

describe('SPEC 7: transitions a status does not allow are refused', () => {
  it('each command names the token and its status', () => {
    const d = day();
    expect(refused(d, { type: 'complete', tokenId: 'a' })).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'complete is not possible for GM-001: it is ALLOCATED',
      tokenId: 'a',
    });
    expect(refused(d, { type: 'skip', tokenId: 'a' })).toMatchObject({ code: 'INVALID_TRANSITION', tokenId: 'a' });
    expect(refused(d, { type: 'cancel', tokenId: 'ghost' })).toEqual({ code: 'NOT_FOUND', message: 'no token ghost in this doctor-day' });
    expect(refused(d, { type: 'cancel', tokenId: 5 as unknown as string })).toEqual({ code: 'NOT_FOUND', message: 'no token 5 in this doctor-day' });
    d.ok({ type: 'checkIn', tokenId: 'a' });
    expect(refused(d, { type: 'checkIn', tokenId: 'a' })).toMatchObject({ code: 'INVALID_TRANSITION' });
    d.ok({ type: 'callNext' });
    expect(refused(d, { type: 'cancel', tokenId: 'a' })).toMatchObject({ code: 'INVALID_TRANSITION' });
    d.ok({ type: 'complete', tokenId: 'a' });
    expect(refused(d, { type: 'noShow', tokenId: 'a' })).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(refused(d, { type: 'callNext' })).toEqual({ code: 'QUEUE_EMPTY', message: 'no checked-in patient is waiting for this doctor' });
  });
});

describe('SPEC 9: policy validation', () => {
  const problemsOf = (o: Partial<Policy>) => policyProblems({ ...DEFAULT_POLICY, ...o } as Policy);

  it('the hospital default is valid', () => {
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
  });

  it('unknown preemption or delayMode', () => {
    expect(problemsOf({ preemption: 'sometimes' as Policy['preemption'] })).toEqual(['preemption is unknown']);
    expect(problemsOf({ delayMode: 'stretch' as Policy['delayMode'] })).toEqual(['delayMode is unknown']);
    for (const preemption of ['strict-priority', 'emergency-only', 'off'] as const) expect(problemsOf({ preemption })).toEqual([]);
    for (const delayMode of ['shrink', 'shift'] as const) expect(problemsOf({ delayMode })).toEqual([]);
  });

  it('whole numbers with their minimums', () => {
    expect(problemsOf({ maxBumps: -1 })).toEqual(['maxBumps must be a whole number ≥ 0']);
    expect(problemsOf({ maxBumps: 0.5 })).toEqual(['maxBumps must be a whole number ≥ 0']);
    expect(problemsOf({ maxBumps: '1' as unknown as number })).toEqual(['maxBumps must be a whole number ≥ 0']);
    expect(problemsOf({ reserveReleaseMinutes: -1 })).toEqual(['reserveReleaseMinutes must be a whole number ≥ 0']);
    expect(problemsOf({ agingMinutes: 0 })).toEqual(['agingMinutes must be a whole number ≥ 1']);
    expect(problemsOf({ agingFloor: -1 })).toEqual(['agingFloor must be a whole number ≥ 0']);
    expect(problemsOf({ noShowGraceMinutes: -1 })).toEqual(['noShowGraceMinutes must be a whole number ≥ 0']);
    expect(problemsOf({ maxSkips: -1 })).toEqual(['maxSkips must be a whole number ≥ 0']);
    expect(
      problemsOf({ maxBumps: 0, reserveReleaseMinutes: 0, agingMinutes: 1, agingFloor: 0, noShowGraceMinutes: 0, maxSkips: 0 }),
    ).toEqual([]);
    expect(problemsOf({ agingMinutes: null })).toEqual([]);
  });

  it('allowance: known sources, whole numbers (negative ones are reserves)', () => {
    expect(problemsOf({ allowance: { VIP: 1 } as Policy['allowance'] })).toEqual(['allowance names an unknown source VIP']);
    expect(problemsOf({ allowance: { PAID: 0.5 } })).toEqual(['allowance.PAID must be a whole number']);
    expect(problemsOf({ allowance: { PAID: '1' as unknown as number } })).toEqual(['allowance.PAID must be a whole number']);
    expect(problemsOf({ allowance: { ONLINE: -2, EMERGENCY: 3 } })).toEqual([]);
  });

  it('every problem is listed, and the engine refuses the command with all of them', () => {
    const bad = policy({ preemption: 'x' as Policy['preemption'], maxBumps: -1 });
    expect(policyProblems(bad)).toEqual(['preemption is unknown', 'maxBumps must be a whole number ≥ 0']);
    const d = openDoctorDay({ doctorId: 'doc', date: '2026-01-05', code: 'GM' });
    expect(execute(d, { type: 'tick' }, { now: at('08:00'), policy: bad })).toEqual({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: 'invalid policy: preemption is unknown; maxBumps must be a whole number ≥ 0',
      events: [],
    });
    expect(d.policy).toBeNull();
    expect(execute(d, { type: 'setPolicy', policy: bad }, { now: at('08:00'), policy: DEFAULT_POLICY })).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('SPEC 9: a policy without an allowance', () => {
  it('is refused with a clear message, not a crash', () => {
    const { allowance: _allowance, ...rest } = DEFAULT_POLICY;
    expect(policyProblems(rest as Policy)).toEqual(['allowance must be an object']);
    expect(policyProblems({ ...DEFAULT_POLICY, allowance: null } as unknown as Policy)).toEqual(['allowance must be an object']);
    const d = openDoctorDay({ doctorId: 'doc', date: '2026-01-05', code: 'GM' });
    expect(execute(d, { type: 'tick' }, { now: at('08:00'), policy: rest as Policy })).toEqual({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: 'invalid policy: allowance must be an object',
      events: [],
    });
  });
});

describe('what the engine returns, exactly', () => {
  it('a refusal without a token carries no tokenId field at all', () => {
    const d = day();
    const out = d.run({ type: 'delayDoctor', minutes: 0 });
    expect(out).toStrictEqual({ ok: false, code: 'VALIDATION_FAILED', message: 'minutes must be a whole number from 1 to 1440', events: [] });
  });

  it('a malformed command that is no refusal (a bug in the caller) is thrown, not dressed up as one', () => {
    const d = day();
    const broken = { type: 'createSlot' } as unknown as Command;
    expect(() => execute(d.day, broken, { now: at('08:00'), policy: DEFAULT_POLICY })).toThrow(TypeError);
  });
});
