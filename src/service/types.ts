// What the service offers the HTTP API (and any other edge): inputs, answers and errors in the
// hospital's words, with times as ISO 8601 strings. The API maps error codes to HTTP statuses in one
// table (src/api/problem.ts); the service never knows about HTTP.

import type { DoctorDayEvent, FailureCode, Policy, Source, TokenView } from '../engine/index.ts';
import type { Patient } from '../store/patient.ts';
import type { ErasedBefore } from '../store/personal-repo.ts';
import type { Report } from '../reports/report.ts';
import type { WhatIfReport } from './desk-reports.ts';

export type { Patient };
import type { RequestContext } from '../access/types.ts';
import type { EventActor } from '../store/store.ts';
import type { RotaDesk } from './rota-types.ts';

export type { RequestContext };

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
  /** Where the doctor sees patients ("Room 3"), or null. */
  room: string | null;
  code: string;
  /** The doctor's overrides of the hospital default. */
  policy: Partial<Policy>;
}

/** The engine's view of a token, with ISO times in the hospital's zone, and its patient. */
export interface Token extends Omit<TokenView, 'issuedAt' | 'estimatedAt' | 'patientKey'> {
  /** null when the patient's personal data was erased (then `patientErased` is true), or is not shown. */
  patient: Patient | null;
  /** The patient's name, phone and id were erased (SPEC 12); the token itself is whole. */
  patientErased?: true;
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
  /** Where its patients go: the slot's own room (a rota session's), else the doctor's; null: none known. */
  room: string | null;
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
  /** Cancelled, no-show and expired tokens, by number (seen ones stay in their slot's `tokens`). */
  finished: Token[];
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

/** Who caused an event, as a token's history shows it: never the identity's id or doctor scope. */
export type HistoryActor = Pick<EventActor, 'kind' | 'name' | 'role'>;

/** An entry of a token's history: the feed's event and who caused it (null: not recorded). */
export interface HistoryEvent extends FeedEvent {
  actor: HistoryActor | null;
}

/** An entry of the audit of one actor's day: the event, its doctor and its token's number. */
export interface AuditEvent extends FeedEvent {
  doctor: { id: string; name: string; code: string };
  /** The number of the token the event is about (GM-007); null for an event about no token. */
  tokenNumber: string | null;
}

/** Idempotency of a request (SPEC 10): its key and a hash of method, path and body. */
export interface Idempotency {
  key: string;
  requestHash: string;
}

export interface CreateDoctorInput {
  name: string;
  department: string;
  room?: string;
  code?: string;
  policy?: Partial<Policy>;
}

export interface CreateSlotInput {
  doctorId: string;
  /** ISO 8601 with an offset */
  start: string;
  end: string;
  capacity: number;
  /** The slot's own room; absent: the doctor's. */
  room?: string;
}

export interface SearchInput {
  q: string;
  /** YYYY-MM-DD, hospital-local; default today. */
  date?: string;
  /** 1–31, default 7. */
  days?: number;
}

export interface SearchFound {
  token: Token;
  doctor: Pick<Doctor, 'id' | 'name' | 'code' | 'department'>;
  date: string;
}

/** Exactly one of the three. */
export interface ErasePatientInput {
  phone?: string;
  patientId?: string;
  tokenId?: string;
}

export type { ErasedBefore };

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

/** Where a transfer (SPEC 7) moves a token: another doctor, or the same doctor on another day. */
export interface TransferTokenInput {
  doctorId: string;
  slotId?: string;
  /** With slotId: a later slot of that day will do. */
  flexible?: boolean;
  /** YYYY-MM-DD, hospital-local; default today (or the slot's day). */
  date?: string;
}

export type TokenAction = 'cancel' | 'no-show' | 'check-in' | 'complete' | 'skip';

/**
 * The operations of the token desk. Every mutation is one transaction on one doctor-day, and takes
 * the request's context: its actor is stored beside every event the change writes (SPEC 8), and its
 * Idempotency-Key is kept per actor (one actor never replays another's answer).
 */
export interface TokenDesk extends RotaDesk {
  createDoctor(input: CreateDoctorInput, ctx: RequestContext): Promise<Doctor>;
  listDoctors(): Promise<Doctor[]>;
  getDoctor(id: string): Promise<Doctor>;
  /** Replaces the doctor's overrides; open doctor-days apply the new policy at once. */
  setDoctorPolicy(id: string, policy: Partial<Policy>, ctx: RequestContext): Promise<Doctor>;

  createSlot(input: CreateSlotInput, ctx: RequestContext): Promise<Slot>;
  getSlot(id: string): Promise<SlotDetail>;
  changeCapacity(id: string, capacity: number, ctx: RequestContext): Promise<Slot>;
  schedule(doctorId: string, date?: string): Promise<Schedule>;

  issueToken(input: IssueTokenInput, ctx: RequestContext): Promise<IssuedToken>;
  getToken(id: string): Promise<Token>;
  /** Every event that names the token, in order, each with who caused it. */
  tokenHistory(id: string): Promise<HistoryEvent[]>;
  act(id: string, action: TokenAction, ctx: RequestContext): Promise<Token>;
  /**
   * Moves a WAITLISTED, ALLOCATED or CHECKED_IN token to another doctor or day (SPEC 7): one
   * transaction on both doctor-days. Answers the new token (`transferredFrom` names the old one).
   */
  transferToken(id: string, input: TransferTokenInput, ctx: RequestContext): Promise<Token>;
  callNext(doctorId: string, date: string | undefined, ctx: RequestContext): Promise<Token>;
  delay(doctorId: string, minutes: number, date: string | undefined, ctx: RequestContext): Promise<Schedule>;

  /**
   * Tokens found by number, name prefix, phone or patient id on `date` and the `days - 1` days before
   * (SPEC 10), of the doctors in `scope`: at most 50, number matches first, then newer dates, then
   * issue time. Each with its patient, doctor and date; the caller adds what the asker may do.
   */
  searchTokens(input: SearchInput, scope: readonly string[] | 'all'): Promise<SearchFound[]>;
  /** Erases one patient's personal data at once (SPEC 12); recorded without the data. */
  erasePatient(input: ErasePatientInput, ctx: RequestContext): Promise<{ erased: number }>;
  /** Retention (SPEC 12): erases the personal data of doctor-days older than the retention days. */
  eraseExpired(): Promise<ErasedBefore>;

  /** The events `actorId` caused on a hospital-local date (YYYY-MM-DD), in order. */
  audit(actorId: string, date: string): Promise<AuditEvent[]>;
  /** The report of the doctor-days from `from` to `to` (hospital-local dates, inclusive), from the event log. */
  report(from: string, to: string): Promise<Report>;
  /**
   * Sums each closed doctor-day of the last year whose stored summary is missing or stale, so that
   * reports find it ready (the background job, src/service/summary-job.ts); returns how many.
   */
  summarizeClosedDays(): Promise<number>;
  /** A past day's doctor-days (all, or those named) replayed from the log under changed rules, beside what happened. */
  whatIf(date: string, change: Partial<Policy>, doctorIds?: readonly string[]): Promise<WhatIfReport>;

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

  /** The service's clock; `setClock` only when it is a ManualClock (OPD_CLOCK=manual; else CLOCK_NOT_MANUAL). */
  now(): Date;
  /** The hospital's IANA time zone: local dates and times are in it. */
  readonly timeZone: string;
  /** Moves the manual clock and ticks every open doctor-day at the new time (as the system). */
  setClock(now: Date): Promise<void>;
  /** Ticks every doctor-day that still has open slots (as the system). Whoever starts the service runs it on a timer. */
  tickAll(): Promise<number>;
  /** Waits for a tick under way and stops the live feed's reads. Stop the tick timer first. */
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
