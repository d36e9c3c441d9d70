// The classic day of the assignment, scripted minute by minute so that every rule shows once:
// 09:00 online tokens fill the 09:00 slots; 09:10 more are waitlisted; 09:15 a paid token bumps an
// online one at General Medicine; 09:25 an emergency takes the overflow seat at Orthopedics; 09:40 a
// cancellation at General Medicine promotes the best waiting token; 09:50 a no-show at Pediatrics does
// the same. The cancel and the no-show are at doctors without an emergency in that slot: the emergency
// holds the +1 overflow seat, so a seat freed beside it would leave occupied == capacity and promote
// nobody (engine note). Check-ins, calls and completions make the final table meaningful.

import type { Command, Source } from '../engine/index.ts';
import { DEFAULT_TIME_ZONE, localToEpoch } from '../time/local-time.ts';
import { issueTokenCommand, type DayPlan, type DoctorPlan, type DoctorSpec, type ScriptStep } from './plan.ts';

export const ASSIGNMENT_DAY_DATE = '2025-03-10';

const DOCTORS: DoctorSpec[] = [
  { id: 'dr-gm', code: 'GM', name: 'Dr. Meera Iyer', department: 'General Medicine' },
  { id: 'dr-or', code: 'OR', name: 'Dr. Arjun Menon', department: 'Orthopedics' },
  { id: 'dr-pd', code: 'PD', name: 'Dr. Kavya Rao', department: 'Pediatrics' },
];

const SLOT_TIMES = [
  ['09:00', '10:00'],
  ['10:00', '11:00'],
  ['11:00', '12:00'],
] as const;
const CAPACITY = 2;

type Step = [time: string, command: Command];

// The engine knows a patient only by an opaque key (SPEC 12): in this scripted day a patient is known
// by name (each name is one person), and the report prints the key as the name.
const issue = (code: string, n: number, source: Source, name: string, slot?: number): Command =>
  issueTokenCommand(`${code}-t${n}`, source, name, slot === undefined ? undefined : { slotId: `${code}-s${slot}` });
const on = (type: 'checkIn' | 'complete' | 'cancel' | 'noShow', code: string, n: number): Command => ({ type, tokenId: `${code}-t${n}` });
const callNext: Command = { type: 'callNext' };

/** Token numbers follow issue order: GM-t5 is GM-005 and so on, which the comments rely on. */
const SCRIPTS: Record<string, Step[]> = {
  GM: [
    ['09:00', issue('GM', 1, 'ONLINE', 'Asha Verma', 1)],
    ['09:00', issue('GM', 2, 'ONLINE', 'Ravi Kumar', 1)],
    ['09:03', on('checkIn', 'GM', 1)],
    ['09:04', callNext],
    ['09:10', issue('GM', 3, 'ONLINE', 'Neha Joshi', 1)], // 09:00 is full: waitlisted, tied to it
    ['09:10', issue('GM', 4, 'ONLINE', 'Farhan Khan', 1)],
    ['09:15', issue('GM', 5, 'PAID', 'Vikram Singh', 1)], // bumps GM-002, the last-booked online token
    ['09:18', on('complete', 'GM', 1)],
    ['09:30', issue('GM', 6, 'FOLLOWUP', 'Lakshmi Nair', 3)],
    ['09:40', on('cancel', 'GM', 5)], // frees a seat in 09:00: GM-003 is promoted
    ['09:41', on('checkIn', 'GM', 3)],
    ['09:42', callNext],
    ['09:55', on('complete', 'GM', 3)],
    ['10:02', on('checkIn', 'GM', 2)],
    ['10:03', callNext],
    ['10:14', on('complete', 'GM', 2)],
    ['10:50', on('checkIn', 'GM', 6)],
    ['11:00', callNext],
    ['11:12', on('complete', 'GM', 6)],
  ],
  OR: [
    ['09:00', issue('OR', 1, 'ONLINE', 'Sunil Reddy', 1)],
    ['09:00', issue('OR', 2, 'ONLINE', 'Pooja Ghosh', 1)],
    ['09:00', issue('OR', 3, 'ONLINE', 'Manoj Pillai', 2)],
    ['09:02', on('checkIn', 'OR', 1)],
    ['09:03', callNext],
    ['09:12', on('checkIn', 'OR', 2)],
    ['09:17', on('complete', 'OR', 1)],
    ['09:17', callNext],
    ['09:20', on('checkIn', 'OR', 3)], // early for 10:00
    ['09:25', issue('OR', 4, 'EMERGENCY', 'Imran Sheikh')], // 09:00 is full: the overflow seat
    ['09:25', on('checkIn', 'OR', 4)],
    ['09:31', on('complete', 'OR', 2)],
    ['09:31', callNext], // the emergency, ahead of OR-003
    ['09:50', on('complete', 'OR', 4)],
    ['09:50', callNext],
    ['10:02', on('complete', 'OR', 3)],
  ],
  PD: [
    ['09:00', issue('PD', 1, 'ONLINE', 'Tanvi Das', 1)],
    ['09:00', issue('PD', 2, 'ONLINE', 'Rohan Mishra', 1)],
    ['09:06', on('checkIn', 'PD', 1)],
    ['09:07', callNext],
    ['09:10', issue('PD', 3, 'ONLINE', 'Zoya Fernandes', 1)], // waitlisted, tied to 09:00
    ['09:22', on('complete', 'PD', 1)],
    ['09:30', issue('PD', 4, 'FOLLOWUP', 'Aditi Kulkarni', 2)],
    ['09:50', on('noShow', 'PD', 2)], // staff mark PD-002 absent: PD-003 is promoted
    ['09:51', on('checkIn', 'PD', 3)],
    ['09:52', callNext],
    ['09:56', issue('PD', 5, 'WALKIN', 'Kiran Bhat')], // 09:00 is full again: 10:00
    ['09:56', on('checkIn', 'PD', 5)],
    ['10:01', on('checkIn', 'PD', 4)],
    ['10:04', on('complete', 'PD', 3)],
    ['10:04', callNext], // the follow-up goes before the walk-in who came earlier
    ['10:16', on('complete', 'PD', 4)],
    ['10:16', callNext],
    ['10:24', on('complete', 'PD', 5)],
  ],
};

/** The scripted day on `date` (default 10 March 2025) in `timeZone`. */
export function assignmentDay(date: string = ASSIGNMENT_DAY_DATE, timeZone: string = DEFAULT_TIME_ZONE): DayPlan {
  const at = (hhmm: string) => localToEpoch(date, hhmm, timeZone);
  const doctors: DoctorPlan[] = DOCTORS.map((doctor) => ({
    doctor,
    slots: SLOT_TIMES.map(([from, to], i) => ({ id: `${doctor.code}-s${i + 1}`, start: at(from), end: at(to), capacity: CAPACITY })),
    script: SCRIPTS[doctor.code]!.map(([time, command]): ScriptStep => ({ at: at(time), command })),
    patients: [],
    delay: null,
    callsWhenFree: false,
  }));
  return { scenario: 'assignment-day', date, timeZone, startAt: at('08:00'), doctors };
}
