// The one storage interface of the service. Two implementations: SQLite (embedded default,
// src/store/sqlite/) and PostgreSQL (src/store/postgres/), held to one contract test suite
// (test/suites/store/contract.ts). The event log is the source of truth of a doctor-day; slots and tokens
// are a queryable projection written in the same transaction as the events.

import type { DoctorDayEvent, Policy, Source, TokenStatus } from '../engine/index.ts';
import type { AccessRepository } from './access-repo.ts';
import type { RotaTransaction } from './rota-repo.ts';
import type { SettingsRepository } from './settings-repo.ts';
import type { SummaryRepository } from './summary-repo.ts';
import type { ErasureMatch, ErasureRecord, PersonalRepository } from './personal-repo.ts';
import type { PersonalRow } from './patient.ts';
import type { ActorKind } from '../access/types.ts';
import type { Role } from '../access/roles.ts';

export interface DoctorRecord {
  id: string;
  name: string;
  department: string;
  /** Where the doctor sees patients ("Room 3"); null when not given. */
  room: string | null;
  /** 2–4 capital letters, unique: the prefix of token numbers. */
  code: string;
  /** The doctor's overrides of the hospital default policy (SPEC 9); {} when none. */
  policy: Partial<Policy>;
  createdAt: string;
}

/** A doctor-day: all slots of one doctor on one hospital-local date (YYYY-MM-DD). */
export interface DayKey {
  doctorId: string;
  date: string;
}

/** Projection row of a slot, rewritten whenever its doctor-day changes. Times are epoch ms. */
export interface SlotRow extends DayKey {
  id: string;
  start: number;
  end: number;
  capacity: number;
  occupied: number;
}

/** Projection row of a token. */
export interface TokenRow extends DayKey {
  id: string;
  /** e.g. GM-007 */
  number: string;
  slotId: string | null;
  source: Source;
  status: TokenStatus;
  issuedAt: number;
  bumps: number;
  skips: number;
}

/**
 * Who caused an event, kept beside it in the log (never inside the engine's event): a person's
 * account, an API key, a display link, or `system` (the clock's ticks). Never a secret, never the
 * identity's doctor scope.
 */
export interface EventActor {
  kind: ActorKind;
  id: string;
  /** As the identity was named when it acted (a later rename does not rewrite history). */
  name: string;
  role: Role | 'system';
}

export interface StoredEvent extends DayKey {
  /** One sequence per store, increasing in commit order within a doctor-day. */
  seq: number;
  event: DoctorDayEvent;
  /** Who caused it; null for events written before actors were recorded. */
  actor: EventActor | null;
}

/** An event of an actor's audit: the stored event and the number of the token it names, if any. */
export interface ActorEvent extends StoredEvent {
  tokenNumber: string | null;
}

export interface IdempotencyRecord {
  key: string;
  /** Hash of method, path and body: the same key with another request is refused. */
  requestHash: string;
  /** The first answer, as JSON, returned again for the same key and request. */
  response: string;
  createdAt: string;
}

/** A locked doctor-day: its version, and the events a writer had not seen yet. */
export interface LockedDay {
  version: number;
  /** The events from the position asked for up to `version`, in order. */
  events: DoctorDayEvent[];
}

/** A doctor-day as one consistent read: its version, log and projection rows at one instant. */
export interface DayRecords {
  /** The version of the day's doctor_days row: how many events it should hold. */
  version: number;
  /** The whole log of the day, in position order. */
  events: DoctorDayEvent[];
  /** Every row of the slots table of the day (in no promised order). */
  slots: SlotRow[];
  /** Every row of the tokens table of the day (in no promised order). */
  tokens: TokenRow[];
}

/** What one transaction may do. Everything in it commits together or not at all. */
export interface Transaction {
  /**
   * Locks the doctor-day for the rest of the transaction (creating its row if new) and returns how
   * many events it holds (its version). Changes to one doctor-day are serialized across processes.
   */
  lockDay(key: DayKey): Promise<number>;
  /**
   * lockDay, then the day's events from position `fromVersion`, read after the lock was granted (so
   * they are every event committed before it): a writer's catch-up in the same trip to the database
   * (one round trip on PostgreSQL). `events` is empty when `fromVersion` is not below the version.
   */
  lockDayAndRead(key: DayKey, fromVersion: number): Promise<LockedDay>;
  /** The doctor-day's events from position `fromVersion` (0-based count of events already known). */
  dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]>;
  /**
   * Appends events to the log (in order), each stored with `actor` (who caused them; null: nobody
   * recorded), and upserts the projection rows; returns their sequence numbers.
   */
  append(key: DayKey, events: DoctorDayEvent[], slots: SlotRow[], tokens: TokenRow[], actor?: EventActor | null): Promise<number[]>;
  /**
   * `append`, written with the commit: PostgreSQL sends it in the same message as COMMIT (one round
   * trip less). Its writes come in call order with the other writes of the transaction, and a later
   * call of the transaction sees them. If they fail, the whole transaction fails and is rolled back:
   * `transaction()` rejects with their error, and nothing of the transaction is written. Only a call
   * after the work settled throws (TransactionClosedError).
   */
  appendAtCommit(key: DayKey, events: DoctorDayEvent[], slots: SlotRow[], tokens: TokenRow[], actor: EventActor | null): void;
  getIdempotency(key: string): Promise<IdempotencyRecord | null>;
  putIdempotency(record: IdempotencyRecord): Promise<void>;
  /** Erases one patient's personal rows and records the erasure (without the data); returns the tokens erased. */
  erasePersonal(match: ErasureMatch, record: ErasureRecord): Promise<string[]>;
  /** A token's personal data, written with the commit (with the events that issue the token). */
  putPersonalAtCommit(row: PersonalRow): void;
  /** `putIdempotency`, written with the commit, as `appendAtCommit` (a taken key: DuplicateKeyError from `transaction()`). */
  putIdempotencyAtCommit(record: IdempotencyRecord): void;
  /** The doctor as this transaction sees it (its policy is read here, under the day's lock). */
  getDoctor(id: string): Promise<DoctorRecord | null>;
  insertDoctor(doctor: DoctorRecord): Promise<void>;
  setDoctorPolicy(doctorId: string, policy: Partial<Policy>): Promise<void>;
  /** Renames the doctor or moves it to another room (null: none); false when there is no such doctor. */
  updateDoctor(doctorId: string, fields: { name: string; room: string | null }): Promise<boolean>;
  /**
   * Deletes the projection rows of slots the day's events removed (SlotRemoved), with the commit as
   * `appendAtCommit`. Only rows of that doctor-day are touched.
   */
  removeSlotRowsAtCommit(key: DayKey, slotIds: string[]): void;
  /** The weekly rota, the days made from it, leave and holidays. */
  readonly rota: RotaTransaction;
}

/** A subscription to "events may have been appended" (see Store.watchEvents). */
export interface EventWatch {
  /** Whether wake-ups are flowing now; when not, a reader must poll the log more often. */
  readonly live: boolean;
  close(): void;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Accounts, sessions, keys and display links (src/access/), in the same database. */
  readonly access: AccessRepository;
  /** The hospital's settings (the public code secret, the slip layout), in the same database. */
  readonly settings: SettingsRepository;
  /** The reports' day summaries and the logs they are computed from (summary-repo.ts). */
  readonly summaries: SummaryRepository;
  /** Patients' names, phones and ids, apart from the log (SPEC 12), in the same database. */
  readonly personal: PersonalRepository;
  /** Creates or upgrades the schema; safe when several servers start together. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs `work` in one transaction. `idempotencyKey`, when given, is locked first so that two requests
   * with the same key never run at once.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>, idempotencyKey?: string): Promise<T>;

  getDoctor(id: string): Promise<DoctorRecord | null>;
  getDoctorByCode(code: string): Promise<DoctorRecord | null>;
  listDoctors(): Promise<DoctorRecord[]>;
  getSlot(id: string): Promise<SlotRow | null>;
  getToken(id: string): Promise<TokenRow | null>;
  /** Without a lock: for reads, which never block writes for long. */
  dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]>;
  /** Events of the whole store after `seq`, in sequence order, at most `limit`. */
  eventsAfter(seq: number, limit: number): Promise<StoredEvent[]>;
  /** The highest sequence number in the log (0 when empty): where a live feed starts "now". */
  latestSeq(): Promise<number>;
  /** A token's history: the events that name it, in order. */
  tokenEvents(tokenId: string): Promise<StoredEvent[]>;
  /**
   * The events an actor caused (by actor id) whose time `at` is in [from, to) (epoch ms), in sequence
   * order, each with its token's number: one actor's work of a day, read through an index on
   * (actor id, time).
   */
  actorEvents(actorId: string, from: number, to: number): Promise<ActorEvent[]>;
  /** Doctor-days with a slot that ends after `time` (epoch ms): the ones the clock must tick. */
  daysWithSlotsEndingAfter(time: number): Promise<DayKey[]>;
  /** Every doctor-day the store knows (of one date, when given), by date then doctor id. */
  listDays(date?: string): Promise<DayKey[]>;
  /**
   * A doctor-day's log and rows read in one snapshot, so that a check running beside the servers
   * never compares rows with a log from another moment. Empty (version 0) for an unknown day.
   */
  readDayRecords(key: DayKey): Promise<DayRecords>;
  /**
   * Calls `wake` soon after any process sharing the store commits events (PostgreSQL: LISTEN/NOTIFY),
   * and after a lost subscription is restored. A hint only: a wake-up may be missed, so a reader still
   * polls the log now and then. Absent where one process owns the store (SQLite).
   */
  watchEvents?(wake: () => void): EventWatch;
}

/**
 * What a store tells the operators' metrics about its own work (times in seconds). The store calls
 * it and never knows how it is counted; the default does nothing.
 */
export interface StoreObserver {
  /** SQLite: `size` transactions committed together (group commit); `seconds` for COMMIT and its fsync. */
  commitBatch(size: number, seconds: number): void;
  /** PostgreSQL: one transaction, from its first message to COMMIT or ROLLBACK answered. */
  transaction(seconds: number): void;
  /** PostgreSQL: the message that locks a doctor-day (SELECT … FOR UPDATE) and reads it, answered: lock wait + read. */
  lockWait(seconds: number): void;
}

export const NO_STORE_OBSERVER: StoreObserver = { commitBatch() {}, transaction() {}, lockWait() {} };
