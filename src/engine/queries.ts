// Read-only views of a doctor-day: serving order, estimated times, the waitlist in promotion order,
// and a canonical snapshot (for "replay equals state" and byte-for-byte comparisons).

import type { DoctorDay, Slot } from './doctor-day.ts';
import { byPriority } from './ordered-set.ts';
import { SEATED, type Millis, type Patient, type Policy, type Source, type Token, type TokenStatus } from './types.ts';

export interface TokenView {
  id: string;
  /** e.g. `GM-007` */
  number: string;
  doctorId: string;
  slotId: string | null;
  source: Source;
  status: TokenStatus;
  patient: Patient;
  issuedAt: Millis;
  estimatedAt: Millis | null;
  bumps: number;
  skips: number;
}

export interface SlotView {
  id: string;
  doctorId: string;
  start: Millis;
  end: Millis;
  capacity: number;
  occupied: number;
}

/** Seated tokens of a slot in serving order: those already called first, then by priority. */
export function servingOrder(slot: Slot): Token[] {
  const served: Token[] = [];
  const waiting: Token[] = [];
  for (const t of slot.seated.values()) {
    if (t.status === 'CALLED' || t.status === 'COMPLETED') served.push(t);
    else waiting.push(t);
  }
  // Stryker disable next-line ArithmeticOperator: seated tokens come in booking order, which is number order, and the sort is stable
  served.sort((a, b) => (a.calledAt ?? 0) - (b.calledAt ?? 0) || a.number - b.number);
  waiting.sort(byPriority);
  return [...served, ...waiting];
}

/** estimatedAt = slot start + position in the serving order × (slot minutes / capacity) (SPEC 6). */
export function estimates(slot: Slot): Map<string, Millis> {
  const order = servingOrder(slot);
  const perSeat = (slot.end - slot.start) / (slot.capacity > 0 ? slot.capacity : Math.max(1, order.length));
  const out = new Map<string, Millis>();
  order.forEach((t, i) => out.set(t.id, t.calledAt ?? Math.round(slot.start + i * perSeat)));
  return out;
}

/**
 * The estimated time of one seated token, without ordering the whole slot: its position is the
 * number of tokens ahead of it (already called, or before it in serving order). Equals `estimates`.
 */
export function estimateOf(slot: Slot, t: Token): Millis {
  if (t.calledAt !== null) return t.calledAt;
  let ahead = 0;
  for (const o of slot.seated.values()) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: t is neither served (it returned above) nor before itself, so it is never counted anyway
    if (o === t) continue;
    const served = o.status === 'CALLED' || o.status === 'COMPLETED';
    // Stryker disable next-line EqualityOperator: numbers are unique, so byPriority is 0 only between a token and itself
    if (served || byPriority(o, t) < 0) ahead++;
  }
  const perSeat = (slot.end - slot.start) / (slot.capacity > 0 ? slot.capacity : Math.max(1, slot.seated.size));
  return Math.round(slot.start + ahead * perSeat);
}

export function tokenView(day: DoctorDay, t: Token, estimatedAt?: Millis | null): TokenView {
  let eta = estimatedAt;
  if (eta === undefined) {
    const slot = t.slotId !== null && SEATED.has(t.status) ? day.slotById.get(t.slotId) : undefined;
    eta = slot ? estimateOf(slot, t) : null;
  }
  return {
    id: t.id,
    number: t.label,
    doctorId: day.doctorId,
    // Stryker disable next-line ConditionalExpression,StringLiteral,EqualityOperator: a waitlisted token holds no slot (TokenWaitlisted and TokenBumped clear it); kept so a view never shows one
    slotId: t.status === 'WAITLISTED' ? null : t.slotId,
    source: t.source,
    status: t.status,
    patient: { ...t.patient },
    issuedAt: t.issuedAt,
    estimatedAt: eta,
    bumps: t.bumps,
    skips: t.skips,
  };
}

export function slotView(day: DoctorDay, slot: Slot): SlotView {
  return { id: slot.id, doctorId: day.doctorId, start: slot.start, end: slot.end, capacity: slot.capacity, occupied: slot.occupied };
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
  return {
    slots: day.slots.map((slot) => {
      const eta = estimates(slot);
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
      patient: { ...t.patient },
      issuedAt: t.issuedAt,
      status: t.status,
      slotId: t.slotId,
      tie: { slotId: t.tie.slotId, flexible: t.tie.flexible },
      effectiveRank: t.effectiveRank,
      waitingSince: t.waitingSince,
      bumps: t.bumps,
      skips: t.skips,
      calledAt: t.calledAt,
    })),
  };
}
