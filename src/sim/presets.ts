// Named settings for a generated day (`opd simulate --preset NAME`): what a day looks like in a
// government OPD, in a private clinic, and the balanced day the simulator always had. Each number
// says where it comes from; most are stated assumptions, and the flags of `opd simulate` override any
// of them.

import { DEFAULT_DAY_INPUTS, INPUT_SOURCES, type DayInputs } from './generated-day.ts';

export const PRESET_NAMES = ['balanced', 'government-opd', 'private-clinic'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  name: PresetName;
  /** One line for people choosing a preset. */
  summary: string;
  inputs: Readonly<DayInputs>;
  /** Where the numbers come from, for `--help` and the docs. */
  sources: string;
}

/**
 * A government hospital OPD in India: most patients walk in and queue from before the OPD opens; a
 * doctor sees 8–12 patients an hour; free online bookings are often not kept.
 */
const GOVERNMENT_OPD: Readonly<DayInputs> = Object.freeze({
  ...DEFAULT_DAY_INPUTS,
  opensAt: '07:00',
  sessions: [{ from: '08:00', to: '14:00' }],
  slotMinutes: 60,
  capacity: 10,
  onlinePerDay: 8,
  followupsPerDay: 6,
  paidPerDay: 0,
  bookingsUntil: '11:00',
  flexibleRate: 0.3,
  walkinsPerHour: 9,
  walkinsFrom: '07:30',
  walkinsUntil: '12:30',
  emergencyRate: 0.01,
  cancelRate: 0.03,
  noShowRate: 0.15,
  onlineNoShowRate: 0.3,
  staffNoShowShare: 0.3,
  lateArrivalRate: 0.05,
  consultMeanMinutes: 5,
  stepAwayRate: 0.05,
  lateDoctors: 1,
  lateMinutesMin: 15,
  lateMinutesMax: 45,
});

/** A private clinic: booked appointments, a few walk-ins, longer consultations, a morning and an evening session. */
const PRIVATE_CLINIC: Readonly<DayInputs> = Object.freeze({
  ...DEFAULT_DAY_INPUTS,
  opensAt: '07:00',
  sessions: [
    { from: '10:00', to: '13:00' },
    { from: '17:00', to: '21:00' },
  ],
  slotMinutes: 60,
  capacity: 4,
  onlinePerDay: 12,
  followupsPerDay: 6,
  paidPerDay: 6,
  bookingsUntil: '16:00',
  flexibleRate: 0.5,
  walkinsPerHour: 0.5,
  walkinsFrom: '09:30',
  walkinsUntil: '20:00',
  emergencyRate: 0.01,
  cancelRate: 0.08,
  noShowRate: 0.1,
  onlineNoShowRate: 0.12,
  staffNoShowShare: 0.5,
  consultMeanMinutes: 12,
  lateDoctors: 1,
  lateMinutesMin: 15,
  lateMinutesMax: 45,
});

export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.freeze({
  balanced: {
    name: 'balanced',
    summary: 'the default: an assumed busy OPD where bookings and walk-ins meet about as many seats',
    inputs: DEFAULT_DAY_INPUTS,
    sources: INPUT_SOURCES,
  },
  'government-opd': {
    name: 'government-opd',
    summary: 'a government hospital OPD: mostly walk-ins, 8-12 patients an hour per doctor, one morning session',
    inputs: GOVERNMENT_OPD,
    sources: `Where the government-opd numbers come from:
  08:00-14:00, walk-ins 07:30-12:30   a single morning OPD with registration closing before it ends: the
                    usual pattern of state government hospitals in India (an assumption; set your own hours)
  10 seats an hour, consultations ~5 min   8-12 patients an hour per doctor (the product brief); primary-care
                    consultations in India average about 2 min (Irving et al., BMJ Open 2017), a specialist
                    OPD allows more
  walk-ins 9 an hour, 8 online and 6 follow-up bookings, no paid   most patients walk in (~75% of tokens):
                    an assumption from the product brief, not a measured mix
  no-shows: online 30%, follow-ups 15%   Indian OPDs report 15-30%, government hospitals at the high end
                    (an industry survey, not peer reviewed); free online booking costs nothing to skip
  cancellations 3%, emergencies 1%, one doctor 15-45 min late   assumptions: patients rarely cancel a
                    free booking, and emergencies mostly go to casualty, not the OPD`,
  },
  'private-clinic': {
    name: 'private-clinic',
    summary: 'a private clinic: booked appointments, few walk-ins, 15-minute appointments, morning and evening',
    inputs: PRIVATE_CLINIC,
    sources: `Where the private-clinic numbers come from:
  10:00-13:00 and 17:00-21:00   morning and evening sessions, the common pattern of private practice in
                    India (an assumption; set your own hours)
  4 seats an hour, consultations ~12 min   15-minute appointments; 12 min sits between the 8 min of a
                    busy OPD and the 22.5 min of the longest primary-care visits (Irving et al., BMJ Open 2017)
  12 online, 6 follow-up and 6 paid bookings, a walk-in every 2 hours   mostly booked (an assumption)
  no-shows: online 12%, others 10%   below the ~23% average of 105 studies (Dantas et al., Health Policy
                    2018), as patients who pay and get reminders come more often (an assumption)
  cancellations 8%, emergencies 1%, one doctor 15-45 min late   assumptions`,
  },
});

/** A fresh, editable copy of a preset's inputs. */
export function presetInputs(name: PresetName): DayInputs {
  const inputs = PRESETS[name].inputs;
  return { ...inputs, sessions: inputs.sessions.map((s) => ({ ...s })) };
}
