// A seeded OPD day: doctors, hourly slots and patients with everything random about them drawn up
// front (see plan.ts). The numbers below are the defaults of `opd simulate --doctors N --seed S`; each
// is overridable from the command line, and each says where it comes from.

import type { SlotSpec, Source } from '../engine/index.ts';
import { localToEpoch } from '../time/local-time.ts';
import type { DayPlan, DoctorPlan, DoctorSpec, Fate, PatientPlan } from './plan.ts';
import { doctorStreams, type Rng } from './rng.ts';

const MINUTE = 60_000;

export interface DayInputs {
  /** Hospital-local date of the day. A fixed date, so output never depends on the wall clock. */
  date: string;
  timeZone: string;
  /** Booking for the day opens and the simulation starts. */
  opensAt: string;
  /** Consulting sessions; each is cut into slots of `slotMinutes`. */
  sessions: { from: string; to: string }[];
  slotMinutes: number;
  /** Seats per slot. */
  capacity: number;
  /** Expected bookings per doctor per day (Poisson), by source. */
  onlinePerDay: number;
  followupsPerDay: number;
  paidPerDay: number;
  /** Bookings are made from `opensAt` until this time (and at least 30 min before their slot). */
  bookingsUntil: string;
  /** Each later slot is asked for this much less often than the one before (mornings are popular). */
  earlyPreference: number;
  /** Share of bookings that also accept any later slot that day. */
  flexibleRate: number;
  /** Walk-ins per doctor per hour (Poisson process) between `walkinsFrom` and `walkinsUntil`. */
  walkinsPerHour: number;
  walkinsFrom: string;
  walkinsUntil: string;
  /** Emergencies as a share of all tokens; they arrive during the sessions. */
  emergencyRate: number;
  /** Share of bookings cancelled before their slot. */
  cancelRate: number;
  /** Share of follow-up and paid bookings whose patient never comes. */
  noShowRate: number;
  /** Share of online bookings whose patient never comes (free online booking is often higher). */
  onlineNoShowRate: number;
  /** Share of those no-shows that staff mark during the slot; the rest the clock marks after the grace. */
  staffNoShowShare: number;
  /** Arrival relative to the slot start: normal(mean, sd) minutes, cut to [-45, +40]. */
  arrivalMeanMinutes: number;
  arrivalSdMinutes: number;
  /** Share of attending patients who come 45–120 min after their slot started. */
  lateArrivalRate: number;
  /** Consultation length: lognormal with this mean and shape σ, cut to [2, 45] minutes. */
  consultMeanMinutes: number;
  consultSigma: number;
  /** Share of patients not there when first called (back within 3–15 min). */
  stepAwayRate: number;
  /** Share of bookings where the patient tries to book the same doctor again. */
  duplicateRate: number;
  /** Doctors (chosen by the seed) running late, and by how many minutes (uniform). */
  lateDoctors: number;
  lateMinutesMin: number;
  lateMinutesMax: number;
}

/**
 * The defaults and where they come from.
 * - noShowRate 0.18: published no-show rates average about 23% across 105 studies (Dantas et al.,
 *   "No-shows in appointment scheduling – a systematic literature review", Health Policy 122(4):412–421,
 *   2018), from 13% (Oceania) to 43% (Africa); the brief for this tool puts the usual range at 15% to
 *   over 20%. 18% sits inside both.
 * - consultMeanMinutes 8, lognormal σ 0.5: primary-care consultations average from 48 s (Bangladesh) to
 *   22.5 min (Sweden) (Irving et al., BMJ Open 7:e017902, 2017); 8 min fits a specialist OPD planned at
 *   6 seats an hour. Lognormal is the usual right-skewed model of consultation times in the appointment
 *   scheduling literature (Cayirli & Veral, Production and Operations Management 12(4), 2003).
 * - arrival normal(−10, 12) min: patients mostly come early; offsets are commonly modelled as normal
 *   (Eftekhari et al., American Journal of Operational Research 2(2):1–10, 2012, which also fits other
 *   distributions).
 * - cancelRate 0.07, emergencyRate 0.02, one doctor 20–60 min late: the ranges given in the brief for this
 *   tool (5–10% cancellations, 1–3% emergencies), not measured figures.
 * - Slots 09:00–13:00 and 14:00–17:00, hourly, 6 seats; 20 online, 8 follow-up and 3 paid bookings and 2
 *   walk-ins an hour per doctor: an assumed busy OPD where demand (~47 tokens, ~40 after cancellations)
 *   meets 42 seats of which no-shows waste some, so that waitlists, bumps and promotions happen.
 *   Assumptions, not measurements.
 * - staffNoShowShare 0.5, flexibleRate 0.4, lateArrivalRate 0.03, stepAwayRate 0.03, duplicateRate 0.02,
 *   earlyPreference 0.1: assumptions that exercise every path of the engine; change them to taste.
 */
export const DEFAULT_DAY_INPUTS: Readonly<DayInputs> = Object.freeze({
  date: '2025-03-10',
  timeZone: 'Asia/Kolkata',
  opensAt: '07:00',
  sessions: [
    { from: '09:00', to: '13:00' },
    { from: '14:00', to: '17:00' },
  ],
  slotMinutes: 60,
  capacity: 6,
  onlinePerDay: 20,
  followupsPerDay: 8,
  paidPerDay: 3,
  bookingsUntil: '12:00',
  earlyPreference: 0.1,
  flexibleRate: 0.4,
  walkinsPerHour: 2,
  walkinsFrom: '08:30',
  walkinsUntil: '15:30',
  emergencyRate: 0.02,
  cancelRate: 0.07,
  noShowRate: 0.18,
  onlineNoShowRate: 0.18,
  staffNoShowShare: 0.5,
  arrivalMeanMinutes: -10,
  arrivalSdMinutes: 12,
  lateArrivalRate: 0.03,
  consultMeanMinutes: 8,
  consultSigma: 0.5,
  stepAwayRate: 0.03,
  duplicateRate: 0.02,
  lateDoctors: 1,
  lateMinutesMin: 20,
  lateMinutesMax: 60,
});

/** Short source notes for `opd simulate --help`. */
export const INPUT_SOURCES = `Where the balanced numbers (the default) come from:
  no-shows 18%      all bookings; published rates average ~23% (Dantas et al., Health Policy 2018: 105 studies,
                    13% Oceania to 43% Africa); usual range 15% to over 20%
  consultations     lognormal, mean 8 min, sigma 0.5 (lognormal: Cayirli & Veral, POM 2003; lengths
                    48 s to 22.5 min across 67 countries: Irving et al., BMJ Open 2017)
  arrivals          normal, 10 min early on average, sd 12 (Eftekhari et al., AJOR 2012); 3% very late
  cancellations 7%, emergencies 2%, one doctor 20-60 min late: ranges from the product brief
  slots, capacity, bookings, walk-ins: an assumed busy OPD (~47 tokens for 42 seats per doctor)`;

const DEPARTMENTS: readonly [string, string][] = [
  ['General Medicine', 'GM'],
  ['Orthopedics', 'OR'],
  ['Pediatrics', 'PD'],
  ['Cardiology', 'CD'],
  ['Dermatology', 'DM'],
  ['ENT', 'EN'],
  ['Gynaecology', 'GY'],
  ['Ophthalmology', 'OP'],
  ['Psychiatry', 'PS'],
  ['Neurology', 'NR'],
];
const FIRST_NAMES = [
  'Aarav', 'Aditi', 'Amit', 'Ananya', 'Anil', 'Arjun', 'Asha', 'Deepa', 'Divya', 'Farhan', 'Gita', 'Harish',
  'Imran', 'Isha', 'Kavya', 'Kiran', 'Lakshmi', 'Manoj', 'Meera', 'Mohan', 'Nandini', 'Neha', 'Nikhil', 'Pooja',
  'Priya', 'Rahul', 'Rajesh', 'Ravi', 'Rekha', 'Rohan', 'Sanjay', 'Sara', 'Shreya', 'Sunil', 'Suresh', 'Tanvi',
  'Uma', 'Varun', 'Vikram', 'Zoya',
];
const LAST_NAMES = [
  'Agarwal', 'Bhat', 'Chatterjee', 'Das', 'D\u2019Souza', 'Fernandes', 'Ghosh', 'Gupta', 'Iyer', 'Joshi', 'Kapoor',
  'Khan', 'Kulkarni', 'Menon', 'Mishra', 'Nair', 'Patel', 'Pillai', 'Rao', 'Reddy', 'Sharma', 'Singh', 'Verma',
];

/** Doctor `i` of a generated day: departments in turn; codes GM, OR, … then GMA, GMB, … (2–4 letters). */
export function doctorSpec(i: number): DoctorSpec {
  const [department, base] = DEPARTMENTS[i % DEPARTMENTS.length]!;
  const round = Math.floor(i / DEPARTMENTS.length);
  const code = base + letters(round);
  const first = FIRST_NAMES[(i * 7 + 3) % FIRST_NAMES.length]!;
  const last = LAST_NAMES[(i * 5 + 1) % LAST_NAMES.length]!;
  return { id: `dr-${code.toLowerCase()}`, code, name: `Dr. ${first} ${last}`, department };
}

/** 0 → '', 1 → 'A', 26 → 'Z', 27 → 'AA' … 702 → 'ZZ'. */
function letters(n: number): string {
  if (n === 0) return '';
  if (n <= 26) return String.fromCharCode(64 + n);
  const k = n - 27;
  if (k >= 26 * 26) throw new RangeError('too many doctors for 4-letter codes');
  return String.fromCharCode(65 + Math.floor(k / 26)) + String.fromCharCode(65 + (k % 26));
}

/** The most doctors that `doctorSpec` can name with codes of at most 4 letters. */
export const MAX_DOCTORS = DEPARTMENTS.length * (1 + 26 + 26 * 26);

/** A whole generated day. Doctor i's patients depend only on the seed and i. */
export function generateDay(inputs: DayInputs, seed: number, doctors: number): DayPlan {
  const at = (hhmm: string) => localToEpoch(inputs.date, hhmm, inputs.timeZone);
  const [dayRng, ...streams] = doctorStreams(seed, doctors + 1);
  const late = chooseLate(dayRng!, doctors, inputs.lateDoctors);
  const plans = streams.map((rng, i) => doctorDay(inputs, doctorSpec(i), rng, at));
  for (const i of late) {
    const plan = plans[i]!;
    const first = plan.slots[0];
    if (!first) continue;
    const minutes = dayRng!.int(inputs.lateMinutesMin, inputs.lateMinutesMax);
    plan.delay = { at: first.start - dayRng!.int(0, 20) * MINUTE, minutes };
  }
  return { scenario: 'generated', date: inputs.date, timeZone: inputs.timeZone, startAt: at(inputs.opensAt), doctors: plans };
}

function chooseLate(rng: Rng, doctors: number, count: number): number[] {
  const pool = Array.from({ length: doctors }, (_, i) => i);
  const chosen: number[] = [];
  for (let k = 0; k < Math.min(count, doctors); k++) {
    const j = rng.int(k, doctors - 1);
    [pool[k], pool[j]] = [pool[j]!, pool[k]!];
    chosen.push(pool[k]!);
  }
  return chosen.sort((a, b) => a - b);
}

function doctorDay(inputs: DayInputs, doctor: DoctorSpec, rng: Rng, at: (hhmm: string) => number): DoctorPlan {
  const slots: SlotSpec[] = [];
  for (const session of inputs.sessions) {
    for (let start = at(session.from); start + inputs.slotMinutes * MINUTE <= at(session.to); start += inputs.slotMinutes * MINUTE) {
      const id = `${doctor.code}-s${slots.length + 1}`;
      slots.push({ id, start, end: start + inputs.slotMinutes * MINUTE, capacity: inputs.capacity });
    }
  }
  const opens = at(inputs.opensAt);
  const weights = slots.map((_, i) => Math.pow(1 - inputs.earlyPreference, i));
  const drafts: Omit<PatientPlan, 'n'>[] = [];
  const name = () => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  const minuteIn = (from: number, to: number) => (to <= from ? from : from + rng.int(0, Math.floor((to - from) / MINUTE)) * MINUTE);
  const visit = (): Pick<PatientPlan, 'arrivalOffset' | 'consultMinutes' | 'awayMinutes'> => ({
    arrivalOffset: rng.chance(inputs.lateArrivalRate)
      ? rng.int(45, 120)
      : Math.round(Math.min(40, Math.max(-45, rng.normal(inputs.arrivalMeanMinutes, inputs.arrivalSdMinutes)))),
    consultMinutes: Math.round(Math.min(45, Math.max(2, rng.lognormal(inputs.consultMeanMinutes, inputs.consultSigma)))),
    awayMinutes: rng.chance(inputs.stepAwayRate) ? rng.int(3, 15) : 0,
  });

  const bookings: [Source, number][] = [
    ['ONLINE', inputs.onlinePerDay],
    ['FOLLOWUP', inputs.followupsPerDay],
    ['PAID', inputs.paidPerDay],
  ];
  for (const [source, mean] of bookings) {
    const count = rng.poisson(mean);
    for (let k = 0; k < count; k++) {
      const slotIndex = rng.weighted(weights);
      const slotStart = slots[slotIndex]!.start;
      const bookAt = minuteIn(opens, Math.min(slotStart - 30 * MINUTE, at(inputs.bookingsUntil)));
      const r = rng.float();
      const noShowRate = source === 'ONLINE' ? inputs.onlineNoShowRate : inputs.noShowRate;
      const fate: Fate = r < inputs.cancelRate ? 'cancel' : r < inputs.cancelRate + noShowRate ? 'no-show' : 'attend';
      drafts.push({
        source,
        name: name(),
        patientId: '',
        bookAt,
        slotIndex,
        flexible: rng.chance(inputs.flexibleRate),
        fate,
        cancelAt: fate === 'cancel' ? minuteIn(bookAt + MINUTE, slotStart - 10 * MINUTE) : null,
        staffNoShowAfter: fate === 'no-show' && rng.chance(inputs.staffNoShowShare) ? rng.int(30, 50) : null,
        ...visit(),
        rebookAt: rng.chance(inputs.duplicateRate) ? minuteIn(bookAt + MINUTE, slotStart - 5 * MINUTE) : null,
      });
    }
  }

  const walkinEnd = at(inputs.walkinsUntil);
  if (inputs.walkinsPerHour > 0) {
    // A Poisson process: exponential gaps between arrivals, in whole minutes.
    for (let t = at(inputs.walkinsFrom); ; ) {
      t += Math.round((-Math.log(1 - rng.float()) / inputs.walkinsPerHour) * 60) * MINUTE;
      if (t >= walkinEnd) break;
      drafts.push(walkIn('WALKIN', t, name(), visit()));
    }
  }

  const sessionHours = (walkinEnd - at(inputs.walkinsFrom)) / (60 * MINUTE);
  const expectedOthers = inputs.onlinePerDay + inputs.followupsPerDay + inputs.paidPerDay + inputs.walkinsPerHour * Math.max(0, sessionHours);
  const emergencies = rng.poisson((inputs.emergencyRate / Math.max(1e-9, 1 - inputs.emergencyRate)) * expectedOthers);
  const firstStart = slots[0]?.start ?? opens;
  const lastEnd = slots[slots.length - 1]?.end ?? opens;
  for (let k = 0; k < emergencies; k++) {
    drafts.push(walkIn('EMERGENCY', minuteIn(firstStart, lastEnd - 30 * MINUTE), name(), visit()));
  }

  // Numbered in booking order, so `GM-t1` is the first patient of the day to ask for a token.
  const ordered = drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.bookAt - b.d.bookAt || a.i - b.i);
  const patients = ordered.map(({ d }, k) => ({ ...d, n: k + 1, patientId: `${doctor.code}-P${k + 1}` }));
  return { doctor, slots, script: [], patients, delay: null, callsWhenFree: true };
}

function walkIn(source: Source, at: number, name: string, visit: Pick<PatientPlan, 'arrivalOffset' | 'consultMinutes' | 'awayMinutes'>): Omit<PatientPlan, 'n'> {
  return {
    source,
    name,
    patientId: '',
    bookAt: at,
    slotIndex: null,
    flexible: false,
    fate: 'attend',
    cancelAt: null,
    staffNoShowAfter: null,
    ...visit,
    arrivalOffset: 0,
    rebookAt: null,
  };
}
