// The reports in an administrator's words: sources and outcomes as the hospital says them, and the
// rows of a side-by-side comparison (what happened, what if). Shared by the terminal (opd simulate
// --from-log) and, for the words, the web view.

import { SOURCES } from '../engine/index.ts';
import { SOURCE_WORDS } from '../shared/vocabulary.ts';
import type { Outcome } from './day-summary.ts';
import type { ReportRow, WaitFigures } from './report.ts';

export { SOURCE_WORDS };

export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  seen: 'seen',
  noShow: 'did not come',
  cancelled: 'cancelled',
  expired: 'got no seat',
  open: 'not finished',
};

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
const mins = (m: number | null) => (m === null ? '–' : `${m} min`);
const signed = (d: number, unit = '') => (d === 0 ? 'same' : `${d > 0 ? '+' : '−'}${Math.round(Math.abs(d) * 10) / 10}${unit}`);

/** One line of a comparison: what it is, the two values in words, and the change. */
export type CompareRow = [label: string, real: string, whatIf: string, change: string];

function countRow(label: string, a: number, b: number): CompareRow {
  return [label, String(a), String(b), signed(b - a)];
}

function waitRows(label: string, a: WaitFigures, b: WaitFigures): CompareRow[] {
  if (a.patients === 0 && b.patients === 0) return [];
  const diff = (x: number | null, y: number | null) => (x === null || y === null ? '–' : signed(y - x, ' min'));
  return [
    [`${label}: median wait`, mins(a.median), mins(b.median), diff(a.median, b.median)],
    [`${label}: 9 in 10 waited at most`, mins(a.p90), mins(b.p90), diff(a.p90, b.p90)],
    [`${label}: longest wait`, mins(a.longest), mins(b.longest), diff(a.longest, b.longest)],
  ];
}

/** The rows of the comparison of two reports of the same doctor-days. */
export function compareRows(a: ReportRow, b: ReportRow): CompareRow[] {
  const outcome = (r: ReportRow, o: Outcome) => SOURCES.reduce((n, s) => n + r.bySource[s][o], 0);
  const rows: CompareRow[] = [
    countRow('Tokens', a.tokens, b.tokens),
    countRow('Patients seen', a.seen, b.seen),
    countRow('Did not come', a.noShows, b.noShows),
    countRow('Cancelled', a.cancelled, b.cancelled),
    countRow('Got no seat', outcome(a, 'expired'), outcome(b, 'expired')),
    countRow('Not finished', outcome(a, 'open'), outcome(b, 'open')),
    ['No-show rate', percent(a.noShowRate), percent(b.noShowRate), a.noShowRate === b.noShowRate ? 'same' : signed((b.noShowRate - a.noShowRate) * 100, ' points')],
    ...waitRows('Everyone', a.waits.ALL, b.waits.ALL),
  ];
  for (const s of SOURCES) rows.push(...waitRows(SOURCE_WORDS[s], a.waits[s], b.waits[s]));
  rows.push(
    [`Overtime (minutes past the last slot)`, String(a.overtimeMinutes), String(b.overtimeMinutes), signed(b.overtimeMinutes - a.overtimeMinutes, ' min')],
    countRow('Seats used', a.seatsUsed, b.seatsUsed),
    countRow('Gave up their seat to a more urgent patient', a.bumped, b.bumped),
    countRow('Moved to another slot or the waiting list', a.moved, b.moved),
    countRow('Got a seat from the waiting list', a.promoted, b.promoted),
  );
  return rows;
}
