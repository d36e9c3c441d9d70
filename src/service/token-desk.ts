// The token desk: loads a doctor-day, runs the engine, and writes its events (each with who caused
// it), the projection rows and the idempotency record in one transaction. The only place that knows
// both the engine and the store.
//
// One TokenDesk, composed of four parts that share one DeskCore:
//   desk-core.ts     the clock, the caches, the ticks, and `onDay`: the one way to change a doctor-day
//   desk-doctors.ts  doctors, their policy, slots and the schedule
//   desk-tokens.ts   issuing tokens, their lifecycle, call-next and delays
//   desk-feed.ts     reading the log: the live feed, a token's history, an actor's audit
// This class only hands each call to its part. The tick timer is not started here: whoever starts
// the service runs `tickAll` on one (startTickTimer, src/service/tick-timer.ts), and stops it first.

import { ReportsDesk, type WhatIfReport } from './desk-reports.ts';
import type { Report } from '../reports/report.ts';
import { DEFAULT_PHONE_REGION, type PhoneRegion } from './phone.ts';
import type { Clock } from '../access/types.ts';
import { DEFAULT_POLICY, type Policy } from '../engine/index.ts';
import type { Store } from '../store/store.ts';
import { ManualClock } from '../time/clock.ts';
import { DeskCore } from './desk-core.ts';
import { DoctorsDesk } from './desk-doctors.ts';
import { FeedDesk } from './desk-feed.ts';
import { TokensDesk } from './desk-tokens.ts';
import { RotaDeskPart } from './desk-rota.ts';
import type { ClosedDateView, DateClosed, DateReopened, Rota, RotaApplied, RotaChange, RotaSession, UpdateDoctorInput } from './rota-types.ts';
import { PersonalDesk } from './personal-desk.ts';
import { FeedHub, type FeedTiming } from './feed-reader.ts';
import type {
  AuditEvent,
  CreateDoctorInput,
  CreateSlotInput,
  Doctor,
  FeedEvent,
  HistoryEvent,
  IssuedToken,
  IssueTokenInput,
  ErasedBefore,
  ErasePatientInput,
  SearchFound,
  SearchInput,
  RequestContext,
  Schedule,
  Slot,
  SlotDetail,
  Token,
  TokenAction,
  TokenDesk,
  TransferTokenInput,
} from './types.ts';
import { NO_DESK_OBSERVER, type DeskObserver } from './types.ts';

export interface DeskOptions {
  store: Store;
  timeZone: string;
  /** The service's time: SYSTEM_CLOCK, or a ManualClock (only then may `setClock` move it). */
  clock: Clock;
  /** The hospital default policy (SPEC 9). */
  defaultPolicy?: Policy;
  /** Told of the events committed (the tick timer reports its runs to the same observer). */
  metrics?: DeskObserver;
  /** How often the live feed looks at the log without being woken (see FeedHub). */
  feed?: FeedTiming;
  /** Told when the live feed's shared read of the log starts failing (it keeps trying). */
  onFeedError?: (err: unknown) => void;
  /** How long the readiness check waits for the store. Default 2 s. */
  readyTimeoutMs?: number;
  /** How a phone written without a country code is read (OPD_PHONE_REGION). Default IN. */
  phoneRegion?: PhoneRegion;
  /** How many dates (today included) the service makes slots for from the weekly rota (OPD_ROTA_DAYS). Default 14. */
  rotaDays?: number;
  /** Days a doctor-day's personal data is kept after it (OPD_RETENTION_DAYS). Default 90. */
  retentionDays?: number;
}

/** OPD_ROTA_DAYS' default: two weeks of slots ahead. */
export const DEFAULT_ROTA_DAYS = 14;

export class TokenDeskService implements TokenDesk {
  private readonly core: DeskCore;
  private readonly doctors: DoctorsDesk;
  private readonly tokens: TokensDesk;
  private readonly log: FeedDesk;
  private readonly rota: RotaDeskPart;
  private readonly reports: ReportsDesk;
  private readonly personal: PersonalDesk;

  constructor(opts: DeskOptions) {
    const hub = new FeedHub(opts.store, opts.feed, opts.onFeedError);
    this.core = new DeskCore({
      store: opts.store,
      timeZone: opts.timeZone,
      clock: opts.clock,
      defaultPolicy: opts.defaultPolicy ?? DEFAULT_POLICY,
      observer: opts.metrics ?? NO_DESK_OBSERVER,
      onCommitted: () => hub.wake(),
    });
    this.doctors = new DoctorsDesk(this.core);
    this.personal = new PersonalDesk(this.core, opts.phoneRegion ?? DEFAULT_PHONE_REGION, opts.retentionDays);
    this.tokens = new TokensDesk(this.core, this.personal);
    this.log = new FeedDesk(this.core, hub, opts.readyTimeoutMs ?? 2_000);
    this.rota = new RotaDeskPart(this.core, opts.rotaDays ?? DEFAULT_ROTA_DAYS, this.personal);
    this.reports = new ReportsDesk(this.core);
  }

  // ---------------------------------------------------------------- clock

  now(): Date {
    return this.core.clock.now();
  }

  get timeZone(): string {
    return this.core.tz;
  }

  async setClock(now: Date): Promise<void> {
    await this.core.setClock(now);
    this.personal.forgetSecretsBefore(this.core.today());
    await this.rota.makeIfNewDay();
  }

  /** Ticks every open doctor-day; on a new local date, makes the days ahead from the rotas too. */
  async tickAll(): Promise<number> {
    const ticked = await this.core.tickAll();
    this.personal.forgetSecretsBefore(this.core.today());
    await this.rota.makeIfNewDay();
    return ticked;
  }

  async close(): Promise<void> {
    await this.reports.close();
    await this.core.idle();
    this.log.close();
  }

  // ---------------------------------------------------------------- reports

  report(from: string, to: string): Promise<Report> {
    return this.reports.report(from, to);
  }

  summarizeClosedDays(): Promise<number> {
    return this.reports.summarizeClosedDays();
  }

  whatIf(date: string, change: Partial<Policy>, doctorIds?: readonly string[]): Promise<WhatIfReport> {
    return this.reports.whatIf(date, change, doctorIds);
  }

  // ---------------------------------------------------------------- doctors and slots

  createDoctor(input: CreateDoctorInput, ctx: RequestContext): Promise<Doctor> {
    return this.doctors.createDoctor(input, ctx);
  }

  listDoctors(): Promise<Doctor[]> {
    return this.doctors.listDoctors();
  }

  getDoctor(id: string): Promise<Doctor> {
    return this.doctors.getDoctor(id);
  }

  setDoctorPolicy(id: string, policy: Partial<Policy>, ctx: RequestContext): Promise<Doctor> {
    return this.doctors.setDoctorPolicy(id, policy, ctx);
  }

  createSlot(input: CreateSlotInput, ctx: RequestContext): Promise<Slot> {
    return this.doctors.createSlot(input, ctx);
  }

  async getSlot(id: string): Promise<SlotDetail> {
    return this.personal.join(await this.doctors.getSlot(id));
  }

  changeCapacity(id: string, capacity: number, ctx: RequestContext): Promise<Slot> {
    return this.doctors.changeCapacity(id, capacity, ctx);
  }

  searchTokens(input: SearchInput, scope: readonly string[] | 'all'): Promise<SearchFound[]> {
    return this.personal.search(input, scope);
  }

  erasePatient(input: ErasePatientInput, ctx: RequestContext): Promise<{ erased: number }> {
    return this.personal.erasePatient(input, ctx);
  }

  eraseExpired(): Promise<ErasedBefore> {
    return this.personal.eraseExpired();
  }

  async schedule(doctorId: string, date?: string): Promise<Schedule> {
    const schedule = await this.doctors.schedule(doctorId, date);
    return this.personal.join(schedule, { doctorId, date: schedule.date });
  }

  // ---------------------------------------------------------------- tokens

  issueToken(input: IssueTokenInput, ctx: RequestContext): Promise<IssuedToken> {
    return this.tokens.issueToken(input, ctx);
  }

  getToken(id: string): Promise<Token> {
    return this.tokens.getToken(id);
  }

  act(id: string, action: TokenAction, ctx: RequestContext): Promise<Token> {
    return this.tokens.act(id, action, ctx);
  }

  transferToken(id: string, input: TransferTokenInput, ctx: RequestContext): Promise<Token> {
    return this.tokens.transferToken(id, input, ctx);
  }

  callNext(doctorId: string, date: string | undefined, ctx: RequestContext): Promise<Token> {
    return this.tokens.callNext(doctorId, date, ctx);
  }

  delay(doctorId: string, minutes: number, date: string | undefined, ctx: RequestContext): Promise<Schedule> {
    return this.tokens.delay(doctorId, minutes, date, ctx);
  }

  // ---------------------------------------------------------------- the weekly rota, leave and holidays

  getRota(doctorId: string): Promise<Rota> {
    return this.rota.getRota(doctorId);
  }

  setRota(doctorId: string, sessions: RotaSession[], ctx: RequestContext): Promise<RotaChange> {
    return this.rota.setRota(doctorId, sessions, ctx);
  }

  applyRota(doctorId: string, dates: string[], ctx: RequestContext): Promise<RotaApplied> {
    return this.rota.applyRota(doctorId, dates, ctx);
  }

  makeRotaDays(): Promise<number> {
    return this.rota.makeRotaDays();
  }

  listClosedDates(from?: string, to?: string): Promise<ClosedDateView[]> {
    return this.rota.listClosedDates(from, to);
  }

  closeDate(input: { date: string; doctorId?: string; reason: string }, ctx: RequestContext): Promise<DateClosed> {
    return this.rota.closeDate(input, ctx);
  }

  reopenDate(input: { date: string; doctorId?: string }, ctx: RequestContext): Promise<DateReopened> {
    return this.rota.reopenDate(input, ctx);
  }

  updateDoctor(id: string, input: UpdateDoctorInput, ctx: RequestContext): Promise<Doctor> {
    return this.rota.updateDoctor(id, input, ctx);
  }

  // ---------------------------------------------------------------- the log

  tokenHistory(id: string): Promise<HistoryEvent[]> {
    return this.log.tokenHistory(id);
  }

  audit(actorId: string, date: string): Promise<AuditEvent[]> {
    return this.log.audit(actorId, date);
  }

  eventsAfter(seq: number, limit: number): Promise<FeedEvent[]> {
    return this.log.eventsAfter(seq, limit);
  }

  latestSeq(): Promise<number> {
    return this.log.latestSeq();
  }

  waitForEvents(seq: number, ms: number): Promise<void> {
    return this.log.waitForEvents(seq, ms);
  }

  ready(): Promise<void> {
    return this.log.ready();
  }
}

export function createTokenDesk(opts: DeskOptions): TokenDesk {
  return new TokenDeskService(opts);
}

/**
 * A desk ready to serve. A manual clock that was never set resumes at the time of the latest event
 * in the log, so a drill server that restarts goes on where it was instead of jumping to today.
 */
export async function openTokenDesk(opts: DeskOptions): Promise<TokenDesk> {
  if (opts.clock instanceof ManualClock && !opts.clock.isSet) {
    const latest = await opts.store.latestSeq();
    const [last] = latest > 0 ? await opts.store.eventsAfter(latest - 1, 1) : [];
    if (last) opts.clock.set(new Date(last.event.at));
  }
  const desk = new TokenDeskService(opts);
  // At start: the days ahead are made from the rotas at once, not at the first tick.
  await desk.makeRotaDays();
  return desk;
}
