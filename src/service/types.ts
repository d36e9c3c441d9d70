// What the service offers the HTTP API (and any other edge): inputs, answers and errors in the
// hospital's words, with times as ISO 8601 strings. The API maps error codes to HTTP statuses in one
// table (src/api/problem.ts); the service never knows about HTTP.

import type { DoctorDayEvent, FailureCode, Patient, Policy, Source, TokenView } from '../engine/index.ts';

/** The engine's refusals, and the two only the service can give. */
export type ErrorCode = FailureCode | 'IDEMPOTENCY_KEY_REUSED' | 'CLOCK_NOT_MANUAL';

/** A refusal with a machine code. Nothing was changed by the request that got it. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** e.g. `{ tokenId }` of the existing token for DUPLICATE_TOKEN */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Doctor {
  id: string;
  name: string;
  department: string;
  code: string;
  /** The doctor's overrides of the hospital default. */
  policy: Partial<Policy>;
}

/** The engine's view of a token, with ISO times in the hospital's zone. */
export interface Token extends Omit<TokenView, 'issuedAt' | 'estimatedAt'> {
  issuedAt: string;
  estimatedAt: string | null;
}

export interface Slot {
  id: string;
  doctorId: string;
  start: string;
  end: string;
  capacity: number;
  occupied: number;
}

/** A slot read alone: its seated tokens in serving order and its tied waitlist. */
export interface SlotDetail extends Slot {
  tokens: Token[];
  waitlist: Token[];
}

/** A doctor running late (SPEC 6): how much, from when, until when (null: the rest of the day). */
export interface Delay {
  /** shrink: the doctor lost the time window [from, until); shift: the day's slots run later. */
  mode: 'shrink' | 'shift';
  minutes: number;
  from: string;
  until: string | null;
  reportedAt: string;
}

export interface Schedule {
  doctor: Doctor;
  date: string;
  /** The delay in force now, or null. */
  delay: Delay | null;
  slots: (Slot & { tokens: Token[] })[];
  /** In promotion order. */
  waitlist: Token[];
}

export interface IssuedToken extends Token {
  /** The token it displaced, if any. */
  bumped: Token | null;
}

/**
 * One entry of the event log as the feed and the token history show it: the engine event with its
 * sequence number, doctor-day and ISO times, and never a patient's name or phone (the feed is for
 * waiting-room screens). `TokenIssued` carries the token number and source instead.
 */
export interface FeedEvent {
  seq: number;
  doctorId: string;
  date: string;
  type: string;
  at: string;
  [field: string]: unknown;
}

/** Idempotency of a request (SPEC 10): its key and a hash of method, path and body. */
export interface Idempotency {
  key: string;
  requestHash: string;
}

export interface CreateDoctorInput {
  name: string;
  department: string;
  code?: string;
  policy?: Partial<Policy>;
}

export interface CreateSlotInput {
  doctorId: string;
  /** ISO 8601 with an offset */
  start: string;
  end: string;
  capacity: number;
}

export interface IssueTokenInput {
  doctorId: string;
  source: Source;
  patient: Patient;
  slotId?: string;
  flexible?: boolean;
  /** YYYY-MM-DD, hospital-local; default today */
  date?: string;
  /** The patient is at the desk: checked in as soon as the token holds a seat (SPEC 4). Default false. */
  arrived?: boolean;
}

export type TokenAction = 'cancel' | 'no-show' | 'check-in' | 'complete' | 'skip';

/** The operations of the token desk. Every mutation is one transaction on one doctor-day. */
export interface TokenDesk {
  createDoctor(input: CreateDoctorInput, idem?: Idempotency): Promise<Doctor>;
  listDoctors(): Promise<Doctor[]>;
  getDoctor(id: string): Promise<Doctor>;
  /** Replaces the doctor's overrides; open doctor-days apply the new policy at once. */
  setDoctorPolicy(id: string, policy: Partial<Policy>, idem?: Idempotency): Promise<Doctor>;

  createSlot(input: CreateSlotInput, idem?: Idempotency): Promise<Slot>;
  getSlot(id: string): Promise<SlotDetail>;
  changeCapacity(id: string, capacity: number, idem?: Idempotency): Promise<Slot>;
  schedule(doctorId: string, date?: string): Promise<Schedule>;

  issueToken(input: IssueTokenInput, idem?: Idempotency): Promise<IssuedToken>;
  getToken(id: string): Promise<Token>;
  tokenHistory(id: string): Promise<FeedEvent[]>;
  act(id: string, action: TokenAction, idem?: Idempotency): Promise<Token>;
  callNext(doctorId: string, date?: string, idem?: Idempotency): Promise<Token>;
  delay(doctorId: string, minutes: number, date?: string, idem?: Idempotency): Promise<Schedule>;

  /** Events after `seq`, at most `limit`, in order (no gaps skipped before they settle). */
  eventsAfter(seq: number, limit: number): Promise<FeedEvent[]>;
  /** The latest event's sequence number (0 when none): where a live feed starts "now". */
  latestSeq(): Promise<number>;
  /**
   * Resolves when events after `seq` may be there (or after `ms`), for the live feed to look again.
   * Every feed of the server shares one read of the log per wake-up.
   */
  waitForEvents(seq: number, ms: number): Promise<void>;
  /** Resolves when the store answers within a short time; else rejects (StoreUnavailableError). */
  ready(): Promise<void>;

  /** The service's clock; `setClock` only when started with OPD_CLOCK=manual (else CLOCK_NOT_MANUAL). */
  now(): Date;
  /** The hospital's IANA time zone: local dates and times are in it. */
  readonly timeZone: string;
  setClock(now: Date): Promise<void>;
  /** Ticks every doctor-day that still has open slots. */
  tickAll(): Promise<number>;
  close(): Promise<void>;
}

/**
 * What the desk tells the operators' metrics (times in seconds). The desk calls it and never knows
 * how it is counted; the default does nothing.
 */
export interface DeskObserver {
  /** Events of one doctor-day, committed (tokens issued are its TokenIssued events). */
  committed(events: readonly DoctorDayEvent[]): void;
  /** A run of the tick timer ended: how late it started after it was due, and how long it took. */
  tick(lateSeconds: number, seconds: number): void;
}

export const NO_DESK_OBSERVER: DeskObserver = { committed() {}, tick() {} };
