// What both stores do the same way before writing: check that an append only touches its own
// doctor-day, and derive the indexed columns of an event row.

import type { DoctorDayEvent } from '../engine/index.ts';
import type { DayKey, EventActor, SlotRow, TokenRow } from './store.ts';

/** The token an event is about (its `tokenId`), indexed for a token's history. */
export function tokenIdOf(event: DoctorDayEvent): string | null {
  return 'tokenId' in event && typeof event.tokenId === 'string' ? event.tokenId : null;
}

/**
 * Projection rows are written under the lock of one doctor-day, so a row of another day would be
 * written without its own lock: refuse it rather than let two days race on one row.
 */
export function checkSameDay(key: DayKey, rows: readonly DayKey[], what: string): void {
  for (const row of rows) {
    if (row.doctorId !== key.doctorId || row.date !== key.date) {
      throw new Error(`append to ${key.doctorId}/${key.date} got a ${what} row of ${row.doctorId}/${row.date}`);
    }
  }
}

/** The last row of each id wins: an upsert statement may not touch one row twice. */
export function lastById<R extends { id: string }>(rows: readonly R[]): R[] {
  if (rows.length < 2) return [...rows];
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

export function checkAppend(key: DayKey, slots: readonly SlotRow[], tokens: readonly TokenRow[]): void {
  checkSameDay(key, slots, 'slot');
  checkSameDay(key, tokens, 'token');
}

/**
 * The actor as the log stores it: exactly its four fields (an Actor's doctor scope, or anything else
 * a caller's object carries, is never written), as JSON text with a fixed key order.
 */
export function actorColumn(actor: EventActor | null | undefined): { id: string | null; json: string | null } {
  if (!actor) return { id: null, json: null };
  const { kind, id, name, role } = actor;
  return { id, json: JSON.stringify({ kind, id, name, role }) };
}
