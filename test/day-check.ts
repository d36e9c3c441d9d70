// Checks shared by the end-to-end tests: a doctor-day rebuilt from the store's event log must be
// sound (no invariant broken, numbers 1..n without a gap), must be what the tokens table says, and
// must be what the API shows.

import { isDeepStrictEqual } from 'node:util';
import { checkInvariants, replay, schedule, type DoctorDay } from '../src/engine/index.ts';
import { tokenRow } from '../src/service/views.ts';
import type { DayKey, Store, TokenRow } from '../src/store/store.ts';

/** API times are ISO 8601 to the second; engine times are epoch ms. */
const toSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const iso = (s: string | null) => (s === null ? null : Date.parse(s));

/** The doctor-day as the log rebuilds it, with every problem found in it (empty when sound). */
export async function replayDay(store: Store, key: DayKey, code: string): Promise<{ day: DoctorDay; problems: string[] }> {
  const events = await store.dayEvents(key, 0);
  const day = replay({ doctorId: key.doctorId, date: key.date, code }, events);
  const problems = checkInvariants(day).map((p) => `invariant: ${p}`);
  const numbers = [...day.tokens.values()].map((t) => t.number).sort((a, b) => a - b);
  const expected = Array.from({ length: numbers.length }, (_, i) => i + 1);
  if (JSON.stringify(numbers) !== JSON.stringify(expected)) problems.push(`numbers are not 1..${numbers.length} without a gap: ${numbers.join(',')}`);
  if (day.lastNumber !== numbers.length) problems.push(`lastNumber ${day.lastNumber} but ${numbers.length} tokens`);
  const issued = events.filter((e) => e.type === 'TokenIssued').length;
  if (issued !== day.tokens.size) problems.push(`${issued} TokenIssued events but ${day.tokens.size} tokens`);
  return { day, problems };
}

/**
 * The token row the projection must hold for a token of the replayed day: what the service writes
 * (views.ts), made from the day the log rebuilds rather than from the service's own copy.
 */
export function expectedRow(day: DoctorDay, id: string): TokenRow {
  return tokenRow(day, day.tokens.get(id)!);
}

/** Every slot and token of the replayed day against its row in the projection; the problems found. */
export async function compareRows(store: Store, day: DoctorDay): Promise<string[]> {
  const problems: string[] = [];
  for (const s of day.slots) {
    const row = await store.getSlot(s.id);
    const want = { doctorId: day.doctorId, date: day.date, id: s.id, start: s.start, end: s.end, capacity: s.capacity, occupied: s.occupied };
    if (!isDeepStrictEqual(row, want)) problems.push(`slot ${s.id}: row ${JSON.stringify(row)} but the log says ${JSON.stringify(want)}`);
  }
  for (const id of day.tokens.keys()) {
    const row = await store.getToken(id);
    const want = expectedRow(day, id);
    if (!isDeepStrictEqual(row, want)) problems.push(`token ${want.number}: row ${JSON.stringify(row)} but the log says ${JSON.stringify(want)}`);
  }
  return problems;
}

/**
 * The API's schedule put in the engine's terms (epoch ms), and the replayed day's schedule cut to the
 * API's precision (seconds): the two must be equal.
 */
// The API answer is read as JSON, untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function scheduleFromApi(api: any): unknown {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const token = (t: any) => ({ ...t, issuedAt: iso(t.issuedAt), estimatedAt: iso(t.estimatedAt) });
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    slots: api.slots.map((s: any) => ({ ...s, start: iso(s.start), end: iso(s.end), tokens: s.tokens.map(token) })),
    waitlist: api.waitlist.map(token),
  };
}

export function scheduleFromLog(day: DoctorDay): unknown {
  const s = schedule(day);
  const token = (t: (typeof s.waitlist)[number]) => ({
    ...t,
    issuedAt: toSecond(t.issuedAt),
    estimatedAt: t.estimatedAt === null ? null : toSecond(t.estimatedAt),
  });
  return {
    slots: s.slots.map((slot) => ({ ...slot, start: toSecond(slot.start), end: toSecond(slot.end), tokens: slot.tokens.map(token) })),
    waitlist: s.waitlist.map(token),
  };
}
