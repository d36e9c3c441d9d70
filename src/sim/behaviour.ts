// How the people of a generated day act: patients book, cancel, arrive (or not), wait, step away;
// the desk checks them in and marks absentees; doctors call the next patient whenever they are free.
// Every decision here reads the engine's state and issues engine commands; nothing is random any
// more (the plan drew it all), so a plan and a policy fix the run.

import type { Command, DoctorDay, DoctorDayEvent, Millis, Outcome, Token } from '../engine/index.ts';
import { issueTokenCommand, tokenIdOf, type DayPlan, type PatientPlan } from './plan.ts';

const MINUTE = 60_000;
/** How long a doctor waits for a called patient who does not come in before skipping (minutes). */
export const CALL_WAIT_MINUTES = 2;

export type Happening =
  | { kind: 'book' | 'arrive' | 'cancel' | 'staff-no-show' | 'rebook' | 'check-in' | 'walk-in-again'; doctor: number; patient: number }
  | { kind: 'delay'; doctor: number; minutes: number }
  | { kind: 'doctor-free'; doctor: number }
  | { kind: 'consult-done' | 'answer-call'; doctor: number; tokenId: string };

/** What the behaviour needs from the runner. */
export interface SimulationPort {
  readonly plan: DayPlan;
  readonly days: readonly DoctorDay[];
  exec(doctor: number, command: Command, at: Millis): Outcome;
  schedule(at: Millis, h: Happening): void;
  anomaly(text: string): void;
}

interface PatientState {
  tokenId: string;
  /** At the hospital (walk-ins and emergencies from booking; others once they arrive). */
  present: boolean;
  /** The slot start the patient planned the visit around; a later seat makes them re-plan once. */
  plannedStart: Millis | null;
  replanned: boolean;
  awayUntil: Millis | null;
  reissued: boolean;
}

export interface DoctorState {
  /** The doctor starts calling here: the first slot start, later when running late. */
  onDutyFrom: Millis;
  busy: boolean;
  /** Found the waiting room empty; the next check-in wakes the doctor. */
  idle: boolean;
  /** Resting between sessions until then; null when not on a break. */
  onBreakUntil: Millis | null;
}

export class Behaviour {
  readonly doctors: DoctorState[];
  private readonly patients: PatientState[][];
  private readonly byToken: Map<string, number>[];

  constructor(private readonly sim: SimulationPort) {
    const plan = sim.plan;
    this.doctors = plan.doctors.map((d) => ({
      onDutyFrom: d.slots[0]?.start ?? plan.startAt,
      busy: false,
      idle: false,
      onBreakUntil: null,
    }));
    this.patients = plan.doctors.map((d) =>
      d.patients.map((p) => ({ tokenId: tokenIdOf(d.doctor.code, p.n), present: false, plannedStart: null, replanned: false, awayUntil: null, reissued: false })),
    );
    this.byToken = this.patients.map((list) => new Map(list.map((p, i) => [p.tokenId, i])));
  }

  /** The day's agenda before anything happens. */
  start(): void {
    this.sim.plan.doctors.forEach((d, doctor) => {
      if (d.delay) this.sim.schedule(d.delay.at, { kind: 'delay', doctor, minutes: d.delay.minutes });
      d.patients.forEach((p, patient) => {
        this.sim.schedule(p.bookAt, { kind: 'book', doctor, patient });
        if (p.rebookAt !== null) this.sim.schedule(p.rebookAt, { kind: 'rebook', doctor, patient });
      });
      if (d.callsWhenFree && d.slots.length > 0) this.sim.schedule(this.doctors[doctor]!.onDutyFrom, { kind: 'doctor-free', doctor });
    });
  }

  handle(h: Happening, now: Millis): void {
    switch (h.kind) {
      case 'delay':
        this.sim.exec(h.doctor, { type: 'delayDoctor', minutes: h.minutes }, now);
        return;
      case 'book':
        return this.book(h.doctor, h.patient, now);
      case 'arrive':
        return this.arrive(h.doctor, h.patient, now);
      case 'cancel':
        this.sim.exec(h.doctor, { type: 'cancel', tokenId: this.state(h.doctor, h.patient).tokenId }, now);
        return;
      case 'staff-no-show':
        return this.staffNoShow(h.doctor, h.patient, now);
      case 'rebook':
        return this.rebook(h.doctor, h.patient, now);
      case 'check-in':
        this.checkIn(h.doctor, h.patient, now);
        return;
      case 'walk-in-again':
        return this.walkInAgain(h.doctor, h.patient, now);
      case 'doctor-free':
        return this.doctorFree(h.doctor, now);
      case 'answer-call':
        return this.answerCall(h.doctor, h.tokenId, now);
      case 'consult-done':
        return this.consultDone(h.doctor, h.tokenId, now);
    }
  }

  /** Reactions to what the engine did, whoever caused it. */
  react(doctor: number, events: readonly DoctorDayEvent[], now: Millis): void {
    for (const e of events) {
      if (e.type === 'DoctorDelayed') {
        const d = this.doctors[doctor]!;
        const day = this.sim.days[doctor]!;
        const resumes = e.window ? e.window.to : (day.slots.find((s) => s.end > now)?.start ?? now);
        d.onDutyFrom = Math.max(d.onDutyFrom, resumes);
        continue;
      }
      if (e.type !== 'TokenAllocated' && e.type !== 'TokenBumped' && e.type !== 'TokenExpired') continue;
      const patient = this.byToken[doctor]!.get(e.tokenId);
      if (patient === undefined) continue;
      const st = this.state(doctor, patient);
      if (!st.present || st.tokenId !== e.tokenId) continue;
      const status = this.token(doctor, st.tokenId)?.status;
      // A patient waiting in the hall goes to the desk as soon as the token has a seat again.
      if (status === 'ALLOCATED') this.sim.schedule(now, { kind: 'check-in', doctor, patient });
      // A booked patient whose wait ran out asks for a walk-in token instead; a walk-in already has one.
      if (status === 'EXPIRED' && this.planOf(doctor, patient).source !== 'WALKIN') this.sim.schedule(now, { kind: 'walk-in-again', doctor, patient });
    }
  }

  // ---------------------------------------------------------------- patients

  private book(doctor: number, patient: number, now: Millis): void {
    const plan = this.planOf(doctor, patient);
    const slots = this.sim.plan.doctors[doctor]!.slots;
    const st = this.state(doctor, patient);
    const command = issueTokenCommand(st.tokenId, plan.source, plan.patientId, plan.slotIndex === null ? undefined : { slotId: slots[plan.slotIndex]!.id, flexible: plan.flexible });
    const outcome = this.sim.exec(doctor, command, now);
    if (!outcome.ok) return; // e.g. NO_OPEN_SLOT: the patient goes elsewhere
    if (plan.source === 'WALKIN' || plan.source === 'EMERGENCY') {
      st.present = true;
      this.checkIn(doctor, patient, now);
      return;
    }
    const token = this.token(doctor, st.tokenId)!;
    const planned = this.slotStartFor(doctor, token, plan);
    st.plannedStart = planned;
    if (plan.fate === 'attend') this.sim.schedule(Math.max(now, planned + plan.arrivalOffset * MINUTE), { kind: 'arrive', doctor, patient });
    if (plan.fate === 'cancel') this.sim.schedule(Math.max(now, plan.cancelAt ?? now), { kind: 'cancel', doctor, patient });
    if (plan.fate === 'no-show' && plan.staffNoShowAfter !== null) {
      this.sim.schedule(Math.max(now, planned + plan.staffNoShowAfter * MINUTE), { kind: 'staff-no-show', doctor, patient });
    }
  }

  private arrive(doctor: number, patient: number, now: Millis): void {
    const plan = this.planOf(doctor, patient);
    const st = this.state(doctor, patient);
    const token = this.token(doctor, st.tokenId)!;
    const slotStart = this.seatStart(doctor, token);
    // Told by SMS that the token moved to a later slot, the patient comes for that one instead.
    if (slotStart !== null && st.plannedStart !== null && slotStart > st.plannedStart && !st.replanned) {
      st.replanned = true;
      st.plannedStart = slotStart;
      const later = slotStart + plan.arrivalOffset * MINUTE;
      if (later > now) {
        this.sim.schedule(later, { kind: 'arrive', doctor, patient });
        return;
      }
    }
    st.present = true;
    if (token.status === 'WAITLISTED') return; // waits in the hall for a seat
    const outcome = this.checkIn(doctor, patient, now);
    // Too late (marked no-show) or the waitlisted token expired: the desk issues a walk-in token.
    if (outcome && !outcome.ok && (token.status === 'NO_SHOW' || token.status === 'EXPIRED')) this.walkInAgain(doctor, patient, now);
  }

  private checkIn(doctor: number, patient: number, now: Millis): Outcome | null {
    const st = this.state(doctor, patient);
    const token = this.token(doctor, st.tokenId);
    if (!token || token.status === 'WAITLISTED' || token.status === 'CANCELLED') return null;
    if (token.status === 'CHECKED_IN' || token.status === 'CALLED' || token.status === 'COMPLETED') return null;
    const outcome = this.sim.exec(doctor, { type: 'checkIn', tokenId: st.tokenId }, now);
    if (outcome.ok) this.wake(doctor, now, token.source === 'EMERGENCY');
    return outcome;
  }

  private walkInAgain(doctor: number, patient: number, now: Millis): void {
    const st = this.state(doctor, patient);
    // Once every slot of the day has ended there is nothing left to issue a token for.
    if (st.reissued || !this.sim.days[doctor]!.slots.some((s) => s.end > now)) return;
    st.reissued = true;
    const plan = this.planOf(doctor, patient);
    const tokenId = tokenIdOf(this.sim.plan.doctors[doctor]!.doctor.code, plan.n, 'w');
    const outcome = this.sim.exec(doctor, issueTokenCommand(tokenId, 'WALKIN', plan.patientId), now);
    if (!outcome.ok) return;
    this.byToken[doctor]!.set(tokenId, patient);
    st.tokenId = tokenId;
    st.present = true;
    this.checkIn(doctor, patient, now);
  }

  private staffNoShow(doctor: number, patient: number, now: Millis): void {
    const plan = this.planOf(doctor, patient);
    const st = this.state(doctor, patient);
    const token = this.token(doctor, st.tokenId)!;
    if (token.status !== 'ALLOCATED') return; // waiting tokens expire on their own
    const slotStart = this.seatStart(doctor, token)!;
    if (st.plannedStart !== null && slotStart > st.plannedStart) {
      st.plannedStart = slotStart;
      this.sim.schedule(Math.max(now, slotStart + (plan.staffNoShowAfter ?? 0) * MINUTE), { kind: 'staff-no-show', doctor, patient });
      return;
    }
    this.sim.exec(doctor, { type: 'noShow', tokenId: st.tokenId }, now);
  }

  private rebook(doctor: number, patient: number, now: Millis): void {
    const plan = this.planOf(doctor, patient);
    const st = this.state(doctor, patient);
    const status = this.token(doctor, st.tokenId)?.status;
    if (status === undefined || !['WAITLISTED', 'ALLOCATED', 'CHECKED_IN', 'CALLED'].includes(status)) return;
    const code = this.sim.plan.doctors[doctor]!.doctor.code;
    const tokenId = tokenIdOf(code, plan.n, 'r');
    const outcome = this.sim.exec(doctor, issueTokenCommand(tokenId, plan.source, plan.patientId), now);
    if (outcome.ok) {
      this.sim.anomaly(`${code}: a second live token ${tokenId} was issued to patient ${plan.patientId} (expected DUPLICATE_TOKEN)`);
      this.sim.exec(doctor, { type: 'cancel', tokenId }, now);
    }
  }

  // ---------------------------------------------------------------- doctors

  /** A check-in wakes a doctor who found the hall empty; an emergency also ends a break. */
  private wake(doctor: number, now: Millis, emergency: boolean): void {
    const d = this.doctors[doctor]!;
    if (!this.sim.plan.doctors[doctor]!.callsWhenFree) return;
    if (d.idle || (emergency && d.onBreakUntil !== null)) {
      d.idle = false;
      this.sim.schedule(Math.max(now, d.onDutyFrom), { kind: 'doctor-free', doctor });
    }
  }

  private doctorFree(doctor: number, now: Millis): void {
    const d = this.doctors[doctor]!;
    if (d.busy) return;
    if (now < d.onDutyFrom) {
      this.sim.schedule(d.onDutyFrom, { kind: 'doctor-free', doctor });
      return;
    }
    const resume = this.breakUntil(doctor, now);
    if (resume !== null) {
      if (d.onBreakUntil !== resume) this.sim.schedule(resume, { kind: 'doctor-free', doctor });
      d.onBreakUntil = resume;
      return;
    }
    d.onBreakUntil = null;
    const outcome = this.sim.exec(doctor, { type: 'callNext' }, now);
    if (!outcome.ok || outcome.tokenId === undefined) {
      d.idle = true;
      return;
    }
    d.busy = true;
    d.idle = false;
    const patient = this.byToken[doctor]!.get(outcome.tokenId);
    const plan = patient === undefined ? undefined : this.planOf(doctor, patient);
    const st = patient === undefined ? undefined : this.state(doctor, patient);
    if (plan && st && plan.awayMinutes > 0 && st.awayUntil === null) st.awayUntil = now + plan.awayMinutes * MINUTE;
    const away = st?.awayUntil ?? null;
    if (away !== null && away > now) {
      this.sim.schedule(now + CALL_WAIT_MINUTES * MINUTE, { kind: 'answer-call', doctor, tokenId: outcome.tokenId });
    } else {
      this.sim.schedule(now + (plan?.consultMinutes ?? 8) * MINUTE, { kind: 'consult-done', doctor, tokenId: outcome.tokenId });
    }
  }

  /**
   * Between sessions (the lunch gap) the doctor finishes the patients of slots that have started and
   * then rests until the next session: a patient who checked in early for the afternoon waits for it,
   * but an emergency brings the doctor back at once.
   */
  private breakUntil(doctor: number, now: Millis): Millis | null {
    const slots = this.sim.days[doctor]!.slots;
    if (slots.some((s) => s.start <= now && now < s.end)) return null;
    const next = slots.find((s) => s.start > now);
    if (!next || !slots.some((s) => s.end <= now)) return null;
    if (slots.some((s) => (s.start <= now && s.serving.size > 0) || s.serving.first()?.source === 'EMERGENCY')) return null;
    return next.start;
  }

  private answerCall(doctor: number, tokenId: string, now: Millis): void {
    const patient = this.byToken[doctor]!.get(tokenId);
    const st = patient === undefined ? undefined : this.state(doctor, patient);
    if (st && st.awayUntil !== null && st.awayUntil <= now) {
      const minutes = this.planOf(doctor, patient!).consultMinutes;
      this.sim.schedule(now + minutes * MINUTE, { kind: 'consult-done', doctor, tokenId });
      return;
    }
    this.sim.exec(doctor, { type: 'skip', tokenId }, now);
    this.doctors[doctor]!.busy = false;
    this.sim.schedule(now, { kind: 'doctor-free', doctor });
  }

  private consultDone(doctor: number, tokenId: string, now: Millis): void {
    const d = this.doctors[doctor]!;
    this.sim.exec(doctor, { type: 'complete', tokenId }, now);
    d.busy = false;
    this.sim.schedule(now, { kind: 'doctor-free', doctor });
  }

  // ---------------------------------------------------------------- lookups

  private planOf(doctor: number, patient: number): PatientPlan {
    return this.sim.plan.doctors[doctor]!.patients[patient]!;
  }

  private state(doctor: number, patient: number): PatientState {
    return this.patients[doctor]![patient]!;
  }

  private token(doctor: number, tokenId: string): Token | undefined {
    return this.sim.days[doctor]!.tokens.get(tokenId);
  }

  /** Start of the slot the token is seated in, or null while it waits. */
  private seatStart(doctor: number, token: Token): Millis | null {
    if (token.status === 'WAITLISTED' || token.slotId === null) return null;
    return this.sim.days[doctor]!.slotById.get(token.slotId)?.start ?? null;
  }

  /** The slot a patient plans the visit around: the seat, else the slot asked for, else the first open one. */
  private slotStartFor(doctor: number, token: Token, plan: PatientPlan): Millis {
    const seat = this.seatStart(doctor, token);
    if (seat !== null) return seat;
    const day = this.sim.days[doctor]!;
    const asked = plan.slotIndex === null ? undefined : day.slotById.get(this.sim.plan.doctors[doctor]!.slots[plan.slotIndex]!.id);
    return asked?.start ?? day.slots.find((s) => s.end > token.issuedAt)?.start ?? token.issuedAt;
  }
}
