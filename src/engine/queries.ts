// Read-only views of a doctor-day: serving order, estimated times, the waitlist in promotion order,
// and a canonical snapshot (for "replay equals state" and byte-for-byte comparisons).

import type { DoctorDay, Slot } from './doctor-day.ts';
import { byPriority } from './ordered-set.ts';
import { SEATED, type DelayMode, type Millis, type PatientKey, type Policy, type Source, type Token, type TokenStatus, type TransferLink } from './types.ts';

export interface TokenView {
  id: string;
  /** e.g. `GM-007` */
  number: string;
  doctorId: string;
  slotId: string | null;
  source: Source;
  status: TokenStatus;
  /** Who the patient is for duplicates, opaque (absent when none was given). */
  patientKey?: PatientKey;
  issuedAt: Millis;
  estimatedAt: Millis | null;
  bumps: number;
  skips: number;
  /** A token issued by a transfer (SPEC 7): the token it replaced. Absent otherwise. */
  transferredFrom?: TransferLink;
  /** A token transferred away (CANCELLED): the token that replaced it. Absent otherwise. */
  transferredTo?: TransferLink;
}

export interface SlotView {
  id: string;
  doctorId: string;
  start: Millis;
  end: Millis;
  capacity: number;
  occupied: number;
}

/** Seated tokens of a slot in serving order: those already called first, then the checked-in order. */
export function servingOrder(slot: Slot): Token[] {
  return [...slot.seated.values()];
}

/** A time window the doctor lost to a reported delay, [from, to). */
export interface LostWindow {
  from: Millis;
  to: Millis;
}

/** The windows reported delays took away (shrink), merged where they touch, in time order. */
export function lostWindows(day: DoctorDay): LostWindow[] {
  const windows: LostWindow[] = [];
  for (const d of day.delays) if (d.window !== null) windows.push({ from: d.window.from, to: d.window.to });
  if (windows.length < 2) return windows;
  // Windows that start together merge into one whatever their order, so the start alone orders them.
  windows.sort((a, b) => a.from - b.from);
  const merged: LostWindow[] = [windows[0]!];
  // Stryker disable next-line MethodExpression: the first window merged with itself stays as it is
  for (const w of windows.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (w.from <= last.to) last.to = Math.max(last.to, w.to);
    else merged.push(w);
  }
  return merged;
}

/**
 * The slot's time keeping: minutes per seat over the time the doctor still has in the slot (its length
 * less what delays took away), and a walk from the slot start that skips the lost windows. Without a
 * delay this is SPEC 6's `start + position × (slot minutes / capacity)`.
 */
class SlotClock {
  readonly perSeat: number;

  constructor(
    private readonly slot: Slot,
    private readonly lost: readonly LostWindow[],
    seated: number,
  ) {
    let working = slot.end - slot.start;
    for (const w of lost) working -= Math.max(0, Math.min(slot.end, w.to) - Math.max(slot.start, w.from));
    this.perSeat = working / (slot.capacity > 0 ? slot.capacity : Math.max(1, seated));
  }

  /** The time `position` seats after the start, counted in working time: never inside a lost window. */
  at(position: number): Millis {
    let t = this.slot.start;
    let left = Math.round(position * this.perSeat);
    for (const w of this.lost) {
      // Stryker disable next-line EqualityOperator: a window that ends at t moves t to t and takes no time
      if (w.to <= t) continue;
      if (w.from > t + left) break;
      left -= Math.max(0, w.from - t);
      t = w.to;
    }
    return t + left;
  }
}

/**
 * estimatedAt = slot start + position in the serving order × (slot minutes / capacity) (SPEC 6), the
 * minutes being those a reported delay left the doctor, and never inside a window it took away.
 */
export function estimates(slot: Slot, lost: readonly LostWindow[] = []): Map<string, Millis> {
  const clock = new SlotClock(slot, lost, slot.seated.size);
  const out = new Map<string, Millis>();
  let position = 0;
  for (const t of slot.seated.values()) {
    out.set(t.id, t.calledAt ?? clock.at(position));
    position++;
  }
  return out;
}

/**
 * The estimated time of one seated token, without walking the slot: its position is the number of
 * tokens ahead of it in the slot's serving order (already called, or before it), which the slot's
 * seat index answers in O(log n). Equals `estimates`.
 */
export function estimateOf(slot: Slot, t: Token, lost: readonly LostWindow[] = []): Millis {
  if (t.calledAt !== null) return t.calledAt;
  return new SlotClock(slot, lost, slot.seated.size).at(slot.seated.rank(t));
}

/**
 * The delay in force at `now` (SPEC 6), for the desk, console and board to say the doctor is late:
 * shrink, a lost window that has not ended (merged with those it touches): how long, from when,
 * until when; shift, the day's slots run later by the minutes reported, for the rest of the day.
 */
export interface DelayInForce {
  mode: DelayMode;
  minutes: number;
  from: Millis;
  /** shrink: when the lost window ends; shift: null (the rest of the day runs late). */
  until: Millis | null;
  /** When the latest report of this delay was made. */
  reportedAt: Millis;
}

export function delayInForce(day: DoctorDay, now: Millis): DelayInForce | null {
  const window = lostWindows(day).find((w) => w.to > now);
  if (window) {
    let reportedAt = -Infinity;
    // Stryker disable next-line EqualityOperator: a window that only touches the merged one was merged into it
    for (const d of day.delays) if (d.window && d.window.from < window.to && d.window.to > window.from) reportedAt = Math.max(reportedAt, d.at);
    return { mode: 'shrink', minutes: Math.round((window.to - window.from) / 60_000), from: window.from, until: window.to, reportedAt };
  }
  const shifts = day.delays.filter((d) => d.mode === 'shift');
  const last = day.slots[day.slots.length - 1];
  if (shifts.length === 0 || !last || last.end <= now) return null;
  return {
    mode: 'shift',
    minutes: shifts.reduce((n, d) => n + d.minutes, 0),
    from: shifts[0]!.at,
    until: null,
    reportedAt: shifts[shifts.length - 1]!.at,
  };
}

export function tokenView(day: DoctorDay, t: Token, estimatedAt?: Millis | null): TokenView {
  let eta = estimatedAt;
  if (eta === undefined) {
    const slot = t.slotId !== null && SEATED.has(t.status) ? day.slotById.get(t.slotId) : undefined;
    eta = slot ? estimateOf(slot, t, lostWindows(day)) : null;
  }
  return {
    id: t.id,
    number: t.label,
    doctorId: day.doctorId,
    // Stryker disable next-line ConditionalExpression,StringLiteral,EqualityOperator: a waitlisted token holds no slot (TokenWaitlisted and TokenBumped clear it); kept so a view never shows one
    slotId: t.status === 'WAITLISTED' ? null : t.slotId,
    source: t.source,
    status: t.status,
    ...(t.patientKey === undefined ? {} : { patientKey: t.patientKey }),
    issuedAt: t.issuedAt,
    estimatedAt: eta,
    bumps: t.bumps,
    skips: t.skips,
    ...(t.transferredFrom ? { transferredFrom: { ...t.transferredFrom } } : {}),
    ...(t.transferredTo ? { transferredTo: { ...t.transferredTo } } : {}),
  };
}

export function slotView(day: DoctorDay, slot: Slot): SlotView {
  return { id: slot.id, doctorId: day.doctorId, start: slot.start, end: slot.end, capacity: slot.capacity, occupied: slot.occupied };
}

/**
 * The doctor-day is over at `now`: every slot has ended, and no token is left that a tick could
 * still change (none ALLOCATED, none on the waitlist, none checked in and waiting). A tick at any
 * later time emits nothing; only a new command could change the day again.
 */
export function dayIsOver(day: DoctorDay, now: Millis): boolean {
  const last = day.slots[day.slots.length - 1];
  if (last !== undefined && last.end > now) return false;
  if (day.waitlisted > 0 || day.waiting > 0) return false;
  for (const s of day.slots) if (s.allocatedCount > 0) return false;
  return true;
}

/** All waiting tokens in promotion order (effective rank, issuedAt, number). */
export function waitlist(day: DoctorDay): Token[] {
  const out: Token[] = [];
  for (const t of day.tokens.values()) if (t.status === 'WAITLISTED') out.push(t);
  return out.sort(byPriority);
}

/** Waiting tokens tied to this slot (only it, or it and later ones), in promotion order. */
export function tiedWaitlist(day: DoctorDay, slot: Slot): Token[] {
  return waitlist(day).filter((t) => t.tie.slotId === slot.id);
}

/** The doctor-day as one schedule: each slot with its tokens in serving order, and the waitlist. */
export function schedule(day: DoctorDay): { slots: (SlotView & { tokens: TokenView[] })[]; waitlist: TokenView[] } {
  const lost = lostWindows(day);
  return {
    slots: day.slots.map((slot) => {
      const eta = estimates(slot, lost);
      return { ...slotView(day, slot), tokens: servingOrder(slot).map((t) => tokenView(day, t, eta.get(t.id) ?? null)) };
    }),
    waitlist: waitlist(day).map((t) => tokenView(day, t, null)),
  };
}

export interface Snapshot {
  doctorId: string;
  date: string;
  code: string;
  clock: Millis;
  policy: Policy | null;
  lastNumber: number;
  delays: DoctorDay['delays'];
  skipCount: number;
  slots: { id: string; start: Millis; end: Millis; capacity: number; reserveReleased: boolean; occupied: number }[];
  /** Every field of every token but its base rank (which its source gives). */
  tokens: Omit<Token, 'rank'>[];
}

/** Everything a doctor-day is, in a fixed order, without its indexes: equal days have equal snapshots. */
export function snapshot(day: DoctorDay): Snapshot {
  return {
    doctorId: day.doctorId,
    date: day.date,
    code: day.code,
    clock: day.clock,
    policy: day.policy,
    lastNumber: day.lastNumber,
    delays: day.delays.map((d) => ({ ...d, window: d.window && { ...d.window } })),
    skipCount: day.skipCount,
    slots: day.slots.map((s) => ({
      id: s.id,
      start: s.start,
      end: s.end,
      capacity: s.capacity,
      reserveReleased: s.reserveReleased,
      occupied: s.occupied,
    })),
    // Stryker disable next-line MethodExpression,ArithmeticOperator: tokens are kept in issue order, which is number order; sorted so a snapshot stays canonical regardless
    tokens: [...day.tokens.values()].sort((a, b) => a.number - b.number).map((t) => ({
      id: t.id,
      number: t.number,
      label: t.label,
      source: t.source,
      ...(t.patientKey === undefined ? {} : { patientKey: t.patientKey }),
      issuedAt: t.issuedAt,
      status: t.status,
      slotId: t.slotId,
      tie: { slotId: t.tie.slotId, flexible: t.tie.flexible },
      effectiveRank: t.effectiveRank,
      waitingSince: t.waitingSince,
      bumps: t.bumps,
      skips: t.skips,
      calledAt: t.calledAt,
      arrived: t.arrived,
      requeue: t.requeue,
      transferredFrom: t.transferredFrom && { ...t.transferredFrom },
      transferredTo: t.transferredTo && { ...t.transferredTo },
    })),
  };
}
