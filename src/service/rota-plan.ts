// The weekly rota's arithmetic, without a store or a clock: checking the sessions an admin typed,
// the dates ahead, and the slots a session makes on one date (in the hospital's time zone).

import { localToEpoch } from '../time/local-time.ts';
import type { RotaSession } from '../store/rota-repo.ts';
import { ServiceError } from './types.ts';

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
/** At most this many sessions in a doctor's week. */
export const MAX_SESSIONS = 50;

/** One slot a session makes: epoch ms, seats, and its room (null: the doctor's). */
export interface PlannedSlot {
  start: number;
  end: number;
  capacity: number;
  room: string | null;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Refuses a week that cannot be made into slots, in words for the admin, naming the session (by
 * weekday and time) and the field. The API's schema already checked each field's form.
 */
export function checkSessions(sessions: RotaSession[]): void {
  if (sessions.length > MAX_SESSIONS) throw new ServiceError('VALIDATION_FAILED', `a week has at most ${MAX_SESSIONS} sessions`);
  const problems: { index: number; field: string; message: string }[] = [];
  sessions.forEach((s, index) => {
    const name = `${WEEKDAYS[s.weekday - 1]} ${s.start}–${s.end}`;
    const from = minutesOf(s.start);
    const to = minutesOf(s.end);
    if (to <= from) problems.push({ index, field: 'end', message: `${name}: the session must end after it starts` });
    else if ((to - from) % s.slotMinutes !== 0) {
      problems.push({ index, field: 'slotMinutes', message: `${name}: ${to - from} minutes do not divide into slots of ${s.slotMinutes} minutes` });
    }
  });
  sessions.forEach((s, index) => {
    const clash = sessions.findIndex((o, j) => j < index && o.weekday === s.weekday && minutesOf(o.start) < minutesOf(s.end) && minutesOf(s.start) < minutesOf(o.end));
    if (clash >= 0) {
      const o = sessions[clash]!;
      problems.push({ index, field: 'start', message: `${WEEKDAYS[s.weekday - 1]} ${s.start}–${s.end} overlaps ${o.start}–${o.end} the same day` });
    }
  });
  if (problems.length > 0) {
    throw new ServiceError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), {
      errors: problems.map((p) => ({ path: `/sessions/${p.index}/${p.field}`, message: p.message })),
    });
  }
}

/** 1 Monday … 7 Sunday of a YYYY-MM-DD date (the calendar's, whatever the time zone). */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** `count` dates from `first`, one a day. */
export function datesFrom(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** The slots the week's sessions make on `date`, earliest first. */
export function slotsOn(sessions: RotaSession[], date: string, timeZone: string): PlannedSlot[] {
  const weekday = weekdayOf(date);
  const out: PlannedSlot[] = [];
  for (const s of sessions) {
    if (s.weekday !== weekday) continue;
    const from = minutesOf(s.start);
    const to = minutesOf(s.end);
    for (let m = from; m + s.slotMinutes <= to; m += s.slotMinutes) {
      const hhmm = (x: number) => `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
      out.push({ start: localToEpoch(date, hhmm(m), timeZone), end: localToEpoch(date, hhmm(m + s.slotMinutes), timeZone), capacity: s.capacity, room: s.room });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
