// Real engine events and the projection rows that go with them, for the store contract suite.
// The engine is only a source of realistic payloads here: the suite is about storage.

import { DEFAULT_POLICY, execute, openDoctorDay, type DoctorDay, type DoctorDayEvent, type TokenAged } from '../../../src/engine/index.ts';
import { expect } from 'vitest';
import type { DayKey, DoctorRecord, SlotRow, Store, TokenRow } from '../../../src/store/store.ts';

export const DATE = '2026-01-05';

/** HH:MM on `DATE` (UTC) as epoch ms. */
export function at(hhmm: string, date = DATE): number {
  const [h, m] = hhmm.split(':').map(Number);
  const [y, mo, d] = date.split('-').map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, m!);
}

export function doctor(id: string, code: string, createdAt = '2026-01-01T08:00:00.000Z'): DoctorRecord {
  return { id, name: `Dr ${id}`, department: 'General Medicine', room: null, code, policy: { maxBumps: 2, allowance: { EMERGENCY: 2 } }, createdAt };
}

export interface DayFixture {
  key: DayKey;
  day: DoctorDay;
  events: DoctorDayEvent[];
}

/**
 * A doctor-day with two slots, a booking, an emergency that bumps it and a waitlisted walk-in: the
 * events carry nested objects, nulls, optional fields and non-ASCII text, quotes and backslashes (in patient keys).
 */
export function bookedDay(doctorId = 'doc-1', date = DATE, code = 'GM'): DayFixture {
  const day = openDoctorDay({ doctorId, date, code });
  const events: DoctorDayEvent[] = [];
  const run = (command: Parameters<typeof execute>[1], hhmm: string) => {
    const out = execute(day, command, { now: at(hhmm, date), policy: { ...DEFAULT_POLICY, allowance: {} } });
    if (!out.ok) throw new Error(`fixture command ${command.type} refused: ${out.code}`);
    events.push(...out.events);
  };
  run({ type: 'createSlot', slot: { id: `${doctorId}-${date}-s9`, start: at('09:00', date), end: at('10:00', date), capacity: 1 } }, '08:00');
  run({ type: 'createSlot', slot: { id: `${doctorId}-${date}-s10`, start: at('10:00', date), end: at('11:00', date), capacity: 1 } }, '08:00');
  run({ type: 'issueToken', tokenId: `${doctorId}-${date}-t1`, source: 'ONLINE', patientKey: 'Ásha Rao — ಆಶಾ 🙂', slotId: `${doctorId}-${date}-s9` }, '08:10');
  run({ type: 'issueToken', tokenId: `${doctorId}-${date}-t2`, source: 'EMERGENCY', patientKey: 'Ravi "R" \\ K', slotId: `${doctorId}-${date}-s9` }, '08:20');
  run({ type: 'issueToken', tokenId: `${doctorId}-${date}-t3`, source: 'WALKIN' }, '08:30');
  return { key: { doctorId, date }, day, events };
}

export function slotRows(f: DayFixture): SlotRow[] {
  return f.day.slots.map((s) => ({ ...f.key, id: s.id, start: s.start, end: s.end, capacity: s.capacity, occupied: s.occupied }));
}

export function tokenRows(f: DayFixture): TokenRow[] {
  return [...f.day.tokens.values()].map((t) => ({
    ...f.key,
    id: t.id,
    number: t.label,
    slotId: t.slotId,
    source: t.source,
    status: t.status,
    issuedAt: t.issuedAt,
    bumps: t.bumps,
    skips: t.skips,
  }));
}

/** A small event that records which version its writer saw under the lock. */
export function marker(tokenId: string, sawVersion: number): TokenAged {
  return { type: 'TokenAged', tokenId, effectiveRank: sawVersion, at: at('09:00') + sawVersion };
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Writes a fixture's day (and its doctor, if new) in one transaction; returns the events' seqs. */
export async function seed(store: Store, f: DayFixture, code = 'GM'): Promise<number[]> {
  return store.transaction(async (tx) => {
    if (!(await store.getDoctor(f.key.doctorId))) await tx.insertDoctor(doctor(f.key.doctorId, code));
    await tx.lockDay(f.key);
    return tx.append(f.key, f.events, slotRows(f), tokenRows(f));
  });
}

/** A doctor-day's version, read under its lock. */
export const versionOf = (store: Store, key: DayKey) => store.transaction((tx) => tx.lockDay(key));

export const text = (v: unknown) => JSON.stringify(v);

/** Nothing of the fixture's day is in the store: no events, rows or version. */
export async function expectNothingOf(store: Store, f: DayFixture): Promise<void> {
  expect(await store.dayEvents(f.key, 0)).toEqual([]);
  expect(await store.eventsAfter(0, 100)).toEqual([]);
  expect(await store.latestSeq()).toBe(0);
  for (const s of slotRows(f)) expect(await store.getSlot(s.id)).toBeNull();
  for (const t of tokenRows(f)) expect(await store.getToken(t.id)).toBeNull();
  expect(await versionOf(store, f.key)).toBe(0);
}
