// `--compare` at the terminal: one column per policy, one row per number a hospital would weigh.
// Where a row has a better direction, its best value is highlighted, so the table reads at a glance.

import type { Colors } from 'picocolors/types.js';
import { SOURCES, type Policy } from '../engine/index.ts';
import type { CompareReport, MetricsJson } from './report.ts';
import { header, heading, minutes, percent, policyLine, sourceColour, table } from './render-terminal.ts';

type Better = 'low' | 'high' | null;

interface Row {
  label: string;
  /** The number that decides "best", or null when there is none. */
  value: (m: MetricsJson) => number | null;
  show: (m: MetricsJson) => string;
  better: Better;
}

const count = (label: string, value: (m: MetricsJson) => number, better: Better): Row => ({ label, value, show: (m) => String(value(m)), better });

const waitRow = (source: (typeof SOURCES)[number]): Row => ({
  label: `${source} wait median / p90`,
  value: (m) => m.waits.bySource[source].p90Minutes,
  show: (m) => {
    const w = m.waits.bySource[source];
    return w.count === 0 ? '—' : `${w.medianMinutes} / ${w.p90Minutes}`;
  },
  better: 'low',
});

const ROWS: Row[] = [
  count('Patients seen', (m) => m.tokens.byOutcome.COMPLETED, 'high'),
  count('Expired unseated', (m) => m.tokens.byOutcome.EXPIRED, 'low'),
  count('No-shows', (m) => m.noShows.total, null),
  count('Cancelled', (m) => m.tokens.byOutcome.CANCELLED, null),
  count('Bumps', (m) => m.bumps.total, 'low'),
  count('  bumped to the waitlist', (m) => m.bumps.toWaitlist, 'low'),
  count('Promotions from waitlist', (m) => m.promotions.total, null),
  count('Emergency overflow seats', (m) => m.overflowSeats, null),
  {
    label: 'Seat utilisation',
    value: (m) => m.seats.overall.utilisation,
    show: (m) => percent(m.seats.overall.utilisation),
    better: 'high',
  },
  ...SOURCES.map(waitRow),
  {
    label: 'All waits median / p90',
    value: (m) => m.waits.all.p90Minutes,
    show: (m) => `${m.waits.all.medianMinutes ?? '—'} / ${m.waits.all.p90Minutes ?? '—'}`,
    better: 'low',
  },
  {
    label: 'Longest wait',
    value: (m) => m.longestWait?.minutes ?? null,
    show: (m) => (m.longestWait ? `${minutes(m.longestWait.minutes)} ${m.longestWait.token}` : '—'),
    better: 'low',
  },
  {
    label: 'Doctor overtime, longest',
    value: (m) => m.overtime.maxMinutes,
    show: (m) => minutes(m.overtime.maxMinutes),
    better: 'low',
  },
  count('Refused commands', (m) => m.refusals.total, null),
  {
    label: 'Invariant checks / violations',
    value: (m) => m.invariants.violations,
    show: (m) => `${m.invariants.checks} / ${m.invariants.violations}`,
    better: null,
  },
];

/** The comparison table; waits are minutes from check-in to call. */
export function renderCompare(report: CompareReport, c: Colors): string {
  const policies = report.policies;
  const head = ['', ...policies.map((p) => p.label.replace(', ', '\n'))];
  const rows = ROWS.map((row) => {
    const values = policies.map((p) => row.value(p.metrics));
    const present = values.filter((v): v is number => v !== null);
    const best = row.better === null || present.length === 0 ? null : row.better === 'low' ? Math.min(...present) : Math.max(...present);
    const spread = present.length > 0 && Math.min(...present) !== Math.max(...present);
    const label = SOURCES.some((s) => row.label.startsWith(s)) ? sourceColour(row.label.split(' ')[0] as (typeof SOURCES)[number], c)(row.label) : row.label;
    return [
      label,
      ...policies.map((p, i) => {
        const text = row.show(p.metrics);
        return spread && best !== null && values[i] === best ? c.green(c.bold(text)) : text;
      }),
    ];
  });
  const base = policies[0]!.policy;
  return [
    header(report, c),
    c.dim(`The same day under ${policies.length} policies; all else alike: ${sharedRules(base)}`),
    heading('Policies side by side', c),
    table(head, rows, c),
    c.dim('Waits are minutes from check-in to call (median / p90). The best value of a row is highlighted when the policies differ.'),
    '',
  ].join('\n');
}

/** The policy line without the two knobs the columns vary. */
function sharedRules(p: Policy): string {
  return policyLine(p)
    .split(' · ')
    .filter((part) => !part.startsWith('preemption') && !part.startsWith('aging'))
    .join(' · ');
}
