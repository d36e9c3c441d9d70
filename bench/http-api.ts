// The HTTP benchmark's hospital, made through the API itself: the clock set first, then doctors, each
// with several future days of 8 hourly big-capacity slots; and the bookings the load sends, spread over
// every doctor-day so that no day is a queue of its own and every patient is new.

import { credentialsFor } from './http-auth.ts';

export const CLOCK = '2026-03-09T06:00:00+05:30';
const FIRST_DAY = Date.UTC(2026, 2, 10);
const HOURS = [9, 10, 11, 12, 14, 15, 16, 17];

export interface Layout {
  doctors: number;
  daysPerDoctor: number;
  /** Seats per slot: big, so that bookings keep being seated. */
  capacity: number;
}

export interface DoctorDay {
  doctorId: string;
  date: string;
  slotIds: string[];
}

async function call<T>(base: string, method: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...credentialsFor(base) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`bench: ${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Runs `jobs` with at most `width` in flight. */
async function inParallel(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: width }, lane));
}

export function setClock(base: string): Promise<unknown> {
  return call(base, 'PUT', '/api/clock', { now: CLOCK });
}

/** Three capital letters per index: BAA, BAB, … (never derived from names, so never taken twice). */
function code(i: number): string {
  const letter = (n: number) => String.fromCharCode(65 + (n % 26));
  return `B${letter(Math.floor(i / 26))}${letter(i)}`;
}

function isoDate(day: number): string {
  return new Date(FIRST_DAY + day * 86_400_000).toISOString().slice(0, 10);
}

/** Sets the clock, then creates the doctors and their slots; returns every doctor-day. */
export async function createHospital(base: string, layout: Layout): Promise<DoctorDay[]> {
  await setClock(base);
  const doctorIds: string[] = new Array<string>(layout.doctors);
  await inParallel(
    Array.from({ length: layout.doctors }, (_, i) => async () => {
      const doctor = await call<{ id: string }>(base, 'POST', '/api/doctors', { name: `Bench Doctor ${i}`, department: 'General Medicine', code: code(i) });
      doctorIds[i] = doctor.id;
    }),
    16,
  );
  const days: DoctorDay[] = [];
  for (let d = 0; d < layout.daysPerDoctor; d++) {
    for (const doctorId of doctorIds) days.push({ doctorId, date: isoDate(d), slotIds: new Array<string>(HOURS.length) });
  }
  const jobs = days.flatMap((day) =>
    HOURS.map((hour, s) => async () => {
      const hh = String(hour).padStart(2, '0');
      const end = String(hour + 1).padStart(2, '0');
      const slot = await call<{ id: string }>(base, 'POST', '/api/slots', {
        doctorId: day.doctorId,
        start: `${day.date}T${hh}:00:00+05:30`,
        end: `${day.date}T${end}:00:00+05:30`,
        capacity: layout.capacity,
      });
      day.slotIds[s] = slot.id;
    }),
  );
  await inParallel(jobs, 32);
  return days;
}

/**
 * The former workload of `npm run bench:http` (kept to compare with, bench/http-inprocess.ts --workload old).
 * The i-th booking: doctor-days in turn (consecutive requests never share a day); every other booking of a day
 * is a walk-in for the day (the earliest slot with a free seat), the others online bookings of one of
 * its slots (flexible, in turn over its slots). Every patient is new: a phone number nobody else has.
 */
export function bookingBody(days: readonly DoctorDay[], i: number): string {
  const day = days[i % days.length]!;
  const round = Math.floor(i / days.length);
  const patient = { name: `Patient ${i}`, phone: `+91 ${String(7_000_000_000 + i)}` };
  return JSON.stringify(
    (i + round) % 2 === 0
      ? { doctorId: day.doctorId, source: 'WALKIN', patient, date: day.date }
      : { doctorId: day.doctorId, source: 'ONLINE', patient, slotId: day.slotIds[round % day.slotIds.length], flexible: true },
  );
}

/**
 * The realistic workload (issue 13, as an outside load generator sends it): one day of 100 doctors × 8
 * hourly slots of 1,000 seats, every request a new patient with a name and a phone, ONLINE into a named
 * slot (not flexible), the doctors taken in turn and each doctor's slots in turn.
 */
export const HOSPITAL = { doctors: 100, date: '2026-03-10', hours: HOURS, capacity: 1_000 } as const;

export function realisticBody(days: readonly DoctorDay[], i: number): string {
  const day = days[i % days.length]!;
  const slotId = day.slotIds[Math.floor(i / days.length) % day.slotIds.length];
  return JSON.stringify({ doctorId: day.doctorId, source: 'ONLINE', patient: { name: `Patient ${i}`, phone: `+91 ${String(7_000_000_000 + i)}` }, slotId });
}
