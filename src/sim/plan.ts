// What a simulated day is made of, before it runs: doctors, their slots, scripted desk commands and
// the patients with everything random about them already drawn. A plan holds no policy, so one plan
// can be run under several policies (`--compare`) and differ only by the policy.

import type { Command, Millis, SlotSpec, Source } from '../engine/index.ts';

export interface DoctorSpec {
  id: string;
  /** 2–4 capital letters, used in token numbers (SPEC 1). */
  code: string;
  name: string;
  department: string;
}

/** A desk command at a fixed time (the scripted scenario, and slot creation in every plan). */
export interface ScriptStep {
  at: Millis;
  command: Command;
}

export type Fate = 'attend' | 'cancel' | 'no-show';

/** One patient of a generated day. Times are epoch ms; minutes are whole minutes. */
export interface PatientPlan {
  /** 1-based; the token id is `<code>-t<n>`. */
  n: number;
  source: Source;
  name: string;
  patientId: string;
  /** When the token is requested. Walk-ins and emergencies are at the desk from then on. */
  bookAt: Millis;
  /** Index into the doctor's slots of the requested slot; null: the earliest open one. */
  slotIndex: number | null;
  flexible: boolean;
  fate: Fate;
  /** fate 'cancel': when the patient cancels. */
  cancelAt: Millis | null;
  /** fate 'no-show': staff mark it this many minutes after the slot starts (null: the clock does, after the grace). */
  staffNoShowAfter: number | null;
  /** fate 'attend': arrival relative to the start of the patient's slot (negative = early). */
  arrivalOffset: number;
  consultMinutes: number;
  /** Minutes the patient has stepped away when first called (0: there). */
  awayMinutes: number;
  /** A second booking attempt by the same patient (the engine must refuse it as DUPLICATE_TOKEN). */
  rebookAt: Millis | null;
}

export interface DoctorPlan {
  doctor: DoctorSpec;
  /** Created at the plan's start, in this order (patients name them by index). */
  slots: SlotSpec[];
  script: ScriptStep[];
  patients: PatientPlan[];
  /** The doctor running late: reported at `at`, by `minutes`. */
  delay: { at: Millis; minutes: number } | null;
  /** true: the doctor calls the next patient when free (generated day); false: calls are scripted. */
  callsWhenFree: boolean;
}

export interface DayPlan {
  scenario: 'assignment-day' | 'generated';
  date: string;
  timeZone: string;
  /** The simulation starts (and the first tick happens) here. */
  startAt: Millis;
  doctors: DoctorPlan[];
}

export const tokenIdOf = (code: string, n: number, suffix = ''): string => `${code}-t${n}${suffix}`;

/**
 * Every IssueToken command the simulator sends is built here (the scripted day and the generated
 * day alike), so that a change to what a token carries about its patient is made in one place.
 */
export function issueTokenCommand(tokenId: string, source: Source, patientKey: string, slot?: { slotId: string; flexible?: boolean }): Command {
  // The engine knows a patient only by an opaque key (its duplicate check); the simulator's patients
  // are their own keys (a generated patient's id; a scripted day's name, one name one person).
  return {
    type: 'issueToken',
    tokenId,
    source,
    patientKey,
    ...(slot === undefined ? {} : slot.flexible === undefined ? { slotId: slot.slotId } : { slotId: slot.slotId, flexible: slot.flexible }),
  };
}
