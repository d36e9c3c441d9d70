// The check behind `opd check` and the end-to-end tests: a doctor-day rebuilt from its event log must
// be sound (the engine's invariants hold, numbers run 1..n without a gap) and must be exactly what the
// slots and tokens tables hold. The rows expected here are made from the engine's state by this
// file's own mapping, never by the one the service writes with (views.ts): a mistake there must show
// up as a difference, not be repeated by the check that is meant to find it.

import { isDeepStrictEqual } from 'node:util';
import { checkInvariants, replay, type DoctorDay, type Slot, type Token } from '../engine/index.ts';
import type { DayKey, DoctorRecord, SlotRow, Store, TokenRow } from '../store/store.ts';
import { formatIso, formatRange } from '../time/local-time.ts';

export interface DayCheck {
  key: DayKey;
  /** How the desk names the doctor, e.g. `Dr Meera Iyer (GM)`; the id when the doctor is unknown. */
  doctor: string;
  /** The day as its log rebuilds it; null when the log could not be replayed. */
  day: DoctorDay | null;
  /** What is wrong, in words; empty when the day is sound and its rows are what the log says. */
  problems: string[];
  events: number;
  slots: number;
  tokens: number;
}

export interface CheckOptions {
  /** The hospital's zone: times in the problems are shown as the desk shows them. */
  timeZone: string;
}

/** What the slots table must hold for a slot of the day: the check's own mapping. */
function expectedSlotRow(day: DoctorDay, s: Slot): SlotRow {
  return { doctorId: day.doctorId, date: day.date, id: s.id, start: s.start, end: s.end, capacity: s.capacity, occupied: s.occupied };
}

/**
 * What the tokens table must hold for a token of the day: the check's own mapping. A waitlisted
 * token holds no slot; any other keeps the last slot it was seated in (SPEC 10: slotId null while
 * waitlisted).
 */
function expectedTokenRow(day: DoctorDay, t: Token): TokenRow {
  return {
    doctorId: day.doctorId,
    date: day.date,
    id: t.id,
    number: t.label,
    slotId: t.status === 'WAITLISTED' ? null : t.slotId,
    source: t.source,
    status: t.status,
    issuedAt: t.issuedAt,
    bumps: t.bumps,
    skips: t.skips,
  };
}

/** Column names as an operator finds them in the tables. */
const COLUMNS: Record<string, string> = {
  doctorId: 'doctor_id',
  date: 'date',
  id: 'id',
  number: 'number',
  slotId: 'slot_id',
  source: 'source',
  status: 'status',
  issuedAt: 'issued_at',
  bumps: 'bumps',
  skips: 'skips',
  start: 'start',
  end: 'end',
  capacity: 'capacity',
  occupied: 'occupied',
};
const TIMES = new Set(['start', 'end', 'issuedAt']);

/** Checks one doctor-day: its log against the engine's rules, and its rows against its log. */
export async function checkDay(store: Store, key: DayKey, options: CheckOptions & { doctor?: DoctorRecord | null }): Promise<DayCheck> {
  const doctor = options.doctor !== undefined ? options.doctor : await store.getDoctor(key.doctorId);
  const records = await store.readDayRecords(key);
  const result: DayCheck = {
    key,
    doctor: doctor ? `${doctor.name} (${doctor.code})` : key.doctorId,
    day: null,
    problems: [],
    events: records.events.length,
    slots: records.slots.length,
    tokens: records.tokens.length,
  };
  if (!doctor) {
    result.problems.push(`the doctors table has no doctor ${key.doctorId}, so the day's token numbers cannot be rebuilt`);
    return result;
  }
  if (records.version !== records.events.length) {
    result.problems.push(`the doctor_days table counts ${records.version} events for this day, but the event log holds ${records.events.length}`);
  }
  let day: DoctorDay;
  try {
    day = replay({ doctorId: key.doctorId, date: key.date, code: doctor.code }, records.events);
  } catch (err) {
    result.problems.push(`the event log cannot be replayed: ${(err as Error).message}`);
    return result;
  }
  result.day = day;
  result.problems.push(...soundness(day, records.events), ...rowDifferences(day, records.slots, records.tokens, options.timeZone));
  return result;
}

/** The engine's promises, and the numbering: what the log itself must satisfy. */
function soundness(day: DoctorDay, events: { type: string }[]): string[] {
  const problems = checkInvariants(day).map((p) => `the event log breaks a rule of the engine: ${p}`);
  const numbers = [...day.tokens.values()].map((t) => t.number).sort((a, b) => a - b);
  const gap = numbers.findIndex((n, i) => n !== i + 1);
  if (gap >= 0) problems.push(`token numbers do not run 1..${numbers.length} without a gap: number ${gap + 1} is missing or repeated`);
  if (day.lastNumber !== numbers.length) problems.push(`the last number issued is ${day.lastNumber}, but the day has ${numbers.length} tokens`);
  const issued = events.filter((e) => e.type === 'TokenIssued').length;
  if (issued !== day.tokens.size) problems.push(`the event log issues ${issued} tokens, but replaying it gives ${day.tokens.size}`);
  return problems;
}

function rowDifferences(day: DoctorDay, slotRows: SlotRow[], tokenRows: TokenRow[], tz: string): string[] {
  const problems: string[] = [];
  const show = (field: string, value: unknown, other: unknown) => shown(day, field, value, other, tz);
  const compare = (what: string, table: string, stored: object, expected: object) => {
    const fields = new Set([...Object.keys(expected), ...Object.keys(stored)]);
    for (const field of fields) {
      const has = (stored as Record<string, unknown>)[field];
      const want = (expected as Record<string, unknown>)[field];
      if (isDeepStrictEqual(has, want)) continue;
      problems.push(`${what}: the ${table} table says ${COLUMNS[field] ?? field} ${show(field, has, want)}; the event log says ${show(field, want, has)}`);
    }
  };

  const slotsById = new Map(slotRows.map((r) => [r.id, r]));
  for (const s of day.slots) {
    const what = `slot ${formatRange(s.start, s.end, tz)} (id ${s.id})`;
    const row = slotsById.get(s.id);
    slotsById.delete(s.id);
    if (!row) problems.push(`${what} is in the event log but has no row in the slots table`);
    else compare(what, 'slots', row, expectedSlotRow(day, s));
  }
  for (const row of slotsById.values()) {
    problems.push(`the slots table has a row for slot ${formatRange(row.start, row.end, tz)} (id ${row.id}) that the event log of this day does not create`);
  }

  const tokensById = new Map(tokenRows.map((r) => [r.id, r]));
  for (const t of [...day.tokens.values()].sort((a, b) => a.number - b.number)) {
    const what = `token ${t.label}`;
    const row = tokensById.get(t.id);
    tokensById.delete(t.id);
    if (!row) problems.push(`${what} (id ${t.id}) is in the event log but has no row in the tokens table`);
    else compare(what, 'tokens', row, expectedTokenRow(day, t));
  }
  for (const row of tokensById.values()) {
    problems.push(`the tokens table has a row for token ${row.number} (id ${row.id}) that the event log of this day does not issue`);
  }
  return problems;
}

/** A value as an operator reads it: times in the hospital's zone, slots by their hours. */
function shown(day: DoctorDay, field: string, value: unknown, other: unknown, tz: string): string {
  if (value === null || value === undefined) return value === null ? 'empty (null)' : 'nothing';
  if (TIMES.has(field) && typeof value === 'number') {
    const iso = formatIso(value, tz);
    // Two instants in the same second look alike to the second: show the milliseconds too.
    return typeof other === 'number' && formatIso(other, tz) === iso ? `${iso} (${value} ms)` : iso;
  }
  if (field === 'slotId' && typeof value === 'string') {
    const slot = day.slotById.get(value);
    return slot ? `${formatRange(slot.start, slot.end, tz)} (id ${value})` : `${value} (no such slot in the day)`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface StoreCheck {
  days: number;
  events: number;
  slots: number;
  tokens: number;
  /** The days with a problem, without their replayed state (a whole store's days need not stay in memory). */
  failed: Omit<DayCheck, 'day'>[];
}

/** Checks every doctor-day of the store, or those of one date; `onDay` sees each as it is done. */
export async function checkStore(store: Store, options: CheckOptions & { date?: string; onDay?: (d: DayCheck) => void }): Promise<StoreCheck> {
  const doctors = new Map((await store.listDoctors()).map((d) => [d.id, d]));
  const result: StoreCheck = { days: 0, events: 0, slots: 0, tokens: 0, failed: [] };
  for (const key of await store.listDays(options.date)) {
    // A doctor created after the list was read is looked up on its own.
    const checked = await checkDay(store, key, { timeZone: options.timeZone, doctor: doctors.get(key.doctorId) });
    options.onDay?.(checked);
    result.days++;
    result.events += checked.events;
    result.slots += checked.slots;
    result.tokens += checked.tokens;
    if (checked.problems.length > 0) {
      const { day: _day, ...rest } = checked;
      result.failed.push(rest);
    }
  }
  return result;
}
