// The weekly rota, the doctor-days made from it, and closed dates (leave, holidays): what a
// transaction may read and write of them (Transaction.rota). Kept in one transaction with the day's
// lock and events, so "this day was made from the rota" commits with the slots it made, or not at all.

import type { DayKey } from './store.ts';

/** One OPD session of a doctor's week: slots of `slotMinutes` from `start` to `end` on `weekday`. */
export interface RotaSession {
  /** 1 Monday … 7 Sunday (ISO 8601). */
  weekday: number;
  /** Hospital-local HH:MM. */
  start: string;
  end: string;
  slotMinutes: number;
  /** Seats per slot. */
  capacity: number;
  /** Where the session is held; null: the doctor's room. */
  room: string | null;
}

export interface RotaRecord {
  doctorId: string;
  sessions: RotaSession[];
  /** Epoch ms of the last replacement. */
  updatedAt: number;
}

/** A slot a doctor-day's rota made, and the capacity it was made with (a reopened date gets it back). */
export interface MadeSlot {
  id: string;
  capacity: number;
}

/** A date closed for one doctor (leave) or every doctor (holiday: doctorId null). */
export interface ClosedDate {
  date: string;
  doctorId: string | null;
  reason: string;
  /** Epoch ms. */
  createdAt: number;
}

export interface RotaTransaction {
  getRota(doctorId: string): Promise<RotaRecord | null>;
  /** Replaces the doctor's sessions. */
  putRota(rota: RotaRecord): Promise<void>;
  /** The doctors that have a rota, by id. */
  rotaDoctors(): Promise<string[]>;
  /** The slots the rota made on this doctor-day, or null: the rota never made this day. */
  madeDay(key: DayKey): Promise<MadeSlot[] | null>;
  /** Records (or rewrites) what the rota made on the day. The day's row must exist (lock it first). */
  putMadeDay(key: DayKey, slots: MadeSlot[], at: number): Promise<void>;
  /** Closed dates from `from` to `to` (inclusive, YYYY-MM-DD), by date, holidays first, then doctor id. */
  closedDates(from: string, to: string): Promise<ClosedDate[]>;
  /** Adds a closed date; false when that date was already closed for that doctor (or as a holiday). */
  putClosedDate(closed: ClosedDate): Promise<boolean>;
  /** Reopens; false when it was not closed. */
  deleteClosedDate(date: string, doctorId: string | null): Promise<boolean>;
}

/** How a holiday's doctor is written in the closed_dates table (a primary key column cannot be NULL). */
export const EVERY_DOCTOR = '*';

export interface ClosedColumns {
  date: string;
  doctor_id: string;
  reason: string;
  created_at: number | string;
}

export function toClosed(r: ClosedColumns): ClosedDate {
  return { date: r.date, doctorId: r.doctor_id === EVERY_DOCTOR ? null : r.doctor_id, reason: r.reason, createdAt: Number(r.created_at) };
}
