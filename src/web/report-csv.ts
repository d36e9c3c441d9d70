// The report's tables as columns (a heading and a value per row), shared by the screen and the CSV
// export, so a downloaded file holds exactly what the table shows. CSV is written by papaparse (quotes,
// commas and line breaks inside a doctor's name are its job, not ours).

import Papa from 'papaparse';
import type { Report, ReportRow } from './api.ts';

export interface Column<T> {
  heading: string;
  value: (row: T) => string | number;
  /** Numbers align right on screen. */
  numeric?: boolean;
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
const minutes = (m: number | null) => (m === null ? '' : m);

/** The columns of a per-doctor or per-department table. */
export function rowColumns(first: string): Column<ReportRow>[] {
  return [
    { heading: first, value: (r) => r.label },
    { heading: 'Tokens', value: (r) => r.tokens, numeric: true },
    { heading: 'Seen', value: (r) => r.seen, numeric: true },
    { heading: 'Did not come', value: (r) => percent(r.noShowRate), numeric: true },
    { heading: 'Cancelled', value: (r) => percent(r.cancellationRate), numeric: true },
    { heading: 'Median wait (min)', value: (r) => minutes(r.waits.ALL.median), numeric: true },
    { heading: '9 in 10 within (min)', value: (r) => minutes(r.waits.ALL.p90), numeric: true },
    { heading: 'Longest wait (min)', value: (r) => minutes(r.waits.ALL.longest), numeric: true },
    { heading: 'Walk-in median wait (min)', value: (r) => minutes(r.waits.WALKIN.median), numeric: true },
    { heading: 'Overtime (min)', value: (r) => r.overtimeMinutes, numeric: true },
    { heading: 'Seats used', value: (r) => `${r.seatsUsed} of ${r.seatsOffered}`, numeric: true },
    { heading: 'Gave up seat', value: (r) => r.bumped, numeric: true },
    { heading: 'Moved', value: (r) => r.moved, numeric: true },
    { heading: 'From waiting list', value: (r) => r.promoted, numeric: true },
  ];
}

type DoctorDay = Report['doctorDays'][number];
export const DOCTOR_DAY_COLUMNS: Column<DoctorDay>[] = [
  { heading: 'Date', value: (d) => d.date },
  { heading: 'Doctor', value: (d) => d.doctor },
  { heading: 'Department', value: (d) => d.department },
  { heading: 'First call', value: (d) => d.firstCall ?? '' },
  { heading: 'Last patient done', value: (d) => d.lastPatient ?? '' },
  { heading: 'Last slot ends', value: (d) => d.lastSlotEnd ?? '' },
  { heading: 'Overtime (min)', value: (d) => d.overtimeMinutes, numeric: true },
  { heading: 'Seen', value: (d) => d.seen, numeric: true },
  { heading: 'Seats used', value: (d) => `${d.seatsUsed} of ${d.seatsOffered}`, numeric: true },
];

type SlotHours = Report['slotHours'][number];
export const SLOT_HOURS_COLUMNS: Column<SlotHours>[] = [
  { heading: 'Department', value: (s) => s.department },
  { heading: 'Slot', value: (s) => s.hours },
  { heading: 'Slots', value: (s) => s.slots, numeric: true },
  { heading: 'Seats offered', value: (s) => s.seatsOffered, numeric: true },
  { heading: 'Seats used', value: (s) => s.seatsUsed, numeric: true },
  { heading: 'Share used', value: (s) => (s.seatsOffered === 0 ? '' : percent(s.seatsUsed / s.seatsOffered)), numeric: true },
];

/** The table as CSV text: a heading line, then one line per row. */
export function toCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  return Papa.unparse({ fields: columns.map((c) => c.heading), data: rows.map((r) => columns.map((c) => c.value(r))) });
}

/** A file name for a table of the report, e.g. `opd-doctors-2026-03-01-to-2026-03-31.csv`. */
export function csvName(table: string, from: string, to: string): string {
  return `opd-${table}-${from === to ? from : `${from}-to-${to}`}.csv`;
}
