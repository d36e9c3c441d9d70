import { byIssue, byPriority, bySeat, byServing, byWaitStart, TokenSet } from './ordered-set.ts';
import {
  BASE_RANK,
  LIVE,
  SEATED,
  SOURCES,
  type DelayMode,
  type DoctorDayEvent,
  type Millis,
  type Policy,
  type SlotSpec,
  type Tie,
  type Token,
} from './types.ts';

const RANKS = SOURCES.length;

/**
 * One slot with its seat counters and the indexed queues that keep every command O(log n):
 * who may be bumped, who may be moved out, who is served next, who waits for it.
 */
export interface Slot {
  readonly id: string;
  start: Millis;
  end: Millis;
  capacity: number;
  /** The slot's own room, or null: the doctor's. */
  readonly room: string | null;
  /** Negative allowances count as 0 from now on (SPEC 3 reserve release). */
  reserveReleased: boolean;
  /** Tokens in ALLOCATED, CHECKED_IN, CALLED or COMPLETED. */
  occupied: number;
  seatedByRank: number[];
  /** Tokens in ALLOCATED (not yet checked in): lets a tick skip swept slots in O(1). */
  allocatedCount: number;
  /**
   * Every seated token in serving order (called ones first, by when; then the serving order), with
   * each token's place in it in O(log n): its position for the estimated time (SPEC 6).
   */
  readonly seated: TokenSet;
  /** ALLOCATED tokens by [rank][bumps], booking order: the preemption and move-out candidates. */
  readonly allocated: TokenSet[][];
  /** CHECKED_IN tokens by [rank], booking order: moved out last. */
  readonly checkedIn: TokenSet[];
  /** CHECKED_IN tokens in serving order (skipped ones behind, SPEC 7). */
  readonly serving: TokenSet;
  /** WAITLISTED tokens tied to this slot only, by [rank], in promotion order. */
  readonly tiedWait: TokenSet[];
  /** WAITLISTED tokens tied to this slot or any later one, by [rank], in promotion order. */
  readonly flexWait: TokenSet[];
  /** The two ties to this slot (only it; it or a later one), shared by every token tied to it. */
  readonly ties: readonly [Tie, Tie];
}

/** All slots of one doctor on one local date, with that day's waitlist: the unit of consistency. */
export interface DoctorDay {
  readonly doctorId: string;
  /** Hospital-local date, YYYY-MM-DD. */
  readonly date: string;
  /** 2–4 capital letters used in token numbers. */
  readonly code: string;
  /** The latest time seen: a doctor-day's time never runs backwards. */
  clock: Millis;
  /** The policy in force, as last recorded by PolicyChanged. */
  policy: Policy | null;
  lastNumber: number;
  /** In start order; slots never overlap. */
  readonly slots: Slot[];
  readonly slotById: Map<string, Slot>;
  readonly tokens: Map<string, Token>;
  /** Patient key (id, else phone) → the live token of that patient. */
  readonly livePatients: Map<string, string>;
  /** WAITLISTED tokens tied to no slot, by [rank], in promotion order. */
  readonly untiedWait: TokenSet[];
  waitlisted: number;
  /** Tokens that wait (WAITLISTED or CHECKED_IN), the ones aging applies to. */
  waiting: number;
  /** Waiting tokens (WAITLISTED, CHECKED_IN) by [rank][aging steps taken], oldest wait first. */
  readonly aging: TokenSet[][];
  /** Every delay reported, in report order (SPEC 6): estimates skip the windows they took away. */
  readonly delays: ReportedDelay[];
  /** Skips so far: a skipped token's `requeue` (its place behind those checked in then). */
  skipCount: number;
}

/** A doctor's reported delay as recorded (DoctorDelayed). */
export interface ReportedDelay {
  at: Millis;
  minutes: number;
  mode: DelayMode;
  /** shrink: the time window the doctor lost, [from, to). */
  window: { from: Millis; to: Millis } | null;
}

const sets = (n: number, order: typeof byIssue) => Array.from({ length: n }, () => new TokenSet(order));

export function openDoctorDay(init: { doctorId: string; date: string; code: string }): DoctorDay {
  return {
    doctorId: init.doctorId,
    date: init.date,
    code: init.code,
    clock: -Infinity,
    policy: null,
    lastNumber: 0,
    slots: [],
    slotById: new Map(),
    tokens: new Map(),
    livePatients: new Map(),
    untiedWait: sets(RANKS, byPriority),
    waitlisted: 0,
    waiting: 0,
    aging: Array.from({ length: RANKS }, () => sets(RANKS, byWaitStart)),
    delays: [],
    skipCount: 0,
  };
}

function newSlot(spec: SlotSpec): Slot {
  return {
    id: spec.id,
    start: spec.start,
    end: spec.end,
    capacity: spec.capacity,
    room: spec.room ?? null,
    reserveReleased: false,
    occupied: 0,
    seatedByRank: new Array<number>(RANKS).fill(0),
    allocatedCount: 0,
    seated: new TokenSet(bySeat),
    allocated: Array.from({ length: RANKS }, () => []),
    checkedIn: sets(RANKS, byIssue),
    serving: new TokenSet(byServing),
    tiedWait: sets(RANKS, byPriority),
    flexWait: sets(RANKS, byPriority),
    ties: [Object.freeze({ slotId: spec.id, flexible: false }), Object.freeze({ slotId: spec.id, flexible: true })],
  };
}

const UNTIED: readonly [Tie, Tie] = [Object.freeze({ slotId: null, flexible: false }), Object.freeze({ slotId: null, flexible: true })];

/**
 * The shared, frozen tie equal to `tie`: a token keeps no tie object, nor a copy of its slot's id,
 * of its own (an event's strings are new ones each time, from a command or from the log). A tie is
 * never changed in place, only replaced.
 */
function tieOf(day: DoctorDay, tie: Tie): Tie {
  const ties = tie.slotId === null ? UNTIED : day.slotById.get(tie.slotId)?.ties;
  // Stryker disable next-line ConditionalExpression: a tie names a slot of the day (removeSlot refuses while one does); the copy is for a log that says otherwise
  return ties ? ties[tie.flexible ? 1 : 0] : Object.freeze({ slotId: tie.slotId, flexible: tie.flexible });
}

/** The slot's own id string for an id read from an event (equal, but another copy). */
function slotIdOf(day: DoctorDay, id: string | null): string | null {
  return id === null ? null : (day.slotById.get(id)?.id ?? id);
}

export function formatNumber(code: string, n: number): string {
  return `${code}-${String(n).padStart(3, '0')}`;
}

// ------------------------------------------------------------------ index upkeep

function waitSet(day: DoctorDay, t: Token): TokenSet {
  const rank = t.rank;
  if (t.tie.slotId === null) return day.untiedWait[rank]!;
  const slot = day.slotById.get(t.tie.slotId)!;
  return (t.tie.flexible ? slot.flexWait : slot.tiedWait)[rank]!;
}

function allocatedSet(slot: Slot, t: Token): TokenSet {
  const byBumps = slot.allocated[t.rank]!;
  while (byBumps.length <= t.bumps) byBumps.push(new TokenSet(byIssue));
  return byBumps[t.bumps]!;
}

function agingSet(day: DoctorDay, t: Token): TokenSet {
  return day.aging[t.rank]![t.rank - t.effectiveRank]!;
}

/**
 * Takes a token out of every index and counter that its current fields put it in. Every change to a
 * token is detach → change → attach, so counters are always the membership they count: a seat can
 * only be freed by the token that holds it, once.
 */
function detach(day: DoctorDay, t: Token): void {
  // Stryker disable next-line ConditionalExpression: the entry is deleted only if it names this token, and the index names live tokens only (attach), so for a token that is not live nothing is deleted either way
  if (LIVE.has(t.status)) {
    const key = t.patientKey;
    // Stryker disable next-line ConditionalExpression: a patient holds at most one live token per doctor-day (DUPLICATE_TOKEN), so the entry of a live token's key always names that token
    if (key !== undefined && day.livePatients.get(key) === t.id) day.livePatients.delete(key);
  }
  if (t.status === 'WAITLISTED') {
    waitSet(day, t).delete(t);
    day.waitlisted--;
  }
  if (t.status === 'WAITLISTED' || t.status === 'CHECKED_IN') {
    agingSet(day, t).delete(t);
    day.waiting--;
  }
  if (SEATED.has(t.status) && t.slotId !== null) {
    const slot = day.slotById.get(t.slotId)!;
    slot.occupied--;
    slot.seatedByRank[t.rank]!--;
    slot.seated.delete(t);
    if (t.status === 'ALLOCATED') {
      allocatedSet(slot, t).delete(t);
      slot.allocatedCount--;
    }
    // Stryker disable next-line ConditionalExpression: only CHECKED_IN tokens are in these two sets, and deleting a token from a set it is not in changes nothing (every order ends with the unique token number, so no other token compares equal)
    if (t.status === 'CHECKED_IN') {
      slot.checkedIn[t.rank]!.delete(t);
      slot.serving.delete(t);
    }
  }
}

function attach(day: DoctorDay, t: Token): void {
  if (LIVE.has(t.status)) {
    const key = t.patientKey;
    if (key !== undefined) day.livePatients.set(key, t.id);
  }
  if (t.status === 'WAITLISTED') {
    waitSet(day, t).add(t);
    day.waitlisted++;
  }
  if (t.status === 'WAITLISTED' || t.status === 'CHECKED_IN') {
    agingSet(day, t).add(t);
    day.waiting++;
  }
  if (SEATED.has(t.status) && t.slotId !== null) {
    const slot = day.slotById.get(t.slotId)!;
    slot.occupied++;
    slot.seatedByRank[t.rank]!++;
    slot.seated.add(t);
    if (t.status === 'ALLOCATED') {
      allocatedSet(slot, t).add(t);
      slot.allocatedCount++;
    }
    if (t.status === 'CHECKED_IN') {
      slot.checkedIn[t.rank]!.add(t);
      slot.serving.add(t);
    }
  }
}

function change(day: DoctorDay, tokenId: string, edit: (t: Token) => void): void {
  const t = day.tokens.get(tokenId);
  if (!t) throw new Error(`event names unknown token ${tokenId}`);
  detach(day, t);
  edit(t);
  attach(day, t);
}

/** Starts a new wait: aging counts only the current wait. */
function wait(t: Token, at: Millis): void {
  t.waitingSince = at;
  t.effectiveRank = t.rank;
}

function stopWaiting(t: Token): void {
  t.waitingSince = null;
  t.effectiveRank = t.rank;
}

// ------------------------------------------------------------------ the fold

/** Applies one event to the doctor-day. State is the fold of its events (SPEC 8). */
export function apply(day: DoctorDay, e: DoctorDayEvent): void {
  // Stryker disable next-line EqualityOperator,ConditionalExpression: at an equal time, setting the clock changes nothing; and no event is earlier than the clock (every command runs at max(now, clock), commands.ts, and a replay applies the events in the order they were made)
  if (e.at > day.clock) day.clock = e.at;
  switch (e.type) {
    case 'SlotCreated': {
      const slot = newSlot(e.slot);
      let i = day.slots.length;
      while (
        i > 0 &&
        // Stryker disable next-line EqualityOperator: no two slots start together (they never overlap), so > and >= agree
        day.slots[i - 1]!.start > slot.start
      ) {
        i--;
      }
      day.slots.splice(i, 0, slot);
      day.slotById.set(slot.id, slot);
      return;
    }
    case 'SlotRemoved':
      day.slots.splice(day.slots.indexOf(day.slotById.get(e.slotId)!), 1);
      day.slotById.delete(e.slotId);
      return;
    case 'SlotCapacityChanged':
      day.slotById.get(e.slotId)!.capacity = e.to;
      return;
    case 'SlotReserveReleased':
      day.slotById.get(e.slotId)!.reserveReleased = true;
      return;
    case 'DoctorDelayed':
      day.delays.push({ at: e.at, minutes: e.minutes, mode: e.mode, window: e.window && { from: e.window.from, to: e.window.to } });
      for (const id of e.shiftedSlotIds) {
        const slot = day.slotById.get(id)!;
        slot.start += e.minutes * 60_000;
        slot.end += e.minutes * 60_000;
      }
      return;
    case 'PolicyChanged':
      day.policy = e.policy;
      return;
    case 'TokenIssued': {
      const rank = BASE_RANK[e.source];
      const t: Token = {
        id: e.tokenId,
        number: e.number,
        label: e.label,
        source: e.source,
        rank,
        ...(e.patientKey === undefined ? {} : { patientKey: e.patientKey }),
        issuedAt: e.at,
        status: 'WAITLISTED',
        slotId: null,
        tie: tieOf(day, e.request),
        effectiveRank: rank,
        waitingSince: e.at,
        bumps: 0,
        skips: 0,
        calledAt: null,
        arrived: e.arrived === true,
        requeue: 0,
        transferredFrom: e.transferredFrom === undefined ? null : { ...e.transferredFrom },
        transferredTo: null,
      };
      day.tokens.set(t.id, t);
      day.lastNumber = Math.max(day.lastNumber, e.number);
      attach(day, t);
      return;
    }
    case 'TokenAllocated':
      return change(day, e.tokenId, (t) => {
        t.slotId = slotIdOf(day, e.slotId);
        if (e.fromSlotId !== undefined) t.tie = tieOf(day, { slotId: e.fromSlotId, flexible: true });
        // A checked-in patient moved to a later slot is still here: it stays checked in and waiting.
        // Stryker disable next-line ConditionalExpression,LogicalOperator: a checked-in token is allocated only by a move (promotion and issuing take waitlisted tokens), and the only other token moved is ALLOCATED, for which the two lines below change nothing (same status, and it waits for nothing)
        if (e.reason === 'moved' && t.status === 'CHECKED_IN') return;
        t.status = 'ALLOCATED';
        stopWaiting(t);
      });
    case 'TokenWaitlisted':
      return change(day, e.tokenId, (t) => {
        t.status = 'WAITLISTED';
        t.slotId = null;
        t.tie = tieOf(day, e.tie);
        wait(t, e.at);
      });
    case 'TokenBumped':
      return change(day, e.tokenId, (t) => {
        t.bumps++;
        t.tie = tieOf(day, { slotId: e.fromSlotId, flexible: true });
        t.slotId = slotIdOf(day, e.toSlotId);
        if (e.toSlotId === null) {
          t.status = 'WAITLISTED';
          wait(t, e.at);
          return;
        }
        // Re-placed in a later slot. Only ALLOCATED tokens are bumped (findVictim draws from
        // slot.allocated), so these two lines restate what the token already is.
        t.status = 'ALLOCATED';
        stopWaiting(t);
      });
    case 'TokenCheckedIn':
      return change(day, e.tokenId, (t) => {
        t.status = 'CHECKED_IN';
        // Once checked in, the patient is known to be here: a later seat (after a move to the
        // waitlist) checks the token in again at once.
        t.arrived = true;
        wait(t, e.at);
      });
    case 'TokenCalled':
      return change(day, e.tokenId, (t) => {
        t.status = 'CALLED';
        t.calledAt = e.at;
        stopWaiting(t);
      });
    case 'TokenSkipped':
      return change(day, e.tokenId, (t) => {
        t.status = 'CHECKED_IN';
        t.skips = e.skips;
        t.calledAt = null;
        t.requeue = ++day.skipCount;
        wait(t, e.at);
      });
    case 'TokenCompleted':
      return change(day, e.tokenId, (t) => {
        t.status = 'COMPLETED';
      });
    case 'TokenCancelled':
      return change(day, e.tokenId, (t) => {
        t.status = 'CANCELLED';
        if (e.transferredTo !== undefined) t.transferredTo = { ...e.transferredTo };
        stopWaiting(t);
      });
    case 'TokenNoShow':
      return change(day, e.tokenId, (t) => {
        t.status = 'NO_SHOW';
        stopWaiting(t);
      });
    case 'TokenExpired':
      return change(day, e.tokenId, (t) => {
        t.status = 'EXPIRED';
        stopWaiting(t);
      });
    case 'TokenAged':
      return change(day, e.tokenId, (t) => {
        t.effectiveRank = e.effectiveRank;
      });
  }
}

/** Rebuilds a doctor-day from its events: replay equals state (SPEC 8). */
export function replay(init: { doctorId: string; date: string; code: string }, events: Iterable<DoctorDayEvent>): DoctorDay {
  const day = openDoctorDay(init);
  for (const e of events) apply(day, e);
  return day;
}
