// A whole hospital day for the throughput benchmark: many doctor-days, each with a realistic day of
// slots, bookings, walk-ins, arrivals, consultations, delays and the clock ticking every minute.
//
// The stream is planned once by playing the day against the engine (a patient can only check in if
// the engine seated them, the doctor calls only when someone is waiting), and recorded as commands.
// The engine is deterministic, so replaying the recorded commands on fresh doctor-days does exactly
// the same work: the timed runs replay, and only their execute() calls are timed.

import { DEFAULT_POLICY, execute, openDoctorDay, type Command, type DoctorDay, type Millis, type SlotSpec, type Source } from '../src/engine/index.ts';
import { DATE, localTime, MINUTE, type Step } from './clock.ts';
import { Rng } from './rng.ts';

export interface DoctorSetup {
  init: { doctorId: string; date: string; code: string };
  slots: SlotSpec[];
}

export interface HospitalDay {
  doctors: DoctorSetup[];
  /** Every doctor's commands, interleaved minute by minute as the desk would send them. */
  steps: Step[];
  /** Events the planning run produced: every replay must produce the same number. */
  events: number;
  /** Refused commands by failure code (duplicates, empty queues …): part of a real day. */
  refusals: Map<string, number>;
}

const SECOND = 1_000;
const DAY_STARTS = localTime(7, 0);
const DAY_ENDS = localTime(20, 0);

/** A doctor-day with its slots created (setup, not timed). */
export function openDays(doctors: readonly DoctorSetup[]): DoctorDay[] {
  return doctors.map((d) => {
    const day = openDoctorDay(d.init);
    for (const slot of d.slots) {
      const out = execute(day, { type: 'createSlot', slot: { ...slot } }, { now: DAY_STARTS - MINUTE, policy: DEFAULT_POLICY });
      if (!out.ok) throw new Error(`bench setup: ${out.code} ${out.message}`);
    }
    return day;
  });
}

/** 2–4 capital letters, different for each doctor. */
/** The engine knows a patient by an opaque key (the service's keyed hash); the bench uses the id, else the phone. */
function patientKeyOf(p: { id?: string; phone?: string }): { patientKey?: string } {
  if (p.id !== undefined) return { patientKey: `id:${p.id}` };
  return p.phone === undefined ? {} : { patientKey: `phone:${p.phone}` };
}

function doctorCode(i: number): string {
  let code = '';
  let n = i;
  for (let k = 0; k < 3; k++) {
    code = String.fromCharCode(65 + (n % 26)) + code;
    n = Math.floor(n / 26);
  }
  return code;
}

function doctorSetup(i: number, rng: Rng): DoctorSetup {
  const firstHour = rng.weighted([
    [8, 1],
    [9, 3],
    [10, 1],
  ] as const);
  const slots: SlotSpec[] = [];
  // Four hourly slots, an hour's lunch, four more: a full OPD day.
  for (const hour of [0, 1, 2, 3, 5, 6, 7, 8]) {
    slots.push({
      id: `D${i}-S${hour}`,
      start: localTime(firstHour + hour),
      end: localTime(firstHour + hour + 1),
      capacity: rng.int(6, 8),
    });
  }
  return { init: { doctorId: `doctor-${i}`, date: DATE, code: doctorCode(i) }, slots };
}

interface Request {
  at: Millis;
  source: Source;
  slotId: string | null;
  flexible: boolean;
  patient: { name: string; id?: string; phone?: string };
}

function requests(i: number, setup: DoctorSetup, rng: Rng): Request[] {
  const slots = setup.slots;
  const first = slots[0]!.start;
  const lastStart = slots[slots.length - 1]!.start;
  const lastEnd = slots[slots.length - 1]!.end;
  const seats = slots.reduce((n, s) => n + s.capacity, 0);
  const demand = Math.round((seats * rng.int(95, 125)) / 100);
  const between = (from: Millis, to: Millis) => from + rng.int(0, Math.max(0, Math.floor((to - from) / SECOND))) * SECOND;
  const out: Request[] = [];
  for (let k = 0; k < demand; k++) {
    const source = rng.weighted<Source>([
      ['WALKIN', 42],
      ['ONLINE', 30],
      ['FOLLOWUP', 15],
      ['PAID', 10],
      ['EMERGENCY', 3],
    ]);
    let request: Omit<Request, 'patient'>;
    switch (source) {
      case 'ONLINE': // booked on the web before the desk opens, for a chosen slot
        request = { at: between(DAY_STARTS, first - 10 * MINUTE), source, slotId: rng.pick(slots).id, flexible: rng.chance(0.5) };
        break;
      case 'FOLLOWUP': // booked at the last visit for a chosen slot
        request = { at: between(DAY_STARTS, first - 10 * MINUTE), source, slotId: rng.pick(slots).id, flexible: rng.chance(0.3) };
        break;
      case 'PAID': {
        const at = between(first - 60 * MINUTE, lastStart);
        const upcoming = slots.find((s) => s.end > at + 5 * MINUTE)!;
        request = rng.chance(0.5) ? { at, source, slotId: upcoming.id, flexible: true } : { at, source, slotId: null, flexible: false };
        break;
      }
      case 'WALKIN':
        request = { at: between(first - 60 * MINUTE, lastStart - 30 * MINUTE), source, slotId: null, flexible: false };
        break;
      case 'EMERGENCY':
        request = { at: between(first, lastEnd - 30 * MINUTE), source, slotId: null, flexible: false };
        break;
    }
    // Now and then the desk issues a second token to someone who already holds one.
    const who = k > 0 && rng.chance(0.015) ? rng.int(0, k - 1) : k;
    const patient = rng.chance(0.5) ? { name: `Patient ${i}-${who}`, id: `P${i}-${who}` } : { name: `Patient ${i}-${who}`, phone: `9${String(i * 1000 + who).padStart(9, '0')}` };
    out.push({ ...request, patient });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** One doctor-day being played minute by minute: its patients, its desk and its doctor. */
class DoctorPlanner {
  private readonly agenda: { at: Millis; act: () => void }[][] = [];
  private readonly lastEnd: Millis;
  private calledId: string | null = null;
  private doneAt: Millis = 0;
  private seenFrom: Millis;
  private tokenSeq = 0;
  /** The time of the act being played. */
  private now: Millis = DAY_STARTS;

  constructor(
    private readonly index: number,
    private readonly setup: DoctorSetup,
    private readonly day: DoctorDay,
    private readonly rng: Rng,
    private readonly record: (step: Step) => { ok: boolean; tokenId?: string },
  ) {
    const slots = setup.slots;
    this.lastEnd = slots[slots.length - 1]!.end;
    this.seenFrom = slots[0]!.start;
    for (const r of requests(index, setup, rng)) this.at(r.at, () => this.issue(r));
    if (rng.chance(0.1)) {
      // The doctor phones in late: the desk records it before the first slot starts.
      const minutes = 5 * rng.int(3, 9);
      this.seenFrom += minutes * MINUTE;
      this.at(slots[0]!.start - rng.int(5, 20) * MINUTE, () => this.send({ type: 'delayDoctor', minutes }));
    }
    if (rng.chance(0.05)) {
      // An afternoon slot gains or loses a couple of seats around noon.
      const slot = rng.pick(slots.slice(5));
      const capacity = Math.max(2, slot.capacity + (rng.chance(0.5) ? 2 : -2));
      this.at(localTime(11, 30) + rng.int(0, 30) * MINUTE, () => this.send({ type: 'changeCapacity', slotId: slot.id, capacity }));
    }
    // The doctor looks up from the desk every minute of the working day.
    for (let t = this.seenFrom; t < this.lastEnd + 45 * MINUTE; t += MINUTE) this.at(t + 30 * SECOND, () => this.consult());
  }

  private at(at: Millis, act: () => void): void {
    const minute = Math.floor((at - DAY_STARTS) / MINUTE);
    if (minute < 0 || at >= DAY_ENDS) return;
    (this.agenda[minute] ??= []).push({ at, act });
  }

  private send(command: Command, now = this.now): { ok: boolean; tokenId?: string } {
    return this.record({ day: this.index, now, command });
  }

  /** Plays one minute: the clock's tick, then everything due in that minute, in time order. */
  playMinute(minute: number): void {
    const start = DAY_STARTS + minute * MINUTE;
    // The service ticks every doctor-day that still has open slots (and until the last no-shows are due).
    if (start < this.lastEnd + (DEFAULT_POLICY.noShowGraceMinutes + 1) * MINUTE) {
      this.now = start;
      this.send({ type: 'tick' });
    }
    const due = this.agenda[minute];
    if (!due) return;
    // Acts may schedule more acts in this same minute, so take the earliest each time.
    while (due.length > 0) {
      let k = 0;
      for (let j = 1; j < due.length; j++) if (due[j]!.at < due[k]!.at) k = j;
      const [next] = due.splice(k, 1);
      this.now = Math.max(this.now, next!.at);
      next!.act();
    }
  }

  private issue(r: Request): void {
    const tokenId = `D${this.index}-T${this.tokenSeq++}`;
    const out = this.send({
      type: 'issueToken',
      tokenId,
      source: r.source,
      ...patientKeyOf(r.patient),
      ...(r.slotId === null ? {} : { slotId: r.slotId, flexible: r.flexible }),
    });
    if (!out.ok) return;
    const fate = this.rng.weighted([
      ['attend', 86],
      ['absent', 8],
      ['cancel', 6],
    ] as const);
    if (fate === 'cancel') {
      this.at(this.now + this.rng.int(10, 120) * MINUTE + this.rng.int(1, 59) * SECOND, () => {
        const status = this.day.tokens.get(tokenId)!.status;
        if (status === 'WAITLISTED' || status === 'ALLOCATED') this.send({ type: 'cancel', tokenId });
      });
    } else if (fate === 'attend') {
      const token = this.day.tokens.get(tokenId)!;
      const slotId = token.slotId ?? token.tie.slotId;
      const slotStart = slotId === null ? this.now : this.day.slotById.get(slotId)!.start;
      const arrival = Math.max(this.now + MINUTE, slotStart + this.rng.int(-30, 20) * MINUTE) + this.rng.int(1, 59) * SECOND;
      this.at(arrival, () => this.arrive(tokenId));
    }
  }

  /** The patient reaches the desk: checked in if seated; if still waiting, asks again in a while. */
  private arrive(tokenId: string): void {
    const status = this.day.tokens.get(tokenId)!.status;
    if (status === 'ALLOCATED') this.send({ type: 'checkIn', tokenId });
    else if (status === 'WAITLISTED' && this.now < this.lastEnd) this.at(this.now + 10 * MINUTE, () => this.arrive(tokenId));
  }

  /** The doctor finishes the patient in the room (mostly seen; sometimes absent), then calls the next. */
  private consult(): void {
    if (this.calledId !== null) {
      if (this.now < this.doneAt) return;
      const tokenId = this.calledId;
      this.calledId = null;
      const ending = this.rng.weighted([
        ['complete', 94.5],
        ['skip', 4],
        ['noShow', 1.5],
      ] as const);
      this.send({ type: ending, tokenId });
    }
    if (!this.day.slots.some((s) => s.serving.size > 0)) return;
    const out = this.send({ type: 'callNext' }, this.now + SECOND);
    if (out.ok && out.tokenId !== undefined) {
      this.calledId = out.tokenId;
      this.doneAt = this.now + this.rng.int(4, 9) * MINUTE;
    }
  }
}

/** Plans the hospital day: `doctors` doctor-days, their commands recorded in the order they are sent. */
export function planHospitalDay(doctorCount: number, seed: number): HospitalDay {
  const doctors: DoctorSetup[] = [];
  const rngs: Rng[] = [];
  for (let i = 0; i < doctorCount; i++) {
    const rng = new Rng(seed * 100_003 + i);
    rngs.push(rng);
    doctors.push(doctorSetup(i, rng));
  }
  const days = openDays(doctors);
  const steps: Step[] = [];
  const refusals = new Map<string, number>();
  let events = 0;
  const record = (step: Step) => {
    steps.push(step);
    const out = execute(days[step.day]!, step.command, { now: step.now, policy: DEFAULT_POLICY });
    events += out.events.length;
    if (!out.ok) refusals.set(out.code, (refusals.get(out.code) ?? 0) + 1);
    return out.ok ? { ok: true, ...(out.tokenId === undefined ? {} : { tokenId: out.tokenId }) } : { ok: false };
  };
  const planners = doctors.map((d, i) => new DoctorPlanner(i, d, days[i]!, rngs[i]!, record));
  const minutes = (DAY_ENDS - DAY_STARTS) / MINUTE;
  for (let m = 0; m < minutes; m++) for (const p of planners) p.playMinute(m);
  return { doctors, steps, events, refusals };
}
