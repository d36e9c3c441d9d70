// The weekly rota, leave and holidays: the desk makes the slots of the days ahead from each doctor's
// rota itself (at start, each new day of its clock, and after an edit), each doctor-day once however
// many servers try, because the work runs under the day's lock and records the day as made in the
// same transaction. Slots are made with the engine's createSlot, as POST /api/slots makes them, so
// the event log stays the truth. A day with tokens is never changed by an edit unless the admin says so.

import { v7 as timeOrderedId } from 'uuid';
import type { DoctorDay, Token as EngineToken } from '../engine/index.ts';
import type { MadeSlot, RotaSession } from '../store/rota-repo.ts';
import type { DayKey, DoctorRecord, Transaction } from '../store/store.ts';
import { formatIso, localDate } from '../time/local-time.ts';
import { SYSTEM, type Author, type DeskCore } from './desk-core.ts';
import type { DayWork } from './day-work.ts';
import type { PersonalDesk } from './personal-desk.ts';
import { checkSessions, datesFrom, slotsOn } from './rota-plan.ts';
import type { ClosedDateView, DateClosed, DateReopened, Rota, RotaApplied, RotaChange, RotaDesk, UpdateDoctorInput } from './rota-types.ts';
import { ServiceError, type Doctor, type RequestContext, type Slot, type Token } from './types.ts';
import { doctorView, slotView, tokenView } from './views.ts';

/** How a doctor-day is brought in line with the rota. */
type Mode =
  /** Only if the rota never made it (the daily round). */
  | 'make'
  /** The rota changed: only if no token was ever issued that day. */
  | 'edit'
  /** The admin applies the rota to a day with tokens: unused old slots go, used ones stay as they are. */
  | 'apply'
  /** A closed date opened again: slots the closing shut get their seats back. */
  | 'reopen';

type Outcome = { kind: 'made' | 'unchanged' | 'closed'; slots: number; used: Slot[] } | { kind: 'asks'; liveTokens: number };

/** Tokens the desk must still call about a day that lost its seats: waiting, seated or checked in. */
const TO_CALL = new Set(['WAITLISTED', 'ALLOCATED', 'CHECKED_IN']);

export class RotaDeskPart implements RotaDesk {
  /** The local date of the last daily round: a new date (by the desk's clock) starts another. */
  private madeFor: string | null = null;

  constructor(
    private readonly core: DeskCore,
    /** OPD_ROTA_DAYS: today and the days after it, this many dates in all. */
    private readonly daysAhead: number,
    /** Patients' personal data (SPEC 12): the desk must know whom to call when a date closes. */
    private readonly personal: PersonalDesk,
  ) {}

  // ---------------------------------------------------------------- the rota

  async getRota(doctorId: string): Promise<Rota> {
    await this.core.doctor(doctorId);
    const rota = await this.core.store.transaction((tx) => tx.rota.getRota(doctorId));
    return { doctorId, sessions: rota?.sessions ?? [], daysAhead: this.daysAhead, updatedAt: rota ? formatIso(rota.updatedAt, this.core.tz) : null };
  }

  async setRota(doctorId: string, sessions: RotaSession[], ctx: RequestContext): Promise<RotaChange> {
    const core = this.core;
    checkSessions(sessions);
    const doctor = await core.doctor(doctorId);
    const sorted = [...sessions].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
    const at = core.nowMs();
    // A retried request (same Idempotency-Key) finds the rota stored; the days below are brought in
    // line again, which changes nothing the second time.
    await core.onStore(ctx, async (tx) => {
      await tx.rota.putRota({ doctorId, sessions: sorted, updatedAt: at });
      return { ok: true, value: null };
    });
    const changed: string[] = [];
    const asks: RotaChange['asks'] = [];
    for (const date of this.horizon()) {
      const out = await this.onDay({ doctorId, date }, doctor, { actor: ctx.actor }, sorted, 'edit');
      if (out.kind === 'asks') asks.push({ date, liveTokens: out.liveTokens });
      else if (out.kind === 'made') changed.push(date);
    }
    return { rota: await this.getRota(doctorId), changed, asks };
  }

  async applyRota(doctorId: string, dates: string[], ctx: RequestContext): Promise<RotaApplied> {
    const core = this.core;
    const doctor = await core.doctor(doctorId);
    const ahead = new Set(this.horizon());
    const outside = dates.filter((d) => !ahead.has(d));
    if (outside.length > 0) {
      throw new ServiceError('VALIDATION_FAILED', `the rota is applied only to today and the next ${this.daysAhead - 1} days; not to ${outside.join(', ')}`);
    }
    const sessions = await this.sessionsOf(doctorId);
    const applied: string[] = [];
    const kept: Slot[] = [];
    for (const date of [...new Set(dates)].sort()) {
      const out = await this.onDay({ doctorId, date }, doctor, { actor: ctx.actor }, sessions, 'apply');
      if (out.kind === 'asks') continue; // (never: apply goes ahead on days with tokens)
      if (out.kind !== 'closed') applied.push(date);
      kept.push(...out.used);
    }
    return { applied, kept };
  }

  /** The daily round: every doctor with a rota, every date ahead, each made at most once. */
  async makeRotaDays(): Promise<number> {
    const core = this.core;
    const today = core.today();
    const doctors = await core.store.transaction((tx) => tx.rota.rotaDoctors());
    let made = 0;
    for (const doctorId of doctors) {
      const doctor = await core.doctor(doctorId);
      const sessions = await this.sessionsOf(doctorId);
      for (const date of this.horizon()) {
        // A weekday without sessions has nothing to make: its day is not even locked.
        if (slotsOn(sessions, date, core.tz).length === 0) continue;
        if ((await this.onDay({ doctorId, date }, doctor, SYSTEM, sessions, 'make')).kind === 'made') made++;
      }
    }
    // Only a round that finished counts: one cut short (the database away) runs again at the next tick.
    this.madeFor = today;
    return made;
  }

  /** Runs the daily round when the desk's clock has reached a new local date since the last one. */
  async makeIfNewDay(): Promise<number> {
    return this.core.today() === this.madeFor ? 0 : this.makeRotaDays();
  }

  // ---------------------------------------------------------------- leave and holidays

  async listClosedDates(from?: string, to?: string): Promise<ClosedDateView[]> {
    const first = from ?? this.core.today();
    const last = to ?? '9999-12-31';
    const rows = await this.core.store.transaction((tx) => tx.rota.closedDates(first, last));
    return rows.map((c) => ({ date: c.date, doctorId: c.doctorId, reason: c.reason, createdAt: formatIso(c.createdAt, this.core.tz) }));
  }

  async closeDate(input: { date: string; doctorId?: string; reason: string }, ctx: RequestContext): Promise<DateClosed> {
    const core = this.core;
    if (input.date < core.today()) throw new ServiceError('VALIDATION_FAILED', `${input.date} has passed; only today or a later date can be closed`);
    const doctors = await this.doctorsOf(input.doctorId);
    const createdAt = core.nowMs();
    const fresh = await core.onStore(ctx, async (tx) => ({
      ok: true,
      value: await tx.rota.putClosedDate({ date: input.date, doctorId: input.doctorId ?? null, reason: input.reason, createdAt }),
    }));
    if (!fresh && !ctx.idempotency) {
      throw new ServiceError('VALIDATION_FAILED', input.doctorId === undefined ? `${input.date} is already a holiday` : `${input.date} is already closed for this doctor`);
    }
    let slotsClosed = 0;
    const toCall: Token[] = [];
    // Every doctor-day of the date is locked, made or not: one being made from the rota right now
    // either saw the closed date or is closed here after it.
    for (const doctor of doctors) {
      const key = { doctorId: doctor.id, date: input.date };
      slotsClosed += await core.onDay(key, doctor, { actor: ctx.actor }, (w) => {
        let n = 0;
        for (const s of w.day.slots) {
          if (s.end > w.now && s.capacity > 0) {
            w.exec({ type: 'changeCapacity', slotId: s.id, capacity: 0 });
            n++;
          }
        }
        return n;
      });
      toCall.push(...(await this.waiting(key, doctor)));
    }
    const closed = (await this.listClosedDates(input.date, input.date)).find((c) => c.doctorId === (input.doctorId ?? null))!;
    return { closed, slotsClosed, toCall: await this.personal.join(toCall) };
  }

  async reopenDate(input: { date: string; doctorId?: string }, ctx: RequestContext): Promise<DateReopened> {
    const core = this.core;
    const doctors = await this.doctorsOf(input.doctorId);
    const gone = await core.onStore(ctx, async (tx) => ({ ok: true, value: await tx.rota.deleteClosedDate(input.date, input.doctorId ?? null) }));
    if (!gone && !ctx.idempotency) {
      throw new ServiceError('NOT_FOUND', input.doctorId === undefined ? `${input.date} is not a holiday` : `${input.date} is not closed for this doctor`);
    }
    const reopened: DateReopened['reopened'] = [];
    const ahead = new Set(this.horizon());
    for (const doctor of doctors) {
      const sessions = await this.sessionsOf(doctor.id);
      // A date beyond the days ahead is made by a later daily round.
      if (!ahead.has(input.date)) continue;
      const key = { doctorId: doctor.id, date: input.date };
      const out = await this.onDay(key, doctor, { actor: ctx.actor }, sessions, 'reopen');
      if (out.kind === 'made') reopened.push({ ...key, slots: out.slots });
    }
    return { date: input.date, doctorId: input.doctorId ?? null, reopened };
  }

  // ---------------------------------------------------------------- the doctor's name and room

  async updateDoctor(id: string, input: UpdateDoctorInput, ctx: RequestContext): Promise<Doctor> {
    const core = this.core;
    const before = await core.doctor(id);
    const fields = { name: input.name ?? before.name, room: input.room === undefined ? before.room : input.room };
    const doctor = await core.onStore(ctx, async (tx) => {
      if (!(await tx.updateDoctor(id, fields))) return { ok: false, code: 'NOT_FOUND', message: `no doctor ${id}`, details: {} };
      const now = await tx.getDoctor(id);
      return { ok: true, value: doctorView(now!) };
    });
    core.forget(id);
    return doctor;
  }

  // ---------------------------------------------------------------- one doctor-day

  private onDay(key: DayKey, doctor: DoctorRecord, author: Author, sessions: RotaSession[], mode: Mode): Promise<Outcome> {
    return this.core.onDay(key, doctor, author, (w, tx) => this.bringInLine(w, tx, key, sessions, mode), 'whole');
  }

  /** Under the day's lock: the day's slots made to match the rota, as far as `mode` allows. */
  private async bringInLine(w: DayWork, tx: Transaction, key: DayKey, sessions: RotaSession[], mode: Mode): Promise<Outcome> {
    const made = await tx.rota.madeDay(key);
    if (mode === 'make' && made !== null) return { kind: 'unchanged', slots: 0, used: [] };
    const closed = await tx.rota.closedDates(key.date, key.date);
    if (closed.some((c) => c.doctorId === null || c.doctorId === key.doctorId)) return { kind: 'closed', slots: 0, used: [] };
    const day = w.day;
    if (mode === 'edit' && day.tokens.size > 0) {
      return { kind: 'asks', liveTokens: [...day.tokens.values()].filter((t) => TO_CALL.has(t.status) || t.status === 'CALLED').length };
    }
    // Slots that ended are history: nothing is made, moved or removed before now.
    const plan = slotsOn(sessions, key.date, this.core.tz).filter((p) => p.end > w.now);
    const before = w.events.length;
    const kept: MadeSlot[] = [];
    const used: Slot[] = [];
    for (const m of made ?? []) {
      const s = day.slotById.get(m.id);
      if (!s) continue;
      if (s.end <= w.now) {
        kept.push(m);
        continue;
      }
      const same = plan.find((p) => p.start === s.start && p.end === s.end && p.room === s.room);
      if (same) {
        // Seats follow the rota, but never so few that a seated patient would have to move; a slot
        // someone closed stays closed, except when its closed date reopens.
        const wanted = mode === 'reopen' || s.capacity !== 0 || m.capacity === 0 ? same.capacity : 0;
        const seats = Math.max(wanted, Math.min(s.capacity, s.occupied));
        if (s.capacity !== seats) w.exec({ type: 'changeCapacity', slotId: s.id, capacity: seats });
        kept.push({ id: s.id, capacity: same.capacity });
        if (seats !== wanted) used.push(slotView(day, s, this.core.tz, w.doctor.room));
      } else if (!named(day, s.id)) {
        w.exec({ type: 'removeSlot', slotId: s.id });
      } else {
        // Tokens were issued there: the slot stays as it is (nobody is moved); the admin may close it.
        kept.push(m);
        used.push(slotView(day, s, this.core.tz, w.doctor.room));
      }
    }
    for (const p of plan) {
      // Time already taken (a slot kept, closed, or made by hand) is left as it is.
      if (day.slots.some((s) => s.start < p.end && p.start < s.end)) continue;
      const id = timeOrderedId();
      w.exec({ type: 'createSlot', slot: { id, start: p.start, end: p.end, capacity: p.capacity, ...(p.room === null ? {} : { room: p.room }) } });
      kept.push({ id, capacity: p.capacity });
    }
    // Nothing to do (the same rota again, or a weekday without sessions never made): nothing is written.
    if (w.events.length === before && JSON.stringify(made ?? []) === JSON.stringify(kept)) return { kind: 'unchanged', slots: 0, used };
    await tx.rota.putMadeDay(key, kept, w.now);
    return { kind: 'made', slots: kept.length, used };
  }

  // ---------------------------------------------------------------- helpers

  /** Today and the days after it: OPD_ROTA_DAYS dates. */
  private horizon(): string[] {
    return datesFrom(localDate(this.core.nowMs(), this.core.tz), this.daysAhead);
  }

  private async sessionsOf(doctorId: string): Promise<RotaSession[]> {
    return (await this.core.store.transaction((tx) => tx.rota.getRota(doctorId)))?.sessions ?? [];
  }

  private async doctorsOf(doctorId: string | undefined): Promise<DoctorRecord[]> {
    if (doctorId !== undefined) return [await this.core.doctor(doctorId)];
    return this.core.store.listDoctors();
  }

  /** The day's tokens the desk must call, read after the change committed. */
  private async waiting(key: DayKey, doctor: DoctorRecord): Promise<Token[]> {
    const day = await this.core.readDay(key, doctor);
    return [...day.tokens.values()].filter((t) => TO_CALL.has(t.status)).sort((a, b) => a.number - b.number).map((t: EngineToken) => tokenView(day, t, this.core.tz));
  }
}

/** Whether any token of the day names the slot (seated there now or once, or waiting tied to it). */
function named(day: DoctorDay, slotId: string): boolean {
  for (const t of day.tokens.values()) if (t.slotId === slotId || t.tie.slotId === slotId) return true;
  return false;
}
