// The administrator's reports (src/reports) and what-if (src/sim/what-if.ts), read from the event log.
// A day's summary is kept in the day_summaries table, stamped with the day's version: a report reads
// the stored summaries of the range, sums again from the log only the days whose log has grown since
// (or whose summary format is older), and stores those. So a report of past days reads one row per
// doctor-day, and the numbers are always those of the log. Writes are idempotent: two servers that sum
// the same day store the same row.
//
// So that the first report after a day is warm, a job (startDaySummaries, src/service/summary-job.ts)
// sums each doctor-day soon after it closes, in the background: `summarizeClosedDays`, at start and
// every few minutes, by the desk's clock.

import { setImmediate as nextTurn } from 'node:timers/promises';
import { DEFAULT_POLICY, type Policy } from '../engine/index.ts';
import { SUMMARY_FORMAT, summarizeDay, type DaySummary } from '../reports/day-summary.ts';
import { buildReport, type Report, type SummarizedDay } from '../reports/report.ts';
import { whatIfDay, type TokenChange, type WhatIfDay } from '../sim/what-if.ts';
import type { DoctorRecord } from '../store/store.ts';
import type { DayKey } from '../store/store.ts';
import { dayKeyOf, type DaySummaryWrite } from '../store/summary-repo.ts';
import { localDate, localDayRange } from '../time/local-time.ts';
import type { DeskCore } from './desk-core.ts';
import { firstDate } from './search.ts';
import { ServiceError } from './types.ts';

/** The longest range one report covers: a year (a leap year's 366 days). */
export const MAX_REPORT_DAYS = 366;
const DAY_MS = 24 * 60 * 60_000;
/** Doctor-days summed from their logs per read: a few hundred thousand events at most in memory. */
const SUM_BATCH = 200;
/**
 * Doctor-days per read in the background job: about 3,000 events, some tens of milliseconds of
 * parsing and summing, between which requests are served.
 */
const JOB_BATCH = 10;
/**
 * A doctor-day counts as closed, for the job, this long after its last slot ended: by then the
 * clock's ticks have marked the last slot's no-shows (the usual grace is 15 minutes). Any later
 * change (a patient seen late) makes its summary stale, and the next run sums it again.
 */
export const CLOSED_AFTER_MS = 60 * 60_000;

export interface WhatIfReport {
  date: string;
  /** The rules the day was run with (the first doctor's), and the rules tried. */
  realPolicy: Policy;
  policy: Policy;
  real: Report;
  whatIf: Report;
  /** Per doctor: the tokens whose outcome would have changed, and what could not be replayed. */
  doctors: { doctorId: string; doctor: string; changes: TokenChange[]; skipped: string[] }[];
}

function checkDate(date: string, field: string, tz: string): void {
  try {
    localDayRange(date, tz);
  } catch (err) {
    if (err instanceof RangeError) throw new ServiceError('VALIDATION_FAILED', `${field}: ${err.message}`);
    throw err;
  }
}

export class ReportsDesk {
  private summing: Promise<number> | undefined;
  private closing = false;

  constructor(private readonly core: DeskCore) {}

  /** The report of the doctor-days from `from` to `to` (hospital-local dates, inclusive). */
  async report(from: string, to: string): Promise<Report> {
    const tz = this.core.tz;
    checkDate(from, 'from', tz);
    checkDate(to, 'to', tz);
    if (to < from) throw new ServiceError('VALIDATION_FAILED', 'to: the range ends before it starts');
    const days = Math.round((localDayRange(to, 'UTC')[0] - localDayRange(from, 'UTC')[0]) / DAY_MS) + 1;
    if (days > MAX_REPORT_DAYS) throw new ServiceError('VALIDATION_FAILED', `to: a report covers at most ${MAX_REPORT_DAYS} days; this range has ${days}`);
    const store = this.core.store;
    const [stored, doctors] = await Promise.all([store.summaries.daysBetween(from, to), this.doctors()]);
    const stale = stored.filter((d) => d.summary === null || d.summary.version !== d.dayVersion || d.summary.format !== SUMMARY_FORMAT);
    const fresh = new Map<string, DaySummary>();
    // In batches: a cold month of a large hospital is millions of events, never all in memory at once.
    for (let i = 0; i < stale.length; i += SUM_BATCH) {
      for (const [key, summary] of await this.sum(stale.slice(i, i + SUM_BATCH))) fresh.set(key, summary);
    }
    const summed: SummarizedDay[] = [];
    for (const d of stored) {
      const doctor = doctors.get(d.doctorId);
      if (!doctor) continue;
      const summary = fresh.get(dayKeyOf(d)) ?? (JSON.parse(d.summary!.json) as DaySummary);
      summed.push({ doctor: { id: doctor.id, name: doctor.name, department: doctor.department }, date: d.date, summary });
    }
    return buildReport(summed, from, to, tz);
  }

  /**
   * Sums and stores every doctor-day of the last year (up to today) that has closed (no slot ending
   * less than CLOSED_AFTER_MS ago) and whose summary is missing or stale; returns how many. In small
   * batches, letting requests through between them. Safe on several servers at once: each stores
   * summaries stamped with the events they summed, and an older never replaces a newer. One run at a
   * time: a call while one is under way gets that run's answer.
   */
  summarizeClosedDays(): Promise<number> {
    if (this.summing) return this.summing;
    this.summing = (async () => {
      const now = this.core.nowMs();
      const today = localDate(now, this.core.tz);
      const store = this.core.store;
      const [stale, open] = await Promise.all([store.summaries.staleDays(firstDate(today, MAX_REPORT_DAYS), today, SUMMARY_FORMAT), store.daysWithSlotsEndingAfter(now - CLOSED_AFTER_MS)]);
      const openDays = new Set(open.map(dayKeyOf));
      const closed = stale.filter((d) => !openDays.has(dayKeyOf(d)));
      let summed = 0;
      for (let i = 0; i < closed.length && !this.closing; i += JOB_BATCH) {
        if (i > 0) await nextTurn();
        summed += (await this.sum(closed.slice(i, i + JOB_BATCH))).size;
      }
      return summed;
    })().finally(() => {
      this.summing = undefined;
    });
    return this.summing;
  }

  /** Stops the job between two batches, and resolves once a run under way has ended. */
  async close(): Promise<void> {
    this.closing = true;
    await this.summing?.catch(() => undefined);
  }

  /** Sums these doctor-days from their logs (read in one snapshot) and stores the summaries. */
  private async sum(keys: readonly DayKey[]): Promise<Map<string, DaySummary>> {
    const logs = await this.core.store.summaries.dayLogs(keys);
    const out = new Map<string, DaySummary>();
    const writes: DaySummaryWrite[] = [];
    for (const d of keys) {
      const log = logs.get(dayKeyOf(d))!;
      const summary = summarizeDay(log);
      out.set(dayKeyOf(d), summary);
      // Stamped with the events actually read (the day may have grown since it was listed).
      writes.push({ doctorId: d.doctorId, date: d.date, version: log.length, format: SUMMARY_FORMAT, json: JSON.stringify(summary) });
    }
    await this.core.store.summaries.putSummaries(writes);
    return out;
  }

  /** A past day's doctor-days (all, or those named) replayed under the rules changed by `change`. */
  async whatIf(date: string, change: Partial<Policy>, doctorIds?: readonly string[]): Promise<WhatIfReport> {
    const tz = this.core.tz;
    checkDate(date, 'date', tz);
    if (date >= localDate(this.core.nowMs(), tz)) throw new ServiceError('VALIDATION_FAILED', 'date: a what-if replays a day that is over; choose a date before today');
    const doctors = await this.doctors();
    for (const id of doctorIds ?? []) if (!doctors.has(id)) throw new ServiceError('NOT_FOUND', `doctorId: there is no doctor ${id}`);
    const keys = (await this.core.store.summaries.daysBetween(date, date)).filter((d) => doctors.has(d.doctorId) && (doctorIds === undefined || doctorIds.includes(d.doctorId)));
    const logs = await this.core.store.summaries.dayLogs(keys);
    const real: SummarizedDay[] = [];
    const replayed: SummarizedDay[] = [];
    const perDoctor: WhatIfReport['doctors'] = [];
    let first: WhatIfDay | null = null;
    const fallback = this.core.defaultPolicy ?? DEFAULT_POLICY;
    for (const key of keys) {
      const doctor = doctors.get(key.doctorId)!;
      const day = whatIfDay({ doctorId: doctor.id, date, code: doctor.code }, logs.get(dayKeyOf(key))!, change, fallback);
      first ??= day;
      const who = { id: doctor.id, name: doctor.name, department: doctor.department };
      real.push({ doctor: who, date, summary: day.real });
      replayed.push({ doctor: who, date, summary: day.whatIf });
      perDoctor.push({ doctorId: doctor.id, doctor: doctor.name, changes: day.changes, skipped: day.skipped });
    }
    const realPolicy = first?.realPolicy ?? fallback;
    return {
      date,
      realPolicy,
      policy: first?.policy ?? { ...realPolicy, ...change },
      real: buildReport(real, date, date, tz),
      whatIf: buildReport(replayed, date, date, tz),
      doctors: perDoctor,
    };
  }

  private async doctors(): Promise<Map<string, DoctorRecord>> {
    return new Map((await this.core.store.listDoctors()).map((d) => [d.id, d]));
  }
}
