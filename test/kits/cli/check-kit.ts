// For the tests of `opd check`: a doctor-day that has been through most of what a day brings
// (waitlist, a bump, check-ins, a call, a skip, a completion, a cancellation that promotes, a
// capacity change, a doctor's delay), so that every column of the slots and tokens rows has a value
// other than its first one; and `opd …` run in-process with what it prints captured.

import type { Doctor, IssuedToken, TokenDesk } from '../../../src/service/types.ts';
import { main } from '../../../src/cli/main.ts';
import { AS_DESK } from '../service/test-kit.ts';

export const DATE = '2026-03-10';
export const OTHER_DATE = '2026-03-11';
export const at = (hhmm: string, date = DATE) => `${date}T${hhmm}:00+05:30`;

export interface BusyDay {
  doctor: Doctor;
  /** By number: tokens[0] is GM-001. */
  tokens: IssuedToken[];
  /** The token skipped once (its row has skips 1). */
  skipped: IssuedToken;
}

/** Runs the day on `desk` (manual clock); also books one token on OTHER_DATE. */
export async function busyDay(desk: TokenDesk): Promise<BusyDay> {
  await desk.setClock(new Date(at('08:00')));
  const doctor = await desk.createDoctor({ name: 'Dr Meera Iyer', department: 'General Medicine', code: 'GM' }, AS_DESK);
  const s9 = await desk.createSlot({ doctorId: doctor.id, start: at('09:00'), end: at('10:00'), capacity: 2 }, AS_DESK);
  const s10 = await desk.createSlot({ doctorId: doctor.id, start: at('10:00'), end: at('11:00'), capacity: 2 }, AS_DESK);
  const s11 = await desk.createSlot({ doctorId: doctor.id, start: at('09:00', OTHER_DATE), end: at('10:00', OTHER_DATE), capacity: 4 }, AS_DESK);
  const issue = (source: IssuedToken['source'], name: string, slotId?: string) =>
    desk.issueToken({ doctorId: doctor.id, source, patient: { name, id: name.toUpperCase() }, slotId, date: DATE }, AS_DESK);
  const tokens = [
    await issue('ONLINE', 'Asha', s9.id),
    await issue('ONLINE', 'Ravi', s9.id),
    await issue('WALKIN', 'Sita'),
    await issue('ONLINE', 'Kiran', s10.id),
    await issue('ONLINE', 'Lata', s10.id),
    await issue('WALKIN', 'Mohan'),
  ];
  await desk.setClock(new Date(at('09:02')));
  tokens.push(await issue('PAID', 'Nila', s9.id)); // bumps Ravi
  await desk.act(tokens[0]!.id, 'check-in', AS_DESK);
  await desk.act(tokens[6]!.id, 'check-in', AS_DESK);
  const first = await desk.callNext(doctor.id, DATE, AS_DESK);
  await desk.act(first.id, 'skip', AS_DESK);
  const second = await desk.callNext(doctor.id, DATE, AS_DESK);
  await desk.act(second.id, 'complete', AS_DESK);
  // The skipped patient went behind the other one checked in, so is called now, and seen.
  await desk.act((await desk.callNext(doctor.id, DATE, AS_DESK)).id, 'complete', AS_DESK);
  await desk.act(tokens[3]!.id, 'cancel', AS_DESK); // promotes a waiting token
  await desk.changeCapacity(s10.id, 3, AS_DESK);
  await desk.setClock(new Date(at('09:20')));
  await desk.delay(doctor.id, 10, DATE, AS_DESK);
  await desk.act(tokens[4]!.id, 'check-in', AS_DESK);
  await desk.issueToken({ doctorId: doctor.id, source: 'ONLINE', patient: { name: 'Tara', id: 'TARA' }, slotId: s11.id, date: OTHER_DATE }, AS_DESK);
  return { doctor, tokens, skipped: first as IssuedToken };
}

/** `opd …` in-process, with the environment given; what it printed, and its exit code. */
export async function opd(args: string[], env: Record<string, string>, cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env, cwd });
  return { code, stdout, stderr };
}
