// A small doctor-day played on the engine, whose report figures are worked out by hand in the tests
// (report.test.ts, the API's report suite, the what-if). Test kit only: no runtime code imports it.
//
// Dr GM, 5 Jan 2026 (times UTC), default policy (strict priority, one bump, grace 15 min):
//   slot s1 09:00–10:00, 2 seats; slot s2 10:00–11:00, 3 seats.
//   08:00 A online for s1 → s1.   08:05 B walk-in → s1 (s1 full).
//   08:10 C paid for s1 → bumps B (walk-in) to s2.   08:20 D online for s2, 08:25 F online for s2 (s2 full).
//   08:30 E walk-in → no seat: waits.   08:40 D cancels → E promoted into s2.
//   09:00 A checks in, 09:02 C; 09:05 call C (paid first), 09:20 done; 09:21 call A, 09:40 done.
//   10:00 B checks in, 10:04 E; 10:10 call B, 10:30 done; 10:31 call E, 11:20 done.
//   F never comes: a no-show when s2 ends + 15 min (the clock's tick at 11:20 marks it).

import { Desk, at } from '../engine/test-kit.ts';
import type { Command, DoctorDayEvent, Millis } from '../../../src/engine/index.ts';

export const SMALL_DAY_DATE = '2026-01-05';

/** The commands of the small day, each at its time (HH:MM, UTC). */
export const SMALL_DAY: [string, Command][] = [
  ['07:00', { type: 'createSlot', slot: { id: 's1', start: at('09:00'), end: at('10:00'), capacity: 2 } }],
  ['07:00', { type: 'createSlot', slot: { id: 's2', start: at('10:00'), end: at('11:00'), capacity: 3 } }],
  ['08:00', { type: 'issueToken', tokenId: 'A', source: 'ONLINE', patientKey: 'A', slotId: 's1' }],
  ['08:05', { type: 'issueToken', tokenId: 'B', source: 'WALKIN', patientKey: 'B' }],
  ['08:10', { type: 'issueToken', tokenId: 'C', source: 'PAID', patientKey: 'C', slotId: 's1' }],
  ['08:20', { type: 'issueToken', tokenId: 'D', source: 'ONLINE', patientKey: 'D', slotId: 's2' }],
  ['08:25', { type: 'issueToken', tokenId: 'F', source: 'ONLINE', patientKey: 'F', slotId: 's2' }],
  ['08:30', { type: 'issueToken', tokenId: 'E', source: 'WALKIN', patientKey: 'E' }],
  ['08:40', { type: 'cancel', tokenId: 'D' }],
  ['09:00', { type: 'checkIn', tokenId: 'A' }],
  ['09:02', { type: 'checkIn', tokenId: 'C' }],
  ['09:05', { type: 'callNext' }],
  ['09:20', { type: 'complete', tokenId: 'C' }],
  ['09:21', { type: 'callNext' }],
  ['09:40', { type: 'complete', tokenId: 'A' }],
  ['10:00', { type: 'checkIn', tokenId: 'B' }],
  ['10:04', { type: 'checkIn', tokenId: 'E' }],
  ['10:10', { type: 'callNext' }],
  ['10:30', { type: 'complete', tokenId: 'B' }],
  ['10:31', { type: 'callNext' }],
  ['11:20', { type: 'complete', tokenId: 'E' }],
  ['11:20', { type: 'tick' }],
];

/** The small day's event log, as the engine writes it. */
export function smallDayLog(): DoctorDayEvent[] {
  const desk = new Desk();
  for (const [time, command] of SMALL_DAY) desk.ok(command, time);
  return desk.log;
}

export { at };
export type { Millis };
