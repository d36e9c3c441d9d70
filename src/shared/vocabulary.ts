// The words the browser shares with the server: sources and their ranks, token statuses, the names of
// the events the live feed sends, what can move a token, and the hospital's default policy (SPEC 1,
// 2, 7, 8, 9). The engine defines its types with these, the API's schemas validate with them, and the
// web desk imports only this module (and the API's schema-derived types), never the engine or the
// service. Plain data, no imports: it is as pure as the engine, and the linter holds it to the same
// rules (eslint.config.js).

/** Staff roles (SPEC 11). */
export const ROLES = ['admin', 'desk', 'doctor', 'display'] as const;
export type Role = (typeof ROLES)[number];

/** The doctors an identity is bound to: a list (a doctor's own ids, a board's doctors) or all. */
export type DoctorScope = readonly string[] | 'all';

export const SOURCES = ['EMERGENCY', 'PAID', 'FOLLOWUP', 'ONLINE', 'WALKIN'] as const;
export type Source = (typeof SOURCES)[number];

/** Each source as an administrator reads it in reports (the desk's badges say "Online" for short). */
export const SOURCE_WORDS: Readonly<Record<Source, string>> = {
  EMERGENCY: 'Emergency',
  PAID: 'Paid',
  FOLLOWUP: 'Follow-up',
  ONLINE: 'Online booking',
  WALKIN: 'Walk-in',
};

/** Base rank (SPEC 2): lower goes first. The index of a source in SOURCES is its rank. */
export const BASE_RANK: Readonly<Record<Source, number>> = {
  EMERGENCY: 0,
  PAID: 1,
  FOLLOWUP: 2,
  ONLINE: 3,
  WALKIN: 4,
};

export const TOKEN_STATUSES = [
  'WAITLISTED',
  'ALLOCATED',
  'CHECKED_IN',
  'CALLED',
  'COMPLETED',
  'CANCELLED',
  'NO_SHOW',
  'EXPIRED',
] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/** Every event type of the log and the live feed (SPEC 8), e.g. for a client that listens to each by name. */
export const EVENT_TYPES = [
  'SlotCreated',
  'SlotRemoved',
  'SlotCapacityChanged',
  'SlotReserveReleased',
  'DoctorDelayed',
  'PolicyChanged',
  'TokenIssued',
  'TokenAllocated',
  'TokenWaitlisted',
  'TokenBumped',
  'TokenCheckedIn',
  'TokenCalled',
  'TokenSkipped',
  'TokenCompleted',
  'TokenCancelled',
  'TokenNoShow',
  'TokenExpired',
  'TokenAged',
] as const;
export type EventTypeName = (typeof EVENT_TYPES)[number];

export type AllocationReason = 'free-seat' | 'overflow' | 'preempted-other' | 'promoted' | 'moved';
/** What freed or opened the seat a waiting token was promoted into, or why a token had to move. */
export type Cause =
  | 'cancelled'
  | 'no-show'
  | 'capacity-raised'
  | 'capacity-reduced'
  | 'slot-closed'
  | 'slot-added'
  | 'reserve-released'
  | 'policy-changed'
  | 'doctor-delayed';

/**
 * The other token of a transfer (SPEC 7): which token, its number as people read it, and its
 * doctor-day. A transfer joins two doctor-days, so each side names the other by value.
 */
export interface TransferLink {
  tokenId: string;
  /** e.g. `RA-012` */
  number: string;
  doctorId: string;
  /** Hospital-local date, YYYY-MM-DD. */
  date: string;
}

export type PreemptionMode = 'strict-priority' | 'emergency-only' | 'off';
export type DelayMode = 'shrink' | 'shift';

/** The rules of a doctor-day (SPEC 9). */
export interface Policy {
  preemption: PreemptionMode;
  maxBumps: number;
  /** Seats relative to capacity, per source; a missing source has 0. */
  allowance: Partial<Record<Source, number>>;
  reserveReleaseMinutes: number;
  /** Minutes of waiting per step of aging; null turns aging off. */
  agingMinutes: number | null;
  agingFloor: number;
  noShowGraceMinutes: number;
  maxSkips: number;
  delayMode: DelayMode;
}

/** The hospital default (SPEC 9). */
export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  preemption: 'strict-priority',
  maxBumps: 1,
  allowance: Object.freeze({ EMERGENCY: 1 }),
  reserveReleaseMinutes: 15,
  agingMinutes: 45,
  agingFloor: 1,
  noShowGraceMinutes: 15,
  maxSkips: 2,
  delayMode: 'shrink',
}) as Policy;
