// The words of the product (SPEC section 1) as types. Times are epoch milliseconds: the engine
// only compares and adds them; the edges (service, simulator) turn them into ISO 8601 strings.

export type Millis = number;

export const SOURCES = ['EMERGENCY', 'PAID', 'FOLLOWUP', 'ONLINE', 'WALKIN'] as const;
export type Source = (typeof SOURCES)[number];

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

/** Statuses that hold a seat: `occupied(S)` counts these (SPEC 3). */
export const SEATED: ReadonlySet<TokenStatus> = new Set(['ALLOCATED', 'CHECKED_IN', 'CALLED', 'COMPLETED']);
/** Statuses of a live token, for duplicate detection (SPEC 7). */
export const LIVE: ReadonlySet<TokenStatus> = new Set(['WAITLISTED', 'ALLOCATED', 'CHECKED_IN', 'CALLED']);

/**
 * Who a patient is, for duplicates (SPEC 7), as an opaque string chosen by the caller: the engine
 * compares keys for equality and never knows what they mean. The service passes a keyed hash of the
 * patient id or phone, so the event log holds no personal data (SPEC 12).
 */
export type PatientKey = string;

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

/** Where a token may be seated while it waits (SPEC 5 "eligible"). */
export interface Tie {
  /** null: any slot of the doctor-day. */
  slotId: string | null;
  /** true: the tied slot or any later one. */
  flexible: boolean;
}

export interface Token {
  readonly id: string;
  readonly number: number;
  /** e.g. `GM-007` */
  readonly label: string;
  readonly source: Source;
  readonly rank: number;
  /** Absent when the patient gave neither an id nor a phone (no duplicate check). */
  readonly patientKey?: PatientKey;
  /** Kept through bumps and moves: it is the tie-break of fairness (SPEC 2). */
  readonly issuedAt: Millis;
  status: TokenStatus;
  slotId: string | null;
  tie: Tie;
  /** Base rank improved by aging while the token waits (SPEC 2). */
  effectiveRank: number;
  /** Start of the current wait (WAITLISTED or CHECKED_IN), else null. */
  waitingSince: Millis | null;
  bumps: number;
  skips: number;
  calledAt: Millis | null;
  /**
   * The patient is known to be here (SPEC 4 `arrived`, or checked in once): whenever the token takes a
   * seat it is checked in at once, so the clock never marks it a no-show.
   */
  arrived: boolean;
  /**
   * 0 until the token is skipped; then its place behind the tokens already checked in (SPEC 7 skip):
   * the day's running count of skips when it was skipped. Serving order reads it first.
   */
  requeue: number;
}

export interface SlotSpec {
  id: string;
  start: Millis;
  end: Millis;
  capacity: number;
}

// ---------------------------------------------------------------- events (SPEC 8)

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

interface EventBase {
  /** When it happened (the command's `now`). */
  at: Millis;
}

export interface SlotCreated extends EventBase {
  type: 'SlotCreated';
  slot: SlotSpec;
}
export interface SlotCapacityChanged extends EventBase {
  type: 'SlotCapacityChanged';
  slotId: string;
  from: number;
  to: number;
  reason: 'set' | 'doctor-delayed';
}
export interface SlotReserveReleased extends EventBase {
  type: 'SlotReserveReleased';
  slotId: string;
}
export interface DoctorDelayed extends EventBase {
  type: 'DoctorDelayed';
  minutes: number;
  mode: DelayMode;
  /** shrink: the lost window [from, to). */
  window: { from: Millis; to: Millis } | null;
  /** shift: the slots that moved later by `minutes`. */
  shiftedSlotIds: string[];
}
export interface PolicyChanged extends EventBase {
  type: 'PolicyChanged';
  policy: Policy;
}
export interface TokenIssued extends EventBase {
  type: 'TokenIssued';
  tokenId: string;
  number: number;
  label: string;
  source: Source;
  /** Absent when the token names no patient key. */
  patientKey?: PatientKey;
  request: Tie;
  /** The patient is at the desk (SPEC 4): checked in as soon as the token holds a seat. Absent when false. */
  arrived?: true;
}
export interface TokenAllocated extends EventBase {
  type: 'TokenAllocated';
  tokenId: string;
  slotId: string;
  reason: AllocationReason;
  /** preempted-other: the token that gave up its seat. */
  bumpedTokenId?: string;
  /** moved: the slot it left. */
  fromSlotId?: string;
  /** promoted or moved: what opened the seat or forced the move. */
  cause?: Cause;
  causeTokenId?: string;
}
export interface TokenWaitlisted extends EventBase {
  type: 'TokenWaitlisted';
  tokenId: string;
  tie: Tie;
  reason: 'no-seat' | 'moved';
  fromSlotId?: string;
  cause?: Cause;
}
export interface TokenBumped extends EventBase {
  type: 'TokenBumped';
  tokenId: string;
  byTokenId: string;
  fromSlotId: string;
  /** null: no later slot had a free seat, so the token waits. */
  toSlotId: string | null;
}
export interface TokenCheckedIn extends EventBase {
  type: 'TokenCheckedIn';
  tokenId: string;
}
export interface TokenCalled extends EventBase {
  type: 'TokenCalled';
  tokenId: string;
}
export interface TokenSkipped extends EventBase {
  type: 'TokenSkipped';
  tokenId: string;
  skips: number;
}
export interface TokenCompleted extends EventBase {
  type: 'TokenCompleted';
  tokenId: string;
}
export interface TokenCancelled extends EventBase {
  type: 'TokenCancelled';
  tokenId: string;
}
export interface TokenNoShow extends EventBase {
  type: 'TokenNoShow';
  tokenId: string;
  /** true: marked by the clock (slot ended + grace), false: by staff, 'skips': skipped too often. */
  auto: boolean;
  reason: 'staff' | 'grace-expired' | 'max-skips';
}
export interface TokenExpired extends EventBase {
  type: 'TokenExpired';
  tokenId: string;
}
export interface TokenAged extends EventBase {
  type: 'TokenAged';
  tokenId: string;
  effectiveRank: number;
}

export type DoctorDayEvent =
  | SlotCreated
  | SlotCapacityChanged
  | SlotReserveReleased
  | DoctorDelayed
  | PolicyChanged
  | TokenIssued
  | TokenAllocated
  | TokenWaitlisted
  | TokenBumped
  | TokenCheckedIn
  | TokenCalled
  | TokenSkipped
  | TokenCompleted
  | TokenCancelled
  | TokenNoShow
  | TokenExpired
  | TokenAged;

export type EventType = DoctorDayEvent['type'];

/** Every event type, e.g. for a live-feed client that listens to each by name. */
export const EVENT_TYPES = [
  'SlotCreated',
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
] as const satisfies readonly EventType[];
// The list names every type: adding an event without listing it here fails to compile.
const _everyEventTypeListed: Exclude<EventType, (typeof EVENT_TYPES)[number]> extends never ? true : never = true;
void _everyEventTypeListed;

// ---------------------------------------------------------------- commands

export interface CreateSlot {
  type: 'createSlot';
  slot: SlotSpec;
}
export interface ChangeCapacity {
  type: 'changeCapacity';
  slotId: string;
  capacity: number;
}
export interface IssueToken {
  type: 'issueToken';
  /** Chosen by the caller (the engine makes no ids: that would need randomness). */
  tokenId: string;
  source: Source;
  /** Who the patient is, for duplicates (see PatientKey); absent: no duplicate check. */
  patientKey?: PatientKey;
  slotId?: string | null;
  flexible?: boolean;
  /** The patient is standing at the desk: check the token in as soon as it holds a seat (SPEC 4). */
  arrived?: boolean;
}
export interface TokenCommand {
  type: 'cancel' | 'noShow' | 'checkIn' | 'complete' | 'skip';
  tokenId: string;
}
export interface CallNext {
  type: 'callNext';
}
export interface DelayDoctor {
  type: 'delayDoctor';
  minutes: number;
}
export interface SetPolicy {
  type: 'setPolicy';
  policy: Policy;
}
export interface Tick {
  type: 'tick';
}

export type Command =
  | CreateSlot
  | ChangeCapacity
  | IssueToken
  | TokenCommand
  | CallNext
  | DelayDoctor
  | SetPolicy
  | Tick;

export interface Context {
  now: Millis;
  policy: Policy;
}

// ---------------------------------------------------------------- failures

export type FailureCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'DUPLICATE_TOKEN'
  | 'SLOT_OVERLAP'
  | 'SLOT_ENDED'
  | 'NO_OPEN_SLOT'
  | 'QUEUE_EMPTY';

export interface Failure {
  ok: false;
  code: FailureCode;
  message: string;
  /** e.g. the existing token of a DUPLICATE_TOKEN */
  tokenId?: string;
  /** Not caused by the command: what its moment was due anyway (policy recorded, reserve released). */
  events: DoctorDayEvent[];
}

export interface Success {
  ok: true;
  events: DoctorDayEvent[];
  /** The token the command was about (issued, called, cancelled …), if any. */
  tokenId?: string;
  /** issueToken: the token it displaced, if any. */
  bumpedTokenId?: string;
}

export type Outcome = Success | Failure;
