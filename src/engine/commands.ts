// The commands of a doctor-day. Each checks everything it needs before its first event, so a
// refused command changes nothing; then it emits events, which are applied as they are emitted.

import { Run } from './allocation.ts';
import { formatNumber, type DoctorDay, type Slot } from './doctor-day.ts';
import { byIssue } from './ordered-set.ts';
import { canonicalPolicy, policyProblems, samePolicy } from './policy.ts';
import { ID_MAX, PATIENT_KEY_MAX, ROOM_MAX, textProblem } from './text.ts';
import {
  SOURCES,
  type Command,
  type Context,
  type Failure,
  type FailureCode,
  type IssueToken,
  type Outcome,
  type Policy,
  type Token,
  type TokenStatus,
} from './types.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Refusal with a machine code; nothing was changed. Not an Error: a refusal is an answer, not a fault,
 * and capturing a stack trace would make every refused command (an idle console's call next) costly.
 */
class Refusal {
  constructor(
    readonly code: FailureCode,
    readonly message: string,
    readonly tokenId?: string,
  ) {}
}

function refuse(code: FailureCode, message: string, tokenId?: string): never {
  throw new Refusal(code, message, tokenId);
}

/**
 * Runs one command on a doctor-day at `ctx.now` under `ctx.policy`. The returned events have been
 * applied to `day` (the state is the fold of its events). A refused command emits nothing of its own;
 * what its moment was due anyway (a new policy recorded, a reserve released and the promotions it
 * opened) is applied and returned in the failure's `events`, for the caller to record like any other.
 * The same state, command and context always give the same events.
 */
export function execute(day: DoctorDay, command: Command, ctx: Context): Outcome {
  const policy = command.type === 'setPolicy' ? command.policy : ctx.policy;
  let run: Run | undefined;
  try {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: Number.isFinite already refuses every non-number
    if (typeof ctx.now !== 'number' || !Number.isFinite(ctx.now)) refuse('VALIDATION_FAILED', 'now must be a finite time');
    // A doctor-day's time never runs backwards: an earlier `now` acts at the latest time seen.
    run = new Run(day, Math.max(ctx.now, day.clock), checkedPolicy(policy));
    run.sync();
    const result = carryOut(run, command, validate(run, command));
    return { ok: true, events: run.events, ...result };
  } catch (err) {
    if (err instanceof Refusal) {
      const failure: Failure = { ok: false, code: err.code, message: err.message, events: run?.events ?? [] };
      if (err.tokenId !== undefined) failure.tokenId = err.tokenId;
      return failure;
    }
    throw err;
  }
}

// ------------------------------------------------------------------ validation (no events yet)

const checkedPolicies = new WeakMap<Policy, Policy>();

/**
 * The policy validated and in canonical form. Callers pass the same policy object command after
 * command, so the check is remembered per object (and redone if the object was changed since).
 */
function checkedPolicy(policy: Policy): Policy {
  const known = checkedPolicies.get(policy);
  if (known && samePolicy(known, policy)) return known;
  const problems = policyProblems(policy);
  if (problems.length > 0) refuse('VALIDATION_FAILED', `invalid policy: ${problems.join('; ')}`);
  const canonical = canonicalPolicy(policy);
  Object.freeze(canonical.allowance);
  checkedPolicies.set(policy, Object.freeze(canonical));
  return canonical;
}

interface Checked {
  slot?: Slot;
  token?: Token;
  candidates?: Slot[];
}

const TRANSITIONS: Record<'cancel' | 'noShow' | 'checkIn' | 'complete' | 'skip', readonly TokenStatus[]> = {
  cancel: ['WAITLISTED', 'ALLOCATED', 'CHECKED_IN'],
  noShow: ['ALLOCATED', 'CHECKED_IN', 'CALLED'],
  checkIn: ['ALLOCATED'],
  complete: ['CALLED'],
  skip: ['CALLED'],
};

/** SPEC 7: only a token that is waiting, booked or checked in (not yet called) can move to another doctor or day. */
export const TRANSFERABLE: readonly TokenStatus[] = ['WAITLISTED', 'ALLOCATED', 'CHECKED_IN'];

const isWhole = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const nonEmpty = (v: unknown, max: number): v is string => textProblem(v, max) === null;

function checkText(field: string, value: unknown, max: number): void {
  const why = textProblem(value, max);
  if (why !== null) refuse('VALIDATION_FAILED', `${field} ${why}`);
}

function validate(run: Run, command: Command): Checked {
  const day = run.day;
  switch (command.type) {
    case 'createSlot': {
      const { id, start, end, capacity, room } = command.slot;
      if (!nonEmpty(id, ID_MAX)) refuse('VALIDATION_FAILED', 'slot id must be a non-empty string');
      if (room !== undefined) checkText('room', room, ROOM_MAX);
      if (day.slotById.has(id)) refuse('VALIDATION_FAILED', `slot ${id} already exists`);
      if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) refuse('VALIDATION_FAILED', 'a slot must end after it starts');
      if (end - start > DAY) refuse('VALIDATION_FAILED', 'a slot may last at most 24 hours');
      if (!isWhole(capacity, 0, 100_000)) refuse('VALIDATION_FAILED', 'capacity must be a whole number from 0 to 100000');
      const overlap = day.slots.find((s) => s.start < end && start < s.end);
      if (overlap) refuse('SLOT_OVERLAP', `the doctor already has slot ${overlap.id} in that time`);
      return {};
    }
    case 'removeSlot': {
      const slot = findSlot(run, command.slotId);
      for (const t of day.tokens.values()) {
        if (t.slotId === slot.id || t.tie.slotId === slot.id) refuse('INVALID_TRANSITION', `slot ${slot.id} has tokens: close it (capacity 0) instead`, t.id);
      }
      return { slot };
    }
    case 'changeCapacity': {
      const slot = findSlot(run, command.slotId);
      if (!isWhole(command.capacity, 0, 100_000)) refuse('VALIDATION_FAILED', 'capacity must be a whole number from 0 to 100000');
      if (!run.isOpen(slot)) refuse('SLOT_ENDED', 'that slot has ended; its capacity is history');
      return { slot };
    }
    case 'issueToken':
      return validateIssue(run, command);
    case 'cancel':
    case 'noShow':
    case 'checkIn':
    case 'complete':
    case 'skip': {
      const token = findToken(run, command.tokenId);
      if (!TRANSITIONS[command.type].includes(token.status)) {
        refuse('INVALID_TRANSITION', `${command.type} is not possible for ${token.label}: it is ${token.status}`, token.id);
      }
      return { token };
    }
    case 'transferOut': {
      const token = findToken(run, command.tokenId);
      if (!TRANSFERABLE.includes(token.status)) {
        refuse('INVALID_TRANSITION', `transfer is not possible for ${token.label}: it is ${token.status}`, token.id);
      }
      return { token };
    }
    case 'callNext':
      return {};
    case 'delayDoctor':
      if (!isWhole(command.minutes, 1, 24 * 60)) refuse('VALIDATION_FAILED', 'minutes must be a whole number from 1 to 1440');
      return {};
    case 'setPolicy':
    case 'tick':
      return {};
    default:
      return refuse('VALIDATION_FAILED', 'unknown command');
  }
}

function findSlot(run: Run, slotId: unknown): Slot {
  const slot = typeof slotId === 'string' ? run.day.slotById.get(slotId) : undefined;
  if (!slot) refuse('NOT_FOUND', `no slot ${String(slotId)} in this doctor-day`);
  return slot;
}

function findToken(run: Run, tokenId: unknown): Token {
  const token = typeof tokenId === 'string' ? run.day.tokens.get(tokenId) : undefined;
  if (!token) refuse('NOT_FOUND', `no token ${String(tokenId)} in this doctor-day`);
  return token;
}

function validateIssue(run: Run, command: IssueToken): Checked {
  const day = run.day;
  if (!nonEmpty(command.tokenId, ID_MAX)) refuse('VALIDATION_FAILED', 'token id must be a non-empty string');
  if (day.tokens.has(command.tokenId)) refuse('VALIDATION_FAILED', `token ${command.tokenId} already exists`);
  if (!(SOURCES as readonly string[]).includes(command.source)) refuse('VALIDATION_FAILED', `source must be one of ${SOURCES.join(', ')}`);
  const key = command.patientKey;
  if (key !== undefined && !nonEmpty(key, PATIENT_KEY_MAX)) refuse('VALIDATION_FAILED', `patientKey must be a non-empty string of at most ${PATIENT_KEY_MAX} characters`);
  if (command.arrived !== undefined && typeof command.arrived !== 'boolean') refuse('VALIDATION_FAILED', 'arrived must be true or false');
  const existing = key === undefined ? undefined : day.livePatients.get(key);
  if (existing !== undefined) {
    const t = day.tokens.get(existing)!;
    refuse('DUPLICATE_TOKEN', `the patient already holds ${t.label} (${t.status}) with this doctor that day`, t.id);
  }
  const slotId = command.slotId ?? null;
  const flexible = command.flexible ?? false;
  const slot = slotId === null ? undefined : findSlot(run, slotId);
  // SPEC 4: a doctor-day with no slot that has not ended takes no token (nothing to wait for); this
  // also bounds how far ahead anyone can book: only days with OPD sessions set up.
  const open = day.slots.filter((s) => run.isOpen(s));
  if (open.length === 0) {
    refuse('NO_OPEN_SLOT', day.slots.length === 0 ? 'the doctor has no OPD that day' : 'the doctor has no OPD left that day: every slot has ended');
  }
  if (slot === undefined) return { candidates: open };
  const from = day.slots.indexOf(slot);
  const candidates = (flexible ? day.slots.slice(from) : [slot]).filter((s) => run.isOpen(s));
  // (Flexible, a later slot is open whenever any is: NO_OPEN_SLOT above answered the rest.)
  if (candidates.length === 0) refuse('SLOT_ENDED', 'that slot has ended');
  return { slot, candidates };
}

// ------------------------------------------------------------------ carrying out

interface Result {
  tokenId?: string;
  bumpedTokenId?: string;
}

function carryOut(run: Run, command: Command, checked: Checked): Result {
  const now = run.now;
  switch (command.type) {
    case 'createSlot': {
      run.emit({ type: 'SlotCreated', at: now, slot: { ...command.slot } });
      run.sync(); // its reserve may already be due
      run.promoteInto(run.day.slotById.get(command.slot.id)!, 'slot-added');
      return {};
    }
    case 'removeSlot':
      run.emit({ type: 'SlotRemoved', at: now, slotId: checked.slot!.id });
      return {};
    case 'changeCapacity': {
      const slot = checked.slot!;
      const from = slot.capacity;
      if (command.capacity === from) return {};
      run.emit({ type: 'SlotCapacityChanged', at: now, slotId: slot.id, from, to: command.capacity, reason: 'set' });
      // Stryker disable next-line EqualityOperator: an unchanged capacity returned above, so > and >= agree
      if (command.capacity > from) run.promoteInto(slot, 'capacity-raised');
      else run.enforceLimits(slot, command.capacity === 0 ? 'slot-closed' : 'capacity-reduced');
      return {};
    }
    case 'issueToken':
      return issue(run, command, checked.candidates!);
    case 'cancel': {
      const t = checked.token!;
      run.emit({ type: 'TokenCancelled', at: now, tokenId: t.id });
      freeSeat(run, t, 'cancelled');
      return { tokenId: t.id };
    }
    case 'transferOut': {
      const t = checked.token!;
      run.emit({ type: 'TokenCancelled', at: now, tokenId: t.id, reason: 'transferred', transferredTo: { ...command.to } });
      freeSeat(run, t, 'cancelled');
      return { tokenId: t.id };
    }
    case 'noShow': {
      const t = checked.token!;
      run.emit({ type: 'TokenNoShow', at: now, tokenId: t.id, auto: false, reason: 'staff' });
      freeSeat(run, t, 'no-show');
      return { tokenId: t.id };
    }
    case 'checkIn':
      run.emit({ type: 'TokenCheckedIn', at: now, tokenId: checked.token!.id });
      return { tokenId: checked.token!.id };
    case 'complete':
      run.emit({ type: 'TokenCompleted', at: now, tokenId: checked.token!.id });
      return { tokenId: checked.token!.id };
    case 'skip': {
      const t = checked.token!;
      if (t.skips >= run.policy.maxSkips) {
        run.emit({ type: 'TokenNoShow', at: now, tokenId: t.id, auto: true, reason: 'max-skips' });
        freeSeat(run, t, 'no-show');
      } else {
        run.emit({ type: 'TokenSkipped', at: now, tokenId: t.id, skips: t.skips + 1 });
        // Called tokens never move; once skipped back to checked in, one in a shrunk open slot must.
        // An ended slot is history: the patient stays checked in and is called again.
        const slot = run.day.slotById.get(t.slotId!)!;
        if (run.isOpen(slot)) run.enforceLimits(slot, slot.capacity === 0 ? 'slot-closed' : 'capacity-reduced');
      }
      return { tokenId: t.id };
    }
    case 'callNext': {
      const next = nextToCall(run);
      if (!next) return refuse('QUEUE_EMPTY', 'no checked-in patient is waiting for this doctor');
      run.emit({ type: 'TokenCalled', at: now, tokenId: next.id });
      return { tokenId: next.id };
    }
    case 'delayDoctor':
      delay(run, command.minutes);
      return {};
    case 'setPolicy':
      return {}; // sync() recorded it and moved or promoted tokens under it
    case 'tick':
      tick(run);
      return {};
  }
}

/**
 * Who call next takes (SPEC 7): a checked-in EMERGENCY of any slot that has not ended comes first, the
 * earliest issued; otherwise the earliest slot with a checked-in patient, in serving order. A skipped
 * emergency has had its turn: it waits in its slot's serving order behind those checked in when it
 * was skipped, like any skipped token, so call next never offers the same patient again at once.
 */
function nextToCall(run: Run): Token | undefined {
  let emergency: Token | undefined;
  for (const slot of run.day.slots) {
    if (!run.isOpen(slot)) continue;
    for (const t of slot.checkedIn[0]!.values()) {
      if (t.requeue !== 0) continue;
      // Stryker disable next-line EqualityOperator: byIssue is 0 only between a token and itself, and each slot offers a different token
      if (!emergency || byIssue(t, emergency) < 0) emergency = t;
      break; // booking order: the first one not skipped is the earliest of this slot
    }
  }
  if (emergency) return emergency;
  for (const slot of run.day.slots) {
    const next = slot.serving.first();
    if (next) return next;
  }
  return undefined;
}

/** A seat freed in a slot that has not ended goes to the best eligible waiting token (SPEC 5). */
function freeSeat(run: Run, t: Token, cause: 'cancelled' | 'no-show'): void {
  if (t.slotId === null) return;
  const slot = run.day.slotById.get(t.slotId)!;
  run.promoteInto(slot, cause, t.id);
}

function issue(run: Run, command: IssueToken, candidates: Slot[]): Result {
  const day = run.day;
  const number = day.lastNumber + 1;
  run.emit({
    type: 'TokenIssued',
    at: run.now,
    tokenId: command.tokenId,
    number,
    label: formatNumber(day.code, number),
    source: command.source,
    ...(command.patientKey === undefined ? {} : { patientKey: command.patientKey }),
    request: { slotId: command.slotId ?? null, flexible: command.slotId ? (command.flexible ?? false) : false },
    ...(command.arrived === true ? { arrived: true as const } : {}),
    ...(command.transferredFrom === undefined ? {} : { transferredFrom: { ...command.transferredFrom } }),
  });
  const token = day.tokens.get(command.tokenId)!;
  for (const slot of candidates) {
    if (run.fits(slot, token.source)) {
      const reason = slot.occupied >= slot.capacity ? 'overflow' : 'free-seat';
      run.emit({ type: 'TokenAllocated', at: run.now, tokenId: token.id, slotId: slot.id, reason });
      run.checkInIfArrived(token);
      return { tokenId: token.id };
    }
    const victim = run.findVictim(slot, token);
    if (victim) {
      const to = run.laterSlotWithSeat(slot, victim.source);
      run.emit({ type: 'TokenBumped', at: run.now, tokenId: victim.id, byTokenId: token.id, fromSlotId: slot.id, toSlotId: to?.id ?? null });
      run.emit({ type: 'TokenAllocated', at: run.now, tokenId: token.id, slotId: slot.id, reason: 'preempted-other', bumpedTokenId: victim.id });
      run.checkInIfArrived(token);
      return { tokenId: token.id, bumpedTokenId: victim.id };
    }
  }
  run.emit({ type: 'TokenWaitlisted', at: run.now, tokenId: token.id, tie: { ...token.tie }, reason: 'no-seat' });
  return { tokenId: token.id };
}

/**
 * Doctor running late by `minutes` (SPEC 6). shrink: the window [max(now, first start), +minutes) is
 * lost and each slot overlapping it loses ceil(capacity × overlap / length) seats. shift: the
 * remaining slots start and end later.
 */
function delay(run: Run, minutes: number): void {
  const day = run.day;
  if (run.policy.delayMode === 'shift') {
    const shifted = day.slots.filter((s) => s.end > run.now).map((s) => s.id);
    run.emit({ type: 'DoctorDelayed', at: run.now, minutes, mode: 'shift', window: null, shiftedSlotIds: shifted });
    return;
  }
  const first = day.slots[0];
  const from = Math.max(run.now, first?.start ?? run.now);
  const to = from + minutes * MINUTE;
  run.emit({ type: 'DoctorDelayed', at: run.now, minutes, mode: 'shrink', window: { from, to }, shiftedSlotIds: [] });
  const shrunk: Slot[] = [];
  for (const slot of day.slots) {
    const overlap = Math.min(slot.end, to) - Math.max(slot.start, from);
    if (overlap <= 0 || slot.capacity === 0) continue;
    // Stryker disable next-line MethodExpression: the overlap is never longer than the slot, so the share never exceeds the capacity
    const lost = Math.min(slot.capacity, Math.ceil((slot.capacity * overlap) / (slot.end - slot.start)));
    run.emit({ type: 'SlotCapacityChanged', at: run.now, slotId: slot.id, from: slot.capacity, to: slot.capacity - lost, reason: 'doctor-delayed' });
    shrunk.push(slot);
  }
  // Every slot shrinks before anyone moves, so nobody is moved into a seat the same delay takes away.
  for (const slot of shrunk) run.enforceLimits(slot, 'doctor-delayed');
}

/**
 * The clock's work (SPEC 6): ALLOCATED tokens of slots that ended `noShowGraceMinutes` ago become
 * NO_SHOW; WAITLISTED tokens with no eligible slot left expire; waiting tokens age.
 */
function tick(run: Run): void {
  const day = run.day;
  const now = run.now;
  const grace = run.policy.noShowGraceMinutes * MINUTE;
  // Most ticks change nothing: every test below is O(1) per slot until there is something to do.
  for (const slot of day.slots) {
    if (slot.end + grace > now) break; // slots never overlap: the rest end later
    // Stryker disable next-line ConditionalExpression: a shortcut; the sweep below finds nobody in a slot with no ALLOCATED token
    if (slot.allocatedCount === 0) continue;
    const absent: Token[] = [];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; an empty set adds nobody
    for (const byBumps of slot.allocated) for (const set of byBumps) if (set.size > 0) pushAll(absent, set);
    absent.sort(byNumber);
    for (const t of absent) run.emit({ type: 'TokenNoShow', at: now, tokenId: t.id, auto: true, reason: 'grace-expired' });
  }

  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: `waitlisted > 0` is a shortcut (nobody to expire); a day without slots is tested ('a tick on a doctor-day with waiting tokens but no slots')
  if (day.waitlisted > 0 && day.slots.length > 0) {
    const expired: Token[] = [];
    const last = day.slots[day.slots.length - 1]!;
    for (const slot of day.slots) {
      if (slot.end > now) break; // slots never overlap: the rest end later
      // A token tied to an ended slot has nowhere to go; a flexible one still has the later slots.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; an empty set adds nobody
      for (const set of slot.tiedWait) if (set.size > 0) pushAll(expired, set);
      if (last.end <= now) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; an empty set adds nobody
        for (const set of slot.flexWait) if (set.size > 0) pushAll(expired, set);
      }
    }
    if (last.end <= now) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; an empty set adds nobody
      for (const set of day.untiedWait) if (set.size > 0) pushAll(expired, set);
    }
    expired.sort(byNumber);
    for (const t of expired) run.emit({ type: 'TokenExpired', at: now, tokenId: t.id });
  }

  age(run);
}

function pushAll(into: Token[], set: { values(): Iterable<Token> }): void {
  for (const t of set.values()) into.push(t);
}

const byNumber = (a: Token, b: Token) => a.number - b.number;

/** A waiting token's effective rank improves by 1 per `agingMinutes` waited, never below the floor. */
function age(run: Run): void {
  const { agingMinutes, agingFloor } = run.policy;
  if (agingMinutes === null) return;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a shortcut; with nobody waiting the sweep below ages nobody
  if (run.day.waiting === 0) return;
  const step = agingMinutes * MINUTE;
  const aged: Token[] = [];
  const ranks: number[] = [];
  const aging = run.day.aging;
  for (let rank = 0; rank < aging.length; rank++) {
    const bySteps = aging[rank]!;
    // steps < rank - agingFloor ≤ 4, and every rank has a set for each of its steps
    for (let steps = 0; rank - steps > agingFloor; steps++) {
      const set = bySteps[steps]!;
      const first = set.first();
      // Stryker disable next-line ConditionalExpression,LogicalOperator,BooleanLiteral,ArithmeticOperator: a shortcut; the loop below stops at the first token that has not waited long enough
      if (!first || run.now - first.waitingSince! < (steps + 1) * step) continue;
      for (const t of set.values()) {
        const waited = run.now - t.waitingSince!;
        if (waited < (steps + 1) * step) break; // the rest of the set started waiting later
        aged.push(t);
        ranks.push(Math.max(agingFloor, rank - Math.floor(waited / step)));
      }
    }
  }
  const order = aged.map((_, i) => i).sort((a, b) => aged[a]!.number - aged[b]!.number);
  for (const i of order) run.emit({ type: 'TokenAged', at: run.now, tokenId: aged[i]!.id, effectiveRank: ranks[i]! });
}
