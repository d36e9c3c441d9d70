// The reports' table (migration 7): one summary per doctor-day, computed from the day's event log and
// stamped with the day's version (how many events it summed) and the summary's format. A summary whose
// version or format is not the day's is stale and computed again from the log: the log stays the
// truth, and the table is only a cache that any server may rebuild at any time (writes are idempotent:
// a summary never replaces one of a later version).

import type { DoctorDayEvent } from '../engine/index.ts';
import type { DayKey } from './store.ts';

/** A doctor-day of a date range, with its summary as stored (null: never summed). */
export interface StoredDaySummary extends DayKey {
  /** The day's version now: the number of events in its log. */
  dayVersion: number;
  summary: { version: number; format: number; json: string } | null;
}

export interface DaySummaryWrite extends DayKey {
  version: number;
  format: number;
  json: string;
}

export interface SummaryRepository {
  /** Every doctor-day whose date is in [from, to] (YYYY-MM-DD), by date then doctor id. */
  daysBetween(from: string, to: string): Promise<StoredDaySummary[]>;
  /**
   * The doctor-days whose date is in [from, to] that need summing: never summed, summed at another
   * version than the day's, or in a format older than `format` (a newer one is a newer build's: left
   * to it). By date then doctor id; no summary is read.
   */
  staleDays(from: string, to: string, format: number): Promise<DayKey[]>;
  /** The whole logs of these doctor-days, in one read where the database allows. */
  dayLogs(keys: readonly DayKey[]): Promise<Map<string, DoctorDayEvent[]>>;
  /**
   * Stores summaries; one already stored is kept when it is of a later version, or of the same
   * version and a format as new or newer (two builds side by side never undo each other).
   */
  putSummaries(rows: readonly DaySummaryWrite[]): Promise<void>;
}

/** The map key of a doctor-day in `dayLogs`. */
export const dayKeyOf = (key: DayKey): string => `${key.doctorId}\u0000${key.date}`;
