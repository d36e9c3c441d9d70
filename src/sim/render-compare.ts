// `--compare --seeds N` at the terminal: one column per policy, one row per number a hospital would
// weigh, each the mean over the N days ± its 95% interval, with an arrow where a policy differs from
// the one in force by more than the noise between days; then which policies came out alike and why,
// and the recommendation.

import type { Colors } from 'picocolors/types.js';
import type { Policy } from '../engine/index.ts';
import type { MetricKey } from './compare-seeds.ts';
import type { CompareReport } from './report.ts';
import { header, heading, policyLine, table } from './render-terminal.ts';
import { roundForPeople } from './words.ts';

/** `87.5 ±1.2`, `—` with no value, no ± from one day. */
export function cellText(report: CompareReport, policy: number, key: MetricKey): string {
  const r = report.policies[policy]!.results[key];
  if (r.mean === null) return '—';
  return r.halfWidth === null ? roundForPeople(r.mean) : `${roundForPeople(r.mean)} ±${roundForPeople(r.halfWidth)}`;
}

/** ↑ or ↓ when the policy differs from the one in force beyond the noise; and whether that is for the better. */
export function cellMark(report: CompareReport, policy: number, key: MetricKey): { arrow: '↑' | '↓'; better: boolean | null } | null {
  const d = report.policies[policy]!.versusBaseline?.[key];
  if (!d || !d.beyondNoise || d.mean === null) return null;
  const better = report.metrics.find((m) => m.key === key)!.better;
  const up = d.mean > 0;
  return { arrow: up ? '↑' : '↓', better: better === null ? null : (better === 'high') === up };
}

export function columnLabel(report: CompareReport, i: number): string {
  const p = report.policies[i]!;
  return p.key === report.baseline ? `${p.label} (in force)` : p.label;
}

export function renderCompare(report: CompareReport, c: Colors, verbose = false): string {
  const n = report.seeds.length;
  const head = ['', ...report.policies.map((_, i) => columnLabel(report, i).replace(', ', '\n'))];
  const rows = report.metrics.map((m) => [
    m.label,
    ...report.policies.map((_, i) => {
      const text = cellText(report, i, m.key);
      const mark = cellMark(report, i, m.key);
      if (!mark) return `${text}  `;
      const colour = mark.better === null ? (s: string) => s : mark.better ? (s: string) => c.green(c.bold(s)) : c.red;
      return colour(`${text} ${mark.arrow}`);
    }),
  ]);
  const base = report.policies[0]!.policy;
  const days =
    report.simulation.scenario === 'generated'
      ? `${n} day${n === 1 ? '' : 's'} (seeds ${report.seeds[0]}${n > 1 ? `–${report.seeds[n - 1]}` : ''})`
      : 'the scripted day';
  const out = [
    header(report, c),
    c.dim(`Each policy on the same ${days}; all else alike: ${sharedRules(base)}`),
    heading('Policies side by side', c),
    table(head, rows, c),
    c.dim(
      n > 1
        ? `Each number is the average of ${n} days ± its 95% interval. ↑ ↓: higher or lower than the policy in force by more than the noise between days (green: better, red: worse).`
        : 'One day: no interval, and no way to tell a real difference from chance.',
    ),
    c.dim('9 in 10 within (p90): 9 in 10 patients were called within this many minutes of checking in. Never got a seat: waited all day for one.'),
    c.dim('Counts are per day, all doctors together. Overtime: minutes a doctor worked past the end of the last slot.'),
  ];
  if (report.alike.length > 0) {
    out.push(heading('Policies that came out the same', c));
    for (const a of report.alike) out.push(`${a.policies.join(' = ')}:`, ...a.reasons.map((r) => `  ${r}.`));
  }
  out.push('', c.bold(report.recommendation.text));
  if (verbose) {
    out.push(heading('For developers', c));
    for (const p of report.policies) {
      out.push(`${p.key}: engine rules checked after every command, ${p.totals.invariantViolations} broken; ${p.totals.bumps} bumps, ${p.totals.aged} aging steps, ${p.totals.overflowSeats} overflow seats`);
    }
  }
  return out.join('\n') + '\n';
}

/** The policy line without the two knobs the columns vary. */
function sharedRules(p: Policy): string {
  return policyLine(p)
    .split(' · ')
    .filter((part) => !part.startsWith('preemption') && !part.startsWith('aging'))
    .join(' · ');
}
