// The words of the product (SPEC section 1) as types. Times are epoch milliseconds: the engine
// only compares and adds them; the edges (service, simulator) turn them into ISO 8601 strings.

export type Millis = number;

export { SOURCES, BASE_RANK, TOKEN_STATUSES, EVENT_TYPES } from '../shared/vocabulary.ts';
export type { Source, TokenStatus, AllocationReason, Cause, PreemptionMode, DelayMode, Policy, TransferLink } from '../shared/vocabulary.ts';
import type { AllocationReason, Cause, DelayMode, Policy, Source, TokenStatus, TransferLink } from '../shared/vocabulary.ts';
import type { EVENT_TYPES } from '../shared/vocabulary.ts';

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
  /** The token this one replaced by a transfer (SPEC 7), else null. */
  transferredFrom: TransferLink | null;
  /** The token that replaced this one by a transfer (it is CANCELLED), else null. */
  transferredTo: TransferLink | null;
}

export interface SlotSpec {
  id: string;
  start: Millis;
  end: Millis;
  capacity: number;
  /** Where the doctor sees this slot's patients (a rota session's room); absent: the doctor's room. */
  room?: string;
}

// ---------------------------------------------------------------- events (SPEC 8)

interface EventBase {
  /** When it happened (the command's `now`). */
  at: Millis;
}

export interface SlotCreated extends EventBase {
  type: 'SlotCreated';
  slot: SlotSpec;
}
/** A slot taken away before anyone used it (a rota edited on a day no token references it). */
export interface SlotRemoved extends EventBase {
  type: 'SlotRemoved';
  slotId: string;
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
  /** Issued by a transfer: the token it replaces. Absent otherwise. */
  transferredFrom?: TransferLink;
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
  /** `transferred`: the patient moved to another doctor or day (SPEC 7). Absent for a plain cancel. */
  reason?: 'transferred';
  /** With reason `transferred`: the new token. */
  transferredTo?: TransferLink;
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
  | SlotRemoved
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

// The shared list (src/shared/vocabulary.ts) names every event type, and only those: adding an event
// without listing it there fails to compile.
const _everyEventTypeListed: [Exclude<EventType, (typeof EVENT_TYPES)[number]>, Exclude<(typeof EVENT_TYPES)[number], EventType>] extends [never, never] ? true : never = true;
void _everyEventTypeListed;

// ---------------------------------------------------------------- commands

export interface CreateSlot {
  type: 'createSlot';
  slot: SlotSpec;
}
/** Refused while any token of the day names the slot (seated there once, or tied to it). */
export interface RemoveSlot {
  type: 'removeSlot';
  slotId: string;
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
  /** Issued by a transfer (SPEC 7): the token it replaces, named by the new token. */
  transferredFrom?: TransferLink;
}
export interface TokenCommand {
  type: 'cancel' | 'noShow' | 'checkIn' | 'complete' | 'skip';
  tokenId: string;
}
/**
 * The old side of a transfer (SPEC 7): the token is cancelled with reason `transferred`, naming the new
 * one. Run by `transfer` (transfer.ts) after the new doctor-day accepted the token.
 */
export interface TransferOut {
  type: 'transferOut';
  tokenId: string;
  to: TransferLink;
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
  | RemoveSlot
  | ChangeCapacity
  | IssueToken
  | TokenCommand
  | TransferOut
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
