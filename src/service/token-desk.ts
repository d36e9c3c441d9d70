// The token desk: loads a doctor-day, runs the engine, and writes its events, the projection rows and
// the idempotency record in one transaction. The only place that knows both the engine and the store.

// Time-ordered ids (UUIDv7): new tokens and slots land at the end of their B-trees, so a booking
// writes a few pages instead of pages all over the tables.
import { v7 as timeOrderedId } from 'uuid';
import { DEFAULT_POLICY, mergePolicy, policyProblems, type DoctorDayEvent, type Policy } from '../engine/index.ts';
import { DuplicateKeyError, StoreUnavailableError } from '../store/errors.ts';
import type { DayKey, DoctorRecord, Store, StoredEvent, Transaction } from '../store/store.ts';
import { localDate } from '../time/local-time.ts';
import { DayCache } from './day-cache.ts';
import { ACTIONS, DayWork, notFound, refusal, rememberFact, type Answer } from './day-work.ts';
import { FeedHub, type FeedTiming } from './feed-reader.ts';
import { doctorCodeCandidates } from './doctor-code.ts';
import { noOpdLeft, normalizedPatient } from './issue-rules.ts';
import { DEFAULT_PHONE_REGION, type PhoneRegion } from './phone.ts';
import { startTickTimer } from './tick-timer.ts';
import {
  ServiceError,
  type CreateDoctorInput,
  type CreateSlotInput,
  type Doctor,
  type FeedEvent,
  type Idempotency,
  type IssuedToken,
  type IssueTokenInput,
  type Schedule,
  type Slot,
  type SlotDetail,
  type Token,
  type TokenAction,
  type TokenDesk,
} from './types.ts';
import { NO_DESK_OBSERVER, type DeskObserver } from './types.ts';
import { doctorView, feedEvent, scheduleView, slotDetailView, slotRow, slotView, tokenRow, tokenView, touched } from './views.ts';

export interface DeskOptions {
  store: Store;
  timeZone: string;
  clock: 'system' | 'manual';
  /** The hospital default policy (SPEC 9). */
  defaultPolicy?: Policy;
  /** How often the clock ticks every open doctor-day; 0 = never (tests tick by hand). */
  tickEveryMs?: number;
  /** Where a manual clock starts (default: the system time at start). */
  startAt?: Date;
  /** Told of a failed tick (the clock's ticks run unattended). */
  onTickError?: (err: unknown) => void;
  /** Told of the events committed and of every timer tick. */
  metrics?: DeskObserver;
  /** How often the live feed looks at the log without being woken (see FeedHub). */
  feed?: FeedTiming;
  /** Told when the live feed's shared read of the log starts failing (it keeps trying). */
  onFeedError?: (err: unknown) => void;
  /** How long the readiness check waits for the store. Default 2 s. */
  readyTimeoutMs?: number;
  /** How a phone written without a country code is read (OPD_PHONE_REGION). Default IN. */
  phoneRegion?: PhoneRegion;
}

/**
 * How long after its last slot ends a doctor-day is still ticked (auto no-show, expiry): long enough
 * that a server down for a night, or a drill clock moved a day ahead, still closes the day.
 */
const TICK_HORIZON_MS = 48 * 60 * 60_000;


export class TokenDeskService implements TokenDesk {
  private readonly store: Store;
  private readonly tz: string;
  private readonly manual: boolean;
  private readonly defaultPolicy: Policy;
  private clockMs: number;
  private readonly days = new DayCache();
  private readonly policies = new Map<string, Policy>();
  /**
   * Facts that never change once written, remembered to spare the database a read per request: a
   * doctor's id and code (its policy is always read under the day's lock), and the doctor-day a slot
   * or a token belongs to.
   */
  private readonly owners = new Map<string, DoctorRecord>();
  private readonly slotDays = new Map<string, DayKey>();
  private readonly tokenDays = new Map<string, DayKey>();
  private readonly feed: FeedHub;
  private readonly feedViews = new WeakMap<StoredEvent, FeedEvent>();
  private readonly readyTimeoutMs: number;
  private readonly phoneRegion: PhoneRegion;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<number> | undefined;
  private readonly observer: DeskObserver;

  constructor(opts: DeskOptions) {
    this.store = opts.store;
    this.tz = opts.timeZone;
    this.manual = opts.clock === 'manual';
    this.defaultPolicy = opts.defaultPolicy ?? DEFAULT_POLICY;
    this.clockMs = (opts.startAt ?? new Date()).getTime();
    this.feed = new FeedHub(opts.store, opts.feed, opts.onFeedError);
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 2_000;
    this.phoneRegion = opts.phoneRegion ?? DEFAULT_PHONE_REGION;
    this.observer = opts.metrics ?? NO_DESK_OBSERVER;
    const every = opts.tickEveryMs ?? 15_000;
    if (!this.manual && every > 0) {
      this.timer = startTickTimer(() => this.tickAll(), every, this.observer, opts.onTickError ?? (() => undefined));
    }
  }

  // ---------------------------------------------------------------- clock

  now(): Date {
    return new Date(this.nowMs());
  }

  private nowMs(): number {
    return this.manual ? this.clockMs : Date.now();
  }

  private today(): string {
    return localDate(this.nowMs(), this.tz);
  }

  get timeZone(): string {
    return this.tz;
  }

  async setClock(now: Date): Promise<void> {
    if (!this.manual) throw new ServiceError('CLOCK_NOT_MANUAL', 'the clock can be set only when the service runs with OPD_CLOCK=manual');
    if (Number.isNaN(now.getTime())) throw new ServiceError('VALIDATION_FAILED', 'now must be a valid time');
    this.clockMs = now.getTime();
    // A tick already running works at the old time: let it finish, then tick at the new one.
    await this.ticking?.catch(() => undefined);
    await this.tickAll();
  }

  /** Ticks every doctor-day that still has slots open (or ended within the last hours). */
  async tickAll(): Promise<number> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      const days = await this.store.daysWithSlotsEndingAfter(this.nowMs() - TICK_HORIZON_MS);
      let ticked = 0;
      for (const key of days) {
        const doctor = await this.owner(key.doctorId);
        // Ticking is deterministic and emits only what changed, so two servers ticking the same day
        // apply it once: the second finds nothing left to do.
        await this.onDay(key, doctor, undefined, (w) => w.exec({ type: 'tick' }));
        ticked++;
      }
      return ticked;
    })().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking?.catch(() => undefined);
    this.feed.close();
  }

  // ---------------------------------------------------------------- doctors

  async createDoctor(input: CreateDoctorInput, idem?: Idempotency): Promise<Doctor> {
    const policy = input.policy ?? {};
    this.checkPolicy(policy);
    // Codes are chosen before the transaction (a read inside it would need a second connection);
    // the unique key settles a race, and the next candidate is tried.
    if (idem) {
      const prior = await this.store.transaction((tx) => this.replay<Doctor>(tx, idem), idem.key);
      if (prior) return this.unwrap(prior);
    }
    const candidates = input.code !== undefined ? [input.code] : doctorCodeCandidates(input.department, input.name);
    for (const code of candidates) {
      if (await this.store.getDoctorByCode(code)) continue;
      const doctor: DoctorRecord = { id: timeOrderedId(), name: input.name, department: input.department, code, policy, createdAt: this.now().toISOString() };
      try {
        return this.unwrap(
          await this.store.transaction(async (tx) => {
            const prior = await this.replay<Doctor>(tx, idem);
            if (prior) return prior;
            await tx.insertDoctor(doctor);
            return this.remember(tx, idem, { ok: true, value: doctorView(doctor) });
          }, idem?.key),
        );
      } catch (err) {
        if (!(err instanceof DuplicateKeyError && err.key === 'doctor.code')) throw err;
      }
    }
    if (input.code !== undefined) throw new ServiceError('VALIDATION_FAILED', `code ${input.code} is already taken`);
    throw new ServiceError('VALIDATION_FAILED', 'no free code: give one (2–4 capital letters)');
  }

  /** By name, then code: the order a desk looks them up in. */
  async listDoctors(): Promise<Doctor[]> {
    const doctors = await this.store.listDoctors();
    doctors.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.code.localeCompare(b.code, 'en'));
    return doctors.map(doctorView);
  }

  async getDoctor(id: string): Promise<Doctor> {
    return doctorView(await this.doctor(id));
  }

  async setDoctorPolicy(id: string, policy: Partial<Policy>, idem?: Idempotency): Promise<Doctor> {
    this.checkPolicy(policy);
    const doctor = await this.doctor(id);
    const answer = await this.store.transaction(async (tx) => {
      const prior = await this.replay<Doctor>(tx, idem);
      if (prior) return prior;
      await tx.setDoctorPolicy(id, policy);
      return this.remember(tx, idem, { ok: true, value: doctorView({ ...doctor, policy }) });
    }, idem?.key);
    const updated = this.unwrap(answer);
    // Open doctor-days take the policy now in force at once (the engine records it and acts on it).
    // A change reads the policy under the day's lock, so a replayed request never brings back the
    // policy it set long ago.
    for (const key of await this.store.daysWithSlotsEndingAfter(this.nowMs())) {
      if (key.doctorId === id) await this.onDay(key, doctor, undefined, (w) => w.exec({ type: 'tick' }));
    }
    return updated;
  }

  // ---------------------------------------------------------------- slots

  async createSlot(input: CreateSlotInput, idem?: Idempotency): Promise<Slot> {
    const doctor = await this.owner(input.doctorId);
    const start = Date.parse(input.start);
    const end = Date.parse(input.end);
    if (Number.isNaN(start) || Number.isNaN(end)) throw new ServiceError('VALIDATION_FAILED', 'start and end must be ISO 8601 times');
    const key = { doctorId: doctor.id, date: localDate(start, this.tz) };
    const id = timeOrderedId();
    const slot = await this.onDay(key, doctor, idem, (w) => {
      w.exec({ type: 'createSlot', slot: { id, start, end, capacity: input.capacity } });
      return slotView(w.day, w.day.slotById.get(id)!, this.tz);
    });
    rememberFact(this.slotDays, slot.id, key);
    return slot;
  }

  async getSlot(id: string): Promise<SlotDetail> {
    const key = await this.slotDay(id);
    const day = await this.readDay(key, await this.owner(key.doctorId));
    return slotDetailView(day, day.slotById.get(id)!, this.tz);
  }

  async changeCapacity(id: string, capacity: number, idem?: Idempotency): Promise<Slot> {
    const key = await this.slotDay(id);
    return this.onDay(key, await this.owner(key.doctorId), idem, (w) => {
      w.exec({ type: 'changeCapacity', slotId: id, capacity });
      return slotView(w.day, w.day.slotById.get(id)!, this.tz);
    });
  }

  async schedule(doctorId: string, date?: string): Promise<Schedule> {
    const doctor = await this.doctor(doctorId);
    const day = await this.readDay({ doctorId, date: date ?? this.today() }, doctor);
    return scheduleView(doctor, day, this.tz, this.nowMs());
  }

  // ---------------------------------------------------------------- tokens

  async issueToken(input: IssueTokenInput, idem?: Idempotency): Promise<IssuedToken> {
    const doctor = await this.owner(input.doctorId);
    let date = input.date ?? this.today();
    // A day that is over takes no new token (it would wait for a slot that can never come).
    if (input.date !== undefined && input.date < this.today()) throw noOpdLeft(doctor, input.date, true);
    const patient = normalizedPatient(input.patient, this.phoneRegion);
    if (input.slotId !== undefined) {
      const slot = await this.slotDay(input.slotId, doctor.id);
      if (input.date !== undefined && input.date !== slot.date) throw new ServiceError('VALIDATION_FAILED', `slot ${input.slotId} is on ${slot.date}, not ${input.date}`);
      date = slot.date;
    }
    const tokenId = timeOrderedId();
    const key = { doctorId: doctor.id, date };
    const issued = await this.onDay(key, doctor, idem, (w) => {
      let out;
      try {
        out = w.exec({
          type: 'issueToken',
          tokenId,
          source: input.source,
          patient,
          slotId: input.slotId ?? null,
          flexible: input.flexible ?? false,
          arrived: input.arrived ?? false,
        });
      } catch (err) {
        if (err instanceof ServiceError && err.code === 'NO_OPEN_SLOT') throw noOpdLeft(w.doctor, date, w.day.slots.length > 0);
        throw err;
      }
      const bumped = out.bumpedTokenId === undefined ? null : tokenView(w.day, w.day.tokens.get(out.bumpedTokenId)!, this.tz);
      return { ...tokenView(w.day, w.day.tokens.get(tokenId)!, this.tz), bumped };
    });
    rememberFact(this.tokenDays, issued.id, key);
    return issued;
  }

  async getToken(id: string): Promise<Token> {
    const key = await this.tokenDay(id);
    const day = await this.readDay(key, await this.owner(key.doctorId));
    return tokenView(day, day.tokens.get(id)!, this.tz);
  }

  async tokenHistory(id: string): Promise<FeedEvent[]> {
    await this.tokenDay(id);
    return (await this.store.tokenEvents(id)).map((e) => feedEvent(e, this.tz));
  }

  async act(id: string, action: TokenAction, idem?: Idempotency): Promise<Token> {
    const key = await this.tokenDay(id);
    return this.onDay(key, await this.owner(key.doctorId), idem, (w) => {
      w.exec({ type: ACTIONS[action], tokenId: id });
      return tokenView(w.day, w.day.tokens.get(id)!, this.tz);
    });
  }

  async callNext(doctorId: string, date?: string, idem?: Idempotency): Promise<Token> {
    const doctor = await this.owner(doctorId);
    return this.onDay({ doctorId, date: date ?? this.today() }, doctor, idem, (w) => {
      const out = w.exec({ type: 'callNext' });
      return tokenView(w.day, w.day.tokens.get(out.tokenId!)!, this.tz);
    });
  }

  async delay(doctorId: string, minutes: number, date?: string, idem?: Idempotency): Promise<Schedule> {
    const doctor = await this.owner(doctorId);
    return this.onDay({ doctorId, date: date ?? this.today() }, doctor, idem, (w) => {
      w.exec({ type: 'delayDoctor', minutes });
      return scheduleView(w.doctor, w.day, this.tz, w.now);
    });
  }

  // ---------------------------------------------------------------- the feed

  async eventsAfter(seq: number, limit: number): Promise<FeedEvent[]> {
    // The feeds of a wake-up share the same stored events: each is put in the feed's words once.
    return (await this.feed.after(seq, limit)).map((e) => {
      let view = this.feedViews.get(e);
      if (!view) this.feedViews.set(e, (view = feedEvent(e, this.tz)));
      return view;
    });
  }

  latestSeq(): Promise<number> {
    return this.store.latestSeq();
  }

  waitForEvents(seq: number, ms: number): Promise<void> {
    return this.feed.wait(seq, ms);
  }

  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError('not-committed', { cause: new Error(`no answer within ${this.readyTimeoutMs} ms`) })), this.readyTimeoutMs);
    });
    try {
      await Promise.race([this.store.latestSeq(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  // ---------------------------------------------------------------- the one way to change a doctor-day

  /**
   * Runs `work` on the doctor-day in one transaction: the idempotency record is checked first, the day
   * is locked and brought up to date, the engine runs, then events, projection rows and the answer are
   * written together. A refusal is an answer too: it is remembered for its key, and any events its
   * moment was due anyway are kept.
   */
  private async onDay<T>(key: DayKey, doctor: DoctorRecord, idem: Idempotency | undefined, work: (w: DayWork) => T): Promise<T> {
    const now = this.nowMs();
    let written: DoctorDayEvent[] = [];
    const answer = await this.days.guard(key, () =>
      this.store.transaction(async (tx) => {
        const prior = await this.replay<T>(tx, idem);
        if (prior) return prior;
        // The lock, and what other servers wrote to the day since this server's copy, in one trip.
        const known = this.days.writerVersion(key);
        const { version, events } = await tx.lockDayAndRead(key, known);
        // The policy is read under the day's lock: a change committed by another server before this
        // point is never undone by a request that read the doctor earlier.
        const current = (await tx.getDoctor(key.doctorId)) ?? doctor;
        // (The copy may be gone or ahead of the log meanwhile: then it is rebuilt, read from the log.)
        const entry = await this.days.load(key, doctor.code, version, (from) => (from === known ? Promise.resolve(events) : tx.dayEvents(key, from)));
        const w = new DayWork(entry, now, current, this.policyOf(current));
        let answer: Answer<T>;
        try {
          answer = { ok: true, value: work(w) };
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          answer = { ok: false, code: err.code, message: err.message, details: err.details };
        }
        if (w.events.length > 0) {
          // Only the rows that changed: a booking touches one slot (two when it bumps), not the day.
          const tokenIds = new Set<string>();
          const slotIds = new Set<string>();
          for (const e of w.events) {
            const t = touched(e);
            if (t.tokenId !== undefined) tokenIds.add(t.tokenId);
            for (const id of t.slotIds) slotIds.add(id);
          }
          const tokens = [...tokenIds].map((id) => w.day.tokens.get(id)!);
          for (const t of tokens) if (t.slotId !== null) slotIds.add(t.slotId);
          const slots = w.day.slots.filter((s) => slotIds.has(s.id)).map((s) => slotRow(w.day, s));
          // Written with COMMIT (PostgreSQL: in the same message); the answer waits for the commit.
          tx.appendAtCommit(key, w.events, slots, tokens.map((t) => tokenRow(w.day, t)));
          entry.version = version + w.events.length;
          written = w.events;
        }
        return this.remember(tx, idem, answer);
      }, idem?.key),
    );
    if (written.length > 0) {
      this.feed.wake();
      this.observer.committed(written);
    }
    return this.unwrap(answer);
  }

  /** A doctor-day for reading: never locks, never waits for writers. */
  private readDay(key: DayKey, doctor: DoctorRecord) {
    return this.days.read(key, doctor.code, (from) => this.store.dayEvents(key, from));
  }

  private async replay<T>(tx: Transaction, idem: Idempotency | undefined): Promise<Answer<T> | null> {
    if (!idem) return null;
    const prior = await tx.getIdempotency(idem.key);
    if (!prior) return null;
    if (prior.requestHash !== idem.requestHash) {
      return refusal('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another request', {});
    }
    return JSON.parse(prior.response) as Answer<T>;
  }

  /** The answer, and its idempotency record written with the commit. */
  private remember<T>(tx: Transaction, idem: Idempotency | undefined, answer: Answer<T>): Answer<T> {
    if (idem) tx.putIdempotencyAtCommit({ key: idem.key, requestHash: idem.requestHash, response: JSON.stringify(answer), createdAt: this.now().toISOString() });
    return answer;
  }

  private unwrap<T>(answer: Answer<T>): T {
    if (answer.ok) return answer.value;
    throw new ServiceError(answer.code, answer.message, answer.details);
  }

  /** The doctor a change is for: its id and code (never changing); the policy is read under the lock. */
  private async owner(id: string): Promise<DoctorRecord> {
    const known = this.owners.get(id);
    if (known) return known;
    const doctor = await this.doctor(id);
    rememberFact(this.owners, id, doctor);
    return doctor;
  }

  /** The doctor-day of a slot (of the given doctor, when one is named). */
  private async slotDay(id: string, doctorId?: string): Promise<DayKey> {
    let key = this.slotDays.get(id);
    if (!key) {
      const row = await this.store.getSlot(id);
      if (row) rememberFact(this.slotDays, id, (key = { doctorId: row.doctorId, date: row.date }));
    }
    if (!key || (doctorId !== undefined && key.doctorId !== doctorId)) {
      throw new ServiceError('NOT_FOUND', doctorId === undefined ? `no slot ${id}` : `no slot ${id} for this doctor`);
    }
    return key;
  }

  private async tokenDay(id: string): Promise<DayKey> {
    let key = this.tokenDays.get(id);
    if (!key) {
      const row = await this.store.getToken(id);
      if (!row) throw notFound('token', id);
      rememberFact(this.tokenDays, id, (key = { doctorId: row.doctorId, date: row.date }));
    }
    return key;
  }

  private async doctor(id: string): Promise<DoctorRecord> {
    const doctor = await this.store.getDoctor(id);
    if (!doctor) throw notFound('doctor', id);
    return doctor;
  }

  /** The same overrides give the same policy object, so the engine checks each policy once. */
  private policyOf(doctor: DoctorRecord): Policy {
    const key = JSON.stringify(doctor.policy);
    let policy = this.policies.get(key);
    if (!policy) {
      policy = mergePolicy(this.defaultPolicy, doctor.policy);
      this.policies.set(key, policy);
    }
    return policy;
  }

  private checkPolicy(overrides: Partial<Policy>): void {
    const problems = policyProblems(mergePolicy(this.defaultPolicy, overrides));
    if (problems.length > 0) throw new ServiceError('VALIDATION_FAILED', `invalid policy: ${problems.join('; ')}`);
  }
}


export function createTokenDesk(opts: DeskOptions): TokenDesk {
  return new TokenDeskService(opts);
}

/**
 * A desk ready to serve. A manual clock without a start time resumes at the time of the latest event
 * in the log, so a drill server that restarts goes on where it was instead of jumping to today.
 */
export async function openTokenDesk(opts: DeskOptions): Promise<TokenDesk> {
  if (opts.clock === 'manual' && opts.startAt === undefined) {
    const latest = await opts.store.latestSeq();
    const [last] = latest > 0 ? await opts.store.eventsAfter(latest - 1, 1) : [];
    if (last) return new TokenDeskService({ ...opts, startAt: new Date(last.event.at) });
  }
  return new TokenDeskService(opts);
}
