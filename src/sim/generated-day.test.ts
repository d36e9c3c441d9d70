import { describe, expect, it } from 'vitest';
import { DEFAULT_DAY_INPUTS, doctorSpec, generateDay } from './generated-day.ts';
import { formatTime } from '../time/local-time.ts';

const MINUTE = 60_000;

describe('generateDay', () => {
  it('draws the same day from the same seed, and another day from another seed', () => {
    expect(generateDay(DEFAULT_DAY_INPUTS, 42, 3)).toEqual(generateDay(DEFAULT_DAY_INPUTS, 42, 3));
    expect(generateDay(DEFAULT_DAY_INPUTS, 42, 3).doctors[0]!.patients).not.toEqual(generateDay(DEFAULT_DAY_INPUTS, 43, 3).doctors[0]!.patients);
  });

  it("keeps a doctor's patients when doctors are added", () => {
    const three = generateDay(DEFAULT_DAY_INPUTS, 5, 3);
    const ten = generateDay(DEFAULT_DAY_INPUTS, 5, 10);
    expect(ten.doctors.slice(0, 3).map((d) => d.patients)).toEqual(three.doctors.map((d) => d.patients));
  });

  it('starts at a fixed date and time, never the wall clock', () => {
    const plan = generateDay(DEFAULT_DAY_INPUTS, 1, 1);
    expect(plan.date).toBe('2025-03-10');
    expect(formatTime(plan.startAt)).toBe('07:00');
  });

  it('gives every doctor hourly slots 09:00–13:00 and 14:00–17:00 of 6 seats, with deterministic ids', () => {
    const d = generateDay(DEFAULT_DAY_INPUTS, 1, 2).doctors[1]!;
    expect(d.slots.map((s) => `${s.id} ${formatTime(s.start)}–${formatTime(s.end)} ×${s.capacity}`)).toEqual([
      'OR-s1 09:00–10:00 ×6',
      'OR-s2 10:00–11:00 ×6',
      'OR-s3 11:00–12:00 ×6',
      'OR-s4 12:00–13:00 ×6',
      'OR-s5 14:00–15:00 ×6',
      'OR-s6 15:00–16:00 ×6',
      'OR-s7 16:00–17:00 ×6',
    ]);
    expect(d.patients.every((p, i) => p.n === i + 1)).toBe(true);
    expect(d.patients.every((p, i) => i === 0 || d.patients[i - 1]!.bookAt <= p.bookAt)).toBe(true);
  });

  it('makes exactly the asked number of doctors late, 20–60 min, reported before their first slot', () => {
    const plan = generateDay({ ...DEFAULT_DAY_INPUTS, lateDoctors: 3 }, 9, 20);
    const late = plan.doctors.filter((d) => d.delay !== null);
    expect(late).toHaveLength(3);
    for (const d of late) {
      expect(d.delay!.minutes).toBeGreaterThanOrEqual(20);
      expect(d.delay!.minutes).toBeLessThanOrEqual(60);
      expect(d.delay!.at).toBeLessThanOrEqual(d.slots[0]!.start);
      expect(d.delay!.at).toBeGreaterThanOrEqual(d.slots[0]!.start - 20 * MINUTE);
    }
  });

  it('matches its documented rates over many doctors', () => {
    const patients = generateDay(DEFAULT_DAY_INPUTS, 3, 300).doctors.flatMap((d) => d.patients);
    const booked = patients.filter((p) => p.source === 'ONLINE' || p.source === 'FOLLOWUP' || p.source === 'PAID');
    const share = (n: number, of: number) => n / of;
    expect(share(booked.filter((p) => p.fate === 'no-show').length, booked.length)).toBeCloseTo(DEFAULT_DAY_INPUTS.noShowRate, 1);
    expect(share(booked.filter((p) => p.fate === 'cancel').length, booked.length)).toBeCloseTo(DEFAULT_DAY_INPUTS.cancelRate, 1);
    const emergencies = share(patients.filter((p) => p.source === 'EMERGENCY').length, patients.length);
    expect(emergencies).toBeGreaterThan(0.01);
    expect(emergencies).toBeLessThan(0.03);
    expect(booked.length / 300).toBeCloseTo(31, -1);
    const consult = patients.reduce((n, p) => n + p.consultMinutes, 0) / patients.length;
    expect(consult).toBeGreaterThan(7.5);
    expect(consult).toBeLessThan(8.5);
    // Walk-ins arrive within their window; bookings ask at least 30 min before their slot.
    expect(patients.filter((p) => p.source === 'WALKIN').every((p) => formatTime(p.bookAt) >= '08:30' && formatTime(p.bookAt) < '15:30')).toBe(true);
  });

  it('follows overridden inputs', () => {
    const plan = generateDay({ ...DEFAULT_DAY_INPUTS, noShowRate: 0, onlineNoShowRate: 0, cancelRate: 0, walkinsPerHour: 0, capacity: 3 }, 4, 5);
    const patients = plan.doctors.flatMap((d) => d.patients);
    expect(patients.some((p) => p.fate !== 'attend')).toBe(false);
    expect(patients.some((p) => p.source === 'WALKIN')).toBe(false);
    expect(plan.doctors.every((d) => d.slots.every((s) => s.capacity === 3))).toBe(true);
  });
});

describe('doctorSpec', () => {
  it('gives 500 doctors distinct codes of 2–4 capital letters', () => {
    const codes = Array.from({ length: 500 }, (_, i) => doctorSpec(i).code);
    expect(new Set(codes).size).toBe(500);
    expect(codes.every((c) => /^[A-Z]{2,4}$/.test(c))).toBe(true);
    expect(codes.slice(0, 3)).toEqual(['GM', 'OR', 'PD']);
  });
});
