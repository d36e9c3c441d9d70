import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { summarizeDay } from '../reports/day-summary.ts';
import { buildReport } from '../reports/report.ts';
import { smallDayLog } from '../../test/kits/reports/small-day.ts';
import { DOCTOR_DAY_COLUMNS, SLOT_HOURS_COLUMNS, csvName, rowColumns, toCsv } from './report-csv.ts';

// The small day of test/kits/reports/small-day.ts, for a doctor whose name needs quoting in CSV.
const summary = summarizeDay(smallDayLog());
const report = buildReport([{ doctor: { id: 'doc-1', name: 'Rao, "Anil"', department: 'General medicine' }, date: '2026-01-05', summary }], '2026-01-05', '2026-01-05', 'UTC');
const parse = (csv: string) => Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;

describe('reports: CSV export of each table, read back with papaparse', () => {
  it('per doctor: the figures worked by hand, a name with a comma and quotes intact', () => {
    expect(parse(toCsv(rowColumns('Doctor'), report.doctors))).toEqual([
      ['Doctor', 'Tokens', 'Seen', 'Did not come', 'Cancelled', 'Median wait (min)', '9 in 10 within (min)', 'Longest wait (min)', 'Walk-in median wait (min)', 'Overtime (min)', 'Seats used', 'Gave up seat', 'Moved', 'From waiting list'],
      ['Rao, "Anil"', '6', '4', '16.7%', '16.7%', '15.5', '27', '27', '18.5', '20', '4 of 5', '1', '0', '1'],
    ]);
  });

  it('per doctor-day and per slot hours', () => {
    expect(parse(toCsv(DOCTOR_DAY_COLUMNS, report.doctorDays))).toEqual([
      ['Date', 'Doctor', 'Department', 'First call', 'Last patient done', 'Last slot ends', 'Overtime (min)', 'Seen', 'Seats used'],
      ['2026-01-05', 'Rao, "Anil"', 'General medicine', '09:05', '11:20', '11:00', '20', '4', '4 of 5'],
    ]);
    expect(parse(toCsv(SLOT_HOURS_COLUMNS, report.slotHours))).toEqual([
      ['Department', 'Slot', 'Slots', 'Seats offered', 'Seats used', 'Share used'],
      ['General medicine', '09:00–10:00', '1', '2', '2', '100%'],
      ['General medicine', '10:00–11:00', '1', '3', '2', '66.7%'],
    ]);
  });

  it('an empty table is its heading line; file names say the range', () => {
    expect(parse(toCsv(SLOT_HOURS_COLUMNS, []))).toEqual([['Department', 'Slot', 'Slots', 'Seats offered', 'Seats used', 'Share used']]);
    expect(csvName('doctors', '2026-03-01', '2026-03-31')).toBe('opd-doctors-2026-03-01-to-2026-03-31.csv');
    expect(csvName('doctors', '2026-03-10', '2026-03-10')).toBe('opd-doctors-2026-03-10.csv');
  });
});
