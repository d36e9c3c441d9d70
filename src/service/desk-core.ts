// The core every part of the token desk shares: the clock, the caches of doctor-days and of facts
// that never change, the clock's ticks, and `onDay`, the one way to change a doctor-day (engine run,
// events with their actor, projection rows and the idempotency record in one transaction).

import { dayIsOver, mergePolicy, policyProblems, type DoctorDay, type DoctorDayEvent, type Policy } from '../engine/index.ts';
import { SYSTEM_ACTOR, type Actor, type Clock } from '../access/types.ts';
import type { DayKey, DoctorRecord, EventActor, Store, Transaction } from '../store/store.ts';
import { ManualClock } from '../time/clock.ts';
import { localDate } from '../time/local-time.ts';
import { DayCache } from './day-cache.ts';
import { DayWork, notFound, refusal, rememberFact, type Answer } from './day-work.ts';
import { ServiceError, type DeskObserver, type Idempotency } from './types.ts';
import { slotRow, tokenRow, touched } from './views.ts';
import { withoutPatients } from '../store/personal.ts';

/**
 * How long after its last slot ends a doctor-day is still ticked (auto no-show, expiry): long enough
 * that a server down for a night, or a drill clock moved a day ahead, still closes the day.
 */
const TICK_HORIZON_MS = 48 * 60 * 60_000;

/** Who a change is by, and its idempotency (absent for follow-up work such as a policy's ticks). */
export interface Author {
  actor: Actor;
  idempotency?: Idempotency;
}

/** The clock's own work: ticks and start-up. */
export const SYSTEM: Author = Object.freeze({ actor: SYSTEM_ACTOR });

/**
 * How the events of a person's change are attributed. `split` (the default): what the moment was due
 * before the command ran (a reserve opening, the policy in force recorded on a new day) is the
 * system's, the command's own events are the person's. `whole`: every event is the person's (a policy
 * change, whose moves and promotions are its own doing).
 */
export type Attribution = 'split' | 'whole';

export interface CoreOptions {
  store: Store;
  timeZone: string;
  clock: Clock;
  defaultPolicy: Policy;
  observer: DeskObserver;
  /** Told after events were committed (the live feed looks at the log again). */
  onCommitted: () => void;
}

export class DeskCore {
  readonly store: Store;
  readonly tz: string;
  readonly clock: Clock;
  readonly defaultPolicy: Policy;
  private readonly days = new DayCache();
  private readonly policies = new Map<string, Policy>();
  /**
   * Facts that never change once written, remembered to spare the database a read per request: a
   * doctor's id and code (its policy is always read under the day's lock), and the doctor-day a slot
   * or a token belongs to.
   */
  private readonly owners = new Map<string, DoctorRecord>();
  readonly slotDays = new Map<string, DayKey>();
  readonly tokenDays = new Map<string, DayKey>();
  /**
   * Doctor-days of past dates that are over (dayIsOver): dropped from the caches, and not ticked again
   * (a tick would only rebuild them from the log to find nothing to do). A change to one removes it.
   */
  private readonly closed = new Map<string, true>();
  /** The date the remembered facts were last swept for (facts of earlier dates are dropped). */
  private sweptDate = '';
  private ticking: Promise<number> | undefined;
  private readonly observer: DeskObserver;
  private readonly onCommitted: () => void;

  constructor(opts: CoreOptions) {
    this.store = opts.store;
    this.tz = opts.timeZone;
    this.clock = opts.clock;
    this.defaultPolicy = opts.defaultPolicy;
    this.observer = opts.observer;
    this.onCommitted = opts.onCommitted;
  }

  // ---------------------------------------------------------------- clock

  nowMs(): number {
    return this.clock.now().getTime();
  }

  today(): string {
    return localDate(this.nowMs(), this.tz);
  }

  async setClock(now: Date): Promise<void> {
    if (!(this.clock instanceof ManualClock)) throw new ServiceError('CLOCK_NOT_MANUAL', 'the clock can be set only when the service runs with OPD_CLOCK=manual');
    if (Number.isNaN(now.getTime())) throw new ServiceError('VALIDATION_FAILED', 'now must be a valid time');
    this.clock.set(now);
    // A tick already running works at the old time: let it finish, then tick at the new one.
    await this.ticking?.catch(() => undefined);
    await this.tickAll();
  }

  /** Ticks every doctor-day that still has slots open (or ended within the last hours), as the system. */
  tickAll(): Promise<number> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      const days = await this.store.daysWithSlotsEndingAfter(this.nowMs() - TICK_HORIZON_MS);
      let ticked = 0;
      for (const key of days) {
        if (this.closed.has(dayId(key))) continue;
        const doctor = await this.owner(key.doctorId);
        // Ticking is deterministic and emits only what changed, so two servers ticking the same day
        // apply it once: the second finds nothing left to do.
        await this.onDay(key, doctor, SYSTEM, (w) => w.exec({ type: 'tick' }));
        ticked++;
      }
      this.sweep();
      return ticked;
    })().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /**
   * A finished day costs no memory: the cached copies of past doctor-days that are over (or no longer
   * ticked) are dropped, and, once a day, the remembered slot and token facts of past dates. All of
   * it is rebuilt from the store if touched again.
   */
  private sweep(): void {
    const now = this.nowMs();
    const today = this.today();
    const over = (day: DoctorDay) => day.date < today && (dayIsOver(day, now) || lastEnd(day) <= now - TICK_HORIZON_MS);
    for (const key of this.days.forget(over)) rememberFact(this.closed, dayId(key), true);
    if (this.sweptDate === today) return;
    this.sweptDate = today;
    for (const facts of [this.slotDays, this.tokenDays]) for (const [id, key] of facts) if (key.date < today) facts.delete(id);
  }

  /** How many doctor-days the caches hold (writers' and readers' copies counted apart). */
  get cachedDays(): number {
    return this.days.size;
  }

  /** Resolves once a tick under way has ended. */
  async idle(): Promise<void> {
    await this.ticking?.catch(() => undefined);
  }

  // ---------------------------------------------------------------- the one way to change a doctor-day

  /**
   * Runs `work` on the doctor-day in one transaction: the idempotency record is checked first, the day
   * is locked and brought up to date, the work runs the engine, and its events (with their actor),
   * the rows they touched and the answer are written with the commit.
   */
  async onDay<T>(key: DayKey, doctor: DoctorRecord, author: Author, work: (w: DayWork, tx: Transaction) => T | Promise<T>, attribution: Attribution = 'split'): Promise<T> {
    return this.onDays([{ key, doctor }], author, ([w], tx) => work(w!, tx), attribution);
  }

  /**
   * `onDay` for a change that spans several doctor-days (a transfer): all of them locked in one
   * transaction, always in the same order (doctor id, then date), whatever the order they are named
   * in, so two changes naming the same days the other way round never wait for each other in a
   * circle. `work` gets one DayWork per day in the order they were named; the events are written in
   * that order too.
   */
  async onDays<T>(named: { key: DayKey; doctor: DoctorRecord }[], author: Author, work: (ws: DayWork[], tx: Transaction) => T | Promise<T>, attribution: Attribution = 'split'): Promise<T> {
    const ids = named.map((d) => dayId(d.key));
    if (new Set(ids).size !== ids.length) throw new Error('a change names the same doctor-day twice');
    const order = named.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1));
    const now = this.nowMs();
    const idem = this.scoped(author);
    const person = author.actor.kind !== 'system';
    let written: DoctorDayEvent[][] = [];
    const transact = () =>
      this.store.transaction(async (tx) => {
        written = [];
        const prior = await this.replay<T>(tx, idem);
        if (prior) return prior;
        const works: DayWork[] = new Array<DayWork>(named.length);
        const versions: number[] = new Array<number>(named.length);
        for (const i of order) {
          const { key, doctor } = named[i]!;
          // The lock, and what other servers wrote to the day since this server's copy, in one trip.
          const known = this.days.writerVersion(key);
          const { version, events } = await tx.lockDayAndRead(key, known);
          // The policy is read under the day's lock: a change committed by another server before this
          // point is never undone by a request that read the doctor earlier.
          const current = (await tx.getDoctor(key.doctorId)) ?? doctor;
          // (The copy may be gone or ahead of the log meanwhile: then it is rebuilt, read from the log.)
          const entry = await this.days.load(key, doctor.code, version, (from) => (from === known ? Promise.resolve(events) : tx.dayEvents(key, from)));
          works[i] = new DayWork(entry, now, current, this.policyOf(current));
          versions[i] = version;
        }
        let answer: Answer<T>;
        const due = works.map(() => 0);
        try {
          if (person && attribution === 'split') works.forEach((w, i) => (due[i] = w.catchUp()));
          answer = { ok: true, value: await work(works, tx) };
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          answer = { ok: false, code: err.code, message: err.message, details: err.details };
        }
        works.forEach((w, i) => {
          if (w.events.length === 0) return;
          this.write(tx, named[i]!.key, w, [
            { events: w.events.slice(0, due[i]), actor: SYSTEM_ACTOR },
            { events: w.events.slice(due[i]), actor: author.actor },
          ]);
          w.entry.version = versions[i]! + w.events.length;
          written.push(w.events);
        });
        return this.remember(tx, idem, answer);
      }, idem?.key);
    // One write at a time per doctor-day in this process, taken in the same order as the locks.
    const guarded = order.reduceRight<() => Promise<Answer<T>>>((inner, i) => () => this.days.guard(named[i]!.key, inner), transact);
    const answer = await guarded();
    if (written.length > 0) {
      for (const { key } of named) this.closed.delete(dayId(key));
      this.onCommitted();
      for (const events of written) this.observer.committed(events);
    }
    return this.unwrap(answer);
  }

  /** The events, each run with its actor, and only the projection rows that changed, with the commit. */
  private write(tx: Transaction, key: DayKey, w: DayWork, parts: { events: DoctorDayEvent[]; actor: EventActor }[]): void {
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
    const runs = parts.filter((p) => p.events.length > 0);
    // Written with COMMIT (PostgreSQL: in the same message), in order; the rows travel with the last.
    runs.forEach((run, i) => {
      const last = i === runs.length - 1;
      tx.appendAtCommit(key, run.events, last ? slots : [], last ? tokens.map((t) => tokenRow(w.day, t)) : [], run.actor);
    });
    const removed = w.events.flatMap((e) => (e.type === 'SlotRemoved' ? [e.slotId] : []));
    if (removed.length > 0) tx.removeSlotRowsAtCommit(key, removed);
    for (const row of w.personal) tx.putPersonalAtCommit(row);
  }

  /**
   * The request's Idempotency-Key, kept per actor: the same key from two actors is two requests, so
   * one actor can never replay (or block) another's answer.
   */
  private scoped(author: Author): Idempotency | undefined {
    const idem = author.idempotency;
    if (!idem) return undefined;
    return { key: `${author.actor.kind}:${author.actor.id}\n${idem.key}`, requestHash: idem.requestHash };
  }

  /** A change made outside a doctor-day (a new doctor, a policy): `work` in one transaction, idempotent per actor. */
  async onStore<T>(author: Author, work: (tx: Transaction) => Promise<Answer<T>>): Promise<T> {
    const idem = this.scoped(author);
    const answer = await this.store.transaction(async (tx) => {
      const prior = await this.replay<T>(tx, idem);
      if (prior) return prior;
      return this.remember(tx, idem, await work(tx));
    }, idem?.key);
    return this.unwrap(answer);
  }

  /** The answer an earlier request of this actor with the same key got, if there was one. */
  async replayed<T>(author: Author): Promise<T | null> {
    const idem = this.scoped(author);
    if (!idem) return null;
    const prior = await this.store.transaction((tx) => this.replay<T>(tx, idem), idem.key);
    return prior ? this.unwrap(prior) : null;
  }

  /** A doctor-day for reading: never locks, never waits for writers. */
  readDay(key: DayKey, doctor: DoctorRecord) {
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
    // Remembered without personal data (the service joins it back to whatever answer it gives).
    if (idem) tx.putIdempotencyAtCommit({ key: idem.key, requestHash: idem.requestHash, response: JSON.stringify(withoutPatients(answer)), createdAt: this.clock.now().toISOString() });
    return answer;
  }

  unwrap<T>(answer: Answer<T>): T {
    if (answer.ok) return answer.value;
    throw new ServiceError(answer.code, answer.message, answer.details);
  }

  // ---------------------------------------------------------------- facts

  /** The doctor a change is for: its id and code (never changing); the policy is read under the lock. */
  async owner(id: string): Promise<DoctorRecord> {
    const known = this.owners.get(id);
    if (known) return known;
    const doctor = await this.doctor(id);
    rememberFact(this.owners, id, doctor);
    return doctor;
  }

  /** Forgets the remembered doctor (renamed, or moved to another room): the next use reads it again. */
  forget(doctorId: string): void {
    this.owners.delete(doctorId);
  }

  /** The doctor-day of a slot (of the given doctor, when one is named). */
  async slotDay(id: string, doctorId?: string): Promise<DayKey> {
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

  async tokenDay(id: string): Promise<DayKey> {
    let key = this.tokenDays.get(id);
    if (!key) {
      const row = await this.store.getToken(id);
      if (!row) throw notFound('token', id);
      rememberFact(this.tokenDays, id, (key = { doctorId: row.doctorId, date: row.date }));
    }
    return key;
  }

  async doctor(id: string): Promise<DoctorRecord> {
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

  checkPolicy(overrides: Partial<Policy>): void {
    const problems = policyProblems(mergePolicy(this.defaultPolicy, overrides));
    if (problems.length > 0) throw new ServiceError('VALIDATION_FAILED', `invalid policy: ${problems.join('; ')}`);
  }
}

function lastEnd(day: DoctorDay): number {
  return day.slots[day.slots.length - 1]?.end ?? -Infinity;
}

function dayId(key: DayKey): string {
  return `${key.doctorId}|${key.date}`;
}
