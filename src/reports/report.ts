// The administrator's report of a day or a range of days: the day summaries (day-summary.ts) added up
// per doctor, per department and for the hospital, with waits as median, 90th percentile and longest.
// Pure: the caller hands in the summaries and the hospital's time zone.

import quickselect from 'quickselect';
import { SOURCES, type Source } from '../engine/index.ts';
import { formatTime } from '../time/local-time.ts';
import { OUTCOMES, type DaySummary, type Outcome } from './day-summary.ts';

export interface ReportDoctor {
  id: string;
  name: string;
  department: string;
}

export interface SummarizedDay {
  doctor: ReportDoctor;
  date: string;
  summary: DaySummary;
}

/** Waits in minutes (one decimal); null when nobody of that kind was called. */
export interface WaitFigures {
  patients: number;
  median: number | null;
  p90: number | null;
  longest: number | null;
}

export interface ReportRow {
  /** The doctor's id, the department's name, or `hospital`. */
  key: string;
  label: string;
  department: string | null;
  /** Doctor-days in the rows. */
  days: number;
  tokens: number;
  bySource: Record<Source, Record<Outcome, number>>;
  seen: number;
  noShows: number;
  cancelled: number;
  /** Shares of the tokens issued, 0–1, three decimals (0 when there were none). */
  noShowRate: number;
  cancellationRate: number;
  waits: Record<Source | 'ALL', WaitFigures>;
  /** Minutes past the last slot's end, summed over the days, and the days that ran over. */
  overtimeMinutes: number;
  overtimeDays: number;
  seatsOffered: number;
  seatsUsed: number;
  bumped: number;
  moved: number;
  promoted: number;
}

/** One doctor on one day: when the first patient was called, when the last one left, how late. */
export interface DoctorDayRow {
  doctorId: string;
  doctor: string;
  department: string;
  date: string;
  /** Hospital-local HH:MM, null when nobody was called / finished. */
  firstCall: string | null;
  lastPatient: string | null;
  lastSlotEnd: string | null;
  overtimeMinutes: number;
  seen: number;
  seatsOffered: number;
  seatsUsed: number;
}

/** The seats of every slot with the same local hours, added up over the days (per department). */
export interface SlotHoursRow {
  department: string;
  /** e.g. `09:00–10:00` */
  hours: string;
  slots: number;
  seatsOffered: number;
  seatsUsed: number;
}

export interface Report {
  from: string;
  to: string;
  hospital: ReportRow;
  departments: ReportRow[];
  doctors: ReportRow[];
  doctorDays: DoctorDayRow[];
  slotHours: SlotHoursRow[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Median (the mean of the two middle values for an even count), 90th percentile by nearest rank (the
 * value below which at least 90% fall), and the longest, of seconds in any order; in minutes.
 * Selection, not sorting: a month of a hospital is close to a million waits per row, and only three
 * of their ranks are wanted. `seconds` may be reordered.
 */
export function waitFigures(seconds: Float64Array | number[]): WaitFigures {
  const n = seconds.length;
  if (n === 0) return { patients: 0, median: null, p90: null, longest: null };
  const a = seconds as number[];
  const mid = Math.floor(n / 2);
  quickselect(a, mid);
  let median = a[mid]!;
  if (n % 2 === 0) {
    // Everything before `mid` is at most a[mid]: the largest of them is the other middle value.
    let below = a[0]!;
    for (let i = 1; i < mid; i++) if (a[i]! > below) below = a[i]!;
    median = (below + median) / 2;
  }
  const rank = Math.ceil(0.9 * n) - 1;
  if (rank > mid) quickselect(a, rank, mid + 1);
  let longest = a[mid]!;
  for (let i = mid + 1; i < n; i++) if (a[i]! > longest) longest = a[i]!;
  return { patients: n, median: round1(median / 60), p90: round1(a[rank]! / 60), longest: round1(longest / 60) };
}

/** A list of waits: a day's (as parsed from its summary), or a doctor's days' packed into one. */
type Waits = readonly number[] | Float64Array;

/** Lists of waits as one new typed array. */
function packed(lists: readonly Waits[]): Float64Array {
  let n = 0;
  for (const l of lists) n += l.length;
  return copyInto(new Float64Array(n), lists);
}

function copyInto(out: Float64Array, lists: readonly Waits[]): Float64Array {
  let i = 0;
  for (const l of lists) {
    if (l instanceof Float64Array) out.set(l, i);
    // A loop, not `set`: copying from an ordinary array, `set` takes a slow generic path.
    else for (let j = 0; j < l.length; j++) out[i + j] = l[j]!;
    i += l.length;
  }
  return out;
}

/**
 * One typed array reused for every row's waits (a month of a hospital: close to a million of them,
 * in each of the hospital's, the departments' and the doctors' rows): a row's lists are copied in,
 * in no particular order, and selected from there.
 */
class WaitScratch {
  private buffer = new Float64Array(1024);
  joined(lists: readonly Waits[]): Float64Array {
    let n = 0;
    for (const l of lists) n += l.length;
    if (n > this.buffer.length) this.buffer = new Float64Array(Math.max(n, this.buffer.length * 2));
    return copyInto(this.buffer.subarray(0, n), lists);
  }
}

/**
 * Hospital-local HH:MM of instants, remembered by minute: a month of a hospital names the same few
 * dozen slot times thousands of times.
 */
class LocalTimes {
  private readonly known = new Map<number, string>();
  constructor(private readonly timeZone: string) {}
  at(ms: number): string {
    let text = this.known.get(ms);
    if (text === undefined) {
      text = formatTime(ms, this.timeZone);
      if (this.known.size < 100_000) this.known.set(ms, text);
    }
    return text;
  }
}

class RowBuilder {
  days = 0;
  readonly bySource = Object.fromEntries(SOURCES.map((s) => [s, Object.fromEntries(OUTCOMES.map((o) => [o, 0]))])) as Record<Source, Record<Outcome, number>>;
  /**
   * Each day's waits per source, kept as they are and joined once, when the row is made. Only a
   * doctor's row collects its days' lists; a department's and the hospital's are given the doctors'
   * lists once packed (copied from typed arrays: a memory copy, where a list of numbers is a loop).
   */
  readonly waits = Object.fromEntries(SOURCES.map((s) => [s, [] as Waits[]])) as Record<Source, Waits[]>;

  constructor(private readonly collectsWaits = false) {}

  /** Packs this row's waits, one typed array per source, and hands them to the rows that contain it. */
  packWaits(into: readonly RowBuilder[]): void {
    for (const source of SOURCES) {
      if (this.waits[source].length === 0) continue;
      const one = packed(this.waits[source]);
      this.waits[source] = [one];
      for (const row of into) row.waits[source].push(one);
    }
  }
  overtimeMs = 0;
  overtimeDays = 0;
  seatsOffered = 0;
  seatsUsed = 0;
  bumped = 0;
  moved = 0;
  promoted = 0;

  add(s: DaySummary): void {
    this.days++;
    for (const source of SOURCES) {
      const counts = s.tokens[source];
      if (counts) for (const o of OUTCOMES) this.bySource[source][o] += counts[o] ?? 0;
      const w = s.waits[source];
      if (this.collectsWaits && w && w.length > 0) this.waits[source].push(w);
    }
    this.overtimeMs += s.overtimeMs;
    if (s.overtimeMs > 0) this.overtimeDays++;
    for (const slot of s.slots) {
      this.seatsOffered += slot.capacity;
      this.seatsUsed += slot.used;
    }
    this.bumped += s.bumped;
    this.moved += s.moved;
    this.promoted += s.promoted;
  }

  row(key: string, label: string, department: string | null, scratch: WaitScratch): ReportRow {
    const total = (o: Outcome) => SOURCES.reduce((n, s) => n + this.bySource[s][o], 0);
    const tokens = OUTCOMES.reduce((n, o) => n + total(o), 0);
    const waits = {} as Record<Source | 'ALL', WaitFigures>;
    for (const s of SOURCES) waits[s] = waitFigures(scratch.joined(this.waits[s]));
    waits.ALL = waitFigures(scratch.joined(SOURCES.flatMap((s) => this.waits[s])));
    return {
      key,
      label,
      department,
      days: this.days,
      tokens,
      bySource: this.bySource,
      seen: total('seen'),
      noShows: total('noShow'),
      cancelled: total('cancelled'),
      noShowRate: tokens === 0 ? 0 : round3(total('noShow') / tokens),
      cancellationRate: tokens === 0 ? 0 : round3(total('cancelled') / tokens),
      waits,
      overtimeMinutes: minutes(this.overtimeMs),
      overtimeDays: this.overtimeDays,
      seatsOffered: this.seatsOffered,
      seatsUsed: this.seatsUsed,
      bumped: this.bumped,
      moved: this.moved,
      promoted: this.promoted,
    };
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The report of the given doctor-days, from `from` to `to` (inclusive, YYYY-MM-DD). */
export function buildReport(days: readonly SummarizedDay[], from: string, to: string, timeZone: string): Report {
  const hospital = new RowBuilder();
  const scratch = new WaitScratch();
  const departments = new Map<string, RowBuilder>();
  const doctors = new Map<string, { doctor: ReportDoctor; rows: RowBuilder }>();
  const slotHours = new Map<string, SlotHoursRow>();
  const doctorDays: DoctorDayRow[] = [];
  const times = new LocalTimes(timeZone);
  const at = (ms: number | null) => (ms === null ? null : times.at(ms));
  for (const { doctor, date, summary } of days) {
    hospital.add(summary);
    let dept = departments.get(doctor.department);
    if (!dept) departments.set(doctor.department, (dept = new RowBuilder()));
    dept.add(summary);
    let doc = doctors.get(doctor.id);
    if (!doc) doctors.set(doctor.id, (doc = { doctor, rows: new RowBuilder(true) }));
    doc.rows.add(summary);
    for (const slot of summary.slots) {
      const hours = `${times.at(slot.start)}–${times.at(slot.end)}`;
      const key = `${doctor.department}\u0000${hours}`;
      let row = slotHours.get(key);
      if (!row) slotHours.set(key, (row = { department: doctor.department, hours, slots: 0, seatsOffered: 0, seatsUsed: 0 }));
      row.slots++;
      row.seatsOffered += slot.capacity;
      row.seatsUsed += slot.used;
    }
    doctorDays.push({
      doctorId: doctor.id,
      doctor: doctor.name,
      department: doctor.department,
      date,
      firstCall: at(summary.firstCall),
      lastPatient: at(summary.lastPatient),
      lastSlotEnd: at(summary.lastSlotEnd),
      overtimeMinutes: minutes(summary.overtimeMs),
      seen: SOURCES.reduce((n, s) => n + (summary.tokens[s]?.seen ?? 0), 0),
      seatsOffered: summary.slots.reduce((n, s) => n + s.capacity, 0),
      seatsUsed: summary.slots.reduce((n, s) => n + s.used, 0),
    });
  }
  // Each doctor's waits packed once; the departments' and the hospital's rows are made of those.
  for (const { doctor, rows } of doctors.values()) rows.packWaits([departments.get(doctor.department)!, hospital]);
  return {
    from,
    to,
    hospital: hospital.row('hospital', 'Whole hospital', null, scratch),
    departments: [...departments.entries()].sort(([a], [b]) => byText(a, b)).map(([name, rows]) => rows.row(name, name, name, scratch)),
    doctors: [...doctors.values()]
      .sort((a, b) => byText(a.doctor.department, b.doctor.department) || byText(a.doctor.name, b.doctor.name) || byText(a.doctor.id, b.doctor.id))
      .map(({ doctor, rows }) => rows.row(doctor.id, doctor.name, doctor.department, scratch)),
    doctorDays: doctorDays.sort((a, b) => byText(a.date, b.date) || byText(a.department, b.department) || byText(a.doctor, b.doctor) || byText(a.doctorId, b.doctorId)),
    slotHours: [...slotHours.values()].sort((a, b) => byText(a.department, b.department) || byText(a.hours, b.hours)),
  };
}
