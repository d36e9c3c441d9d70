import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeDay } from './day-summary.ts';
import { buildReport, waitFigures } from './report.ts';
import { SMALL_DAY_DATE, at, smallDayLog } from '../../test/kits/reports/small-day.ts';

const GM = { id: 'doc-1', name: 'Dr Rao', department: 'General medicine' };
const OR = { id: 'doc-2', name: 'Dr Iyer', department: 'Orthopaedics' };

describe('reports: the small day, worked by hand (small-day.ts)', () => {
  const summary = summarizeDay(smallDayLog());

  it('tokens by source and outcome', () => {
    expect(summary.tokens).toEqual({
      PAID: { seen: 1 },
      ONLINE: { seen: 1, cancelled: 1, noShow: 1 },
      WALKIN: { seen: 2 },
    });
  });

  it('waits from check-in to call, in seconds, by source', () => {
    // C 09:02→09:05, A 09:00→09:21, B 10:00→10:10, E 10:04→10:31
    expect(summary.waits).toEqual({ PAID: [180], ONLINE: [21 * 60], WALKIN: [600, 27 * 60] });
  });

  it("the doctor's first call, last patient and overtime past the last slot", () => {
    expect(summary.firstCall).toBe(at('09:05'));
    expect(summary.lastPatient).toBe(at('11:20'));
    expect(summary.lastSlotEnd).toBe(at('11:00'));
    expect(summary.overtimeMs).toBe(20 * 60_000);
  });

  it('seats used per slot; one bumped, one promoted, none moved', () => {
    expect(summary.slots).toEqual([
      { start: at('09:00'), end: at('10:00'), capacity: 2, used: 2 },
      { start: at('10:00'), end: at('11:00'), capacity: 3, used: 2 },
    ]);
    expect([summary.bumped, summary.promoted, summary.moved]).toEqual([1, 1, 0]);
  });

  it('the report of the day: rates, median, p90, longest (minutes)', () => {
    const report = buildReport([{ doctor: GM, date: SMALL_DAY_DATE, summary }], SMALL_DAY_DATE, SMALL_DAY_DATE, 'UTC');
    const row = report.doctors[0]!;
    expect(row).toMatchObject({ key: 'doc-1', label: 'Dr Rao', tokens: 6, seen: 4, noShows: 1, cancelled: 1, noShowRate: 0.167, cancellationRate: 0.167 });
    // all waits 3, 10, 21, 27: median (10 + 21) / 2, p90 the 4th of 4
    expect(row.waits.ALL).toEqual({ patients: 4, median: 15.5, p90: 27, longest: 27 });
    expect(row.waits.WALKIN).toEqual({ patients: 2, median: 18.5, p90: 27, longest: 27 });
    expect(row.waits.EMERGENCY).toEqual({ patients: 0, median: null, p90: null, longest: null });
    expect(row).toMatchObject({ overtimeMinutes: 20, overtimeDays: 1, seatsOffered: 5, seatsUsed: 4, bumped: 1, moved: 0, promoted: 1 });
    expect(report.doctorDays).toEqual([
      { doctorId: 'doc-1', doctor: 'Dr Rao', department: 'General medicine', date: SMALL_DAY_DATE, firstCall: '09:05', lastPatient: '11:20', lastSlotEnd: '11:00', overtimeMinutes: 20, seen: 4, seatsOffered: 5, seatsUsed: 4 },
    ]);
    expect(report.slotHours).toEqual([
      { department: 'General medicine', hours: '09:00–10:00', slots: 1, seatsOffered: 2, seatsUsed: 2 },
      { department: 'General medicine', hours: '10:00–11:00', slots: 1, seatsOffered: 3, seatsUsed: 2 },
    ]);
  });

  it('adds days up per doctor, per department and for the hospital', () => {
    const report = buildReport(
      [
        { doctor: GM, date: '2026-01-05', summary },
        { doctor: GM, date: '2026-01-06', summary },
        { doctor: OR, date: '2026-01-05', summary },
      ],
      '2026-01-05',
      '2026-01-06',
      'UTC',
    );
    expect(report.departments.map((d) => [d.label, d.days, d.tokens, d.seen])).toEqual([
      ['General medicine', 2, 12, 8],
      ['Orthopaedics', 1, 6, 4],
    ]);
    expect(report.hospital).toMatchObject({ days: 3, tokens: 18, overtimeMinutes: 60, overtimeDays: 3 });
    // the hospital's 12 waits: 3,3,3, 10,10,10, 21,21,21, 27,27,27 → median 15.5, p90 the 11th → 27
    expect(report.hospital.waits.ALL).toEqual({ patients: 12, median: 15.5, p90: 27, longest: 27 });
    expect(report.slotHours.find((s) => s.department === 'General medicine' && s.hours === '10:00–11:00')).toEqual({
      department: 'General medicine',
      hours: '10:00–11:00',
      slots: 2,
      seatsOffered: 6,
      seatsUsed: 4,
    });
  });

  it('percentiles: odd count, nearest rank, none', () => {
    expect(waitFigures([60, 120, 600])).toEqual({ patients: 3, median: 2, p90: 10, longest: 10 });
    // ten values: p90 is the 9th (ceil(0.9 × 10) = 9)
    expect(waitFigures([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => m * 60)).p90).toBe(9);
    expect(waitFigures([])).toEqual({ patients: 0, median: null, p90: null, longest: null });
  });

  it('percentiles of waits in any order are those of the waits sorted (selection, not sorting)', () => {
    const minutes = (s: number) => Math.round((s / 60) * 10) / 10;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 300 }), (waits) => {
        // The definition, on a sorted copy: the middle (two middles averaged), the ceil(0.9 n)-th, the last.
        const sorted = [...waits].sort((a, b) => a - b);
        const n = sorted.length;
        const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
        expect(waitFigures(Float64Array.from(waits))).toEqual({ patients: n, median: minutes(median), p90: minutes(sorted[Math.ceil(0.9 * n) - 1]!), longest: minutes(sorted[n - 1]!) });
      }),
      { numRuns: 500 },
    );
  });

  it('carries no patient name, phone or id', () => {
    expect(JSON.stringify(summary)).not.toMatch(/"name"|phone|"A"|"B"/);
  });
});
