// `opd simulate --compare --seeds N`: every compared policy on the same N seeded days (seed, seed+1,
// …), each metric as its mean over the days with a 95% interval, and each policy's day-by-day
// difference from the policy in force (the baseline), so that a difference is called real only when it
// is larger than the noise between days.

import { canonicalPolicy, type Millis, type Policy } from '../engine/index.ts';
import type { DayPlan } from './plan.ts';
import type { Metrics } from './metrics.ts';
import { MetricsCollector } from './metrics.ts';
import { runDay } from './runner.ts';
import { comparedPolicies, planFor, type SimulateOptions } from './simulate.ts';
import { meanInterval, pairedDifference, type Difference, type Interval } from './stats.ts';

export const GOALS = ['fair-walk-ins', 'fewest-expired', 'least-overtime'] as const;
export type Goal = (typeof GOALS)[number];

export type MetricKey =
  | 'seen'
  | 'expired'
  | 'noShows'
  | 'bumped'
  | 'emergencyP90'
  | 'paidP90'
  | 'followupP90'
  | 'onlineP90'
  | 'walkinP90'
  | 'walkinMedian'
  | 'allMedian'
  | 'longestWait'
  | 'overtimeMean'
  | 'overtimeMax'
  | 'seatsUsed';

export interface CompareMetric {
  key: MetricKey;
  /** For administrators, in the table. */
  label: string;
  /** Of one unit: "3 min", "2 patients", "4%". */
  unit: 'min' | 'patients' | 'times' | '%';
  better: 'low' | 'high' | null;
  value: (m: Metrics) => number | null;
}

const p90 = (source: keyof Metrics['waits']['bySource']) => (m: Metrics) => m.waits.bySource[source].p90Minutes;

/** The rows of the comparison, in the order they are shown. */
export const COMPARE_METRICS: readonly CompareMetric[] = [
  { key: 'seen', label: 'Patients seen', unit: 'patients', better: 'high', value: (m) => m.tokens.byOutcome.COMPLETED },
  { key: 'expired', label: 'Never got a seat', unit: 'patients', better: 'low', value: (m) => m.tokens.byOutcome.EXPIRED },
  { key: 'noShows', label: 'Booked, did not come', unit: 'patients', better: null, value: (m) => m.noShows.total },
  { key: 'bumped', label: 'Bumped for another patient', unit: 'times', better: 'low', value: (m) => m.bumps.total },
  { key: 'walkinP90', label: 'Walk-ins, 9 in 10 within (min)', unit: 'min', better: 'low', value: p90('WALKIN') },
  { key: 'walkinMedian', label: 'Walk-ins, typical wait (min)', unit: 'min', better: 'low', value: (m) => m.waits.bySource.WALKIN.medianMinutes },
  { key: 'onlineP90', label: 'Online, 9 in 10 within (min)', unit: 'min', better: 'low', value: p90('ONLINE') },
  { key: 'followupP90', label: 'Follow-ups, 9 in 10 within (min)', unit: 'min', better: 'low', value: p90('FOLLOWUP') },
  { key: 'paidP90', label: 'Paid, 9 in 10 within (min)', unit: 'min', better: 'low', value: p90('PAID') },
  { key: 'emergencyP90', label: 'Emergencies, 9 in 10 within (min)', unit: 'min', better: 'low', value: p90('EMERGENCY') },
  { key: 'allMedian', label: 'Everyone, typical wait (min)', unit: 'min', better: 'low', value: (m) => m.waits.all.medianMinutes },
  { key: 'longestWait', label: 'Longest wait (min)', unit: 'min', better: 'low', value: (m) => m.longestWait?.minutes ?? null },
  { key: 'overtimeMean', label: 'Overtime, average (min)', unit: 'min', better: 'low', value: (m) => m.overtime.meanMinutes },
  { key: 'overtimeMax', label: 'Overtime, longest (min)', unit: 'min', better: 'low', value: (m) => m.overtime.maxMinutes },
  {
    key: 'seatsUsed',
    label: 'Seats used (%)',
    unit: '%',
    better: 'high',
    value: (m) => (m.seats.overall.utilisation === null ? null : Math.round(m.seats.overall.utilisation * 1000) / 10),
  },
];

/** What each goal minimises or maximises, and the other numbers its recommendation weighs. */
export const GOAL_METRIC: Readonly<Record<Goal, { metric: MetricKey; tradeOffs: MetricKey[] }>> = {
  'fair-walk-ins': { metric: 'walkinP90', tradeOffs: ['paidP90', 'followupP90', 'onlineP90', 'emergencyP90', 'expired'] },
  'fewest-expired': { metric: 'expired', tradeOffs: ['walkinP90', 'seen', 'paidP90', 'overtimeMean'] },
  'least-overtime': { metric: 'overtimeMean', tradeOffs: ['seen', 'expired', 'walkinP90'] },
};

export interface MetricResult extends Interval {
  /** One value per day (null where the day had none, e.g. no paid patient). */
  values: (number | null)[];
}

export interface SeededPolicy {
  key: string;
  label: string;
  policy: Policy;
  results: Record<MetricKey, MetricResult>;
  /** This policy minus the baseline, day by day; null for the baseline itself. */
  versusBaseline: Record<MetricKey, Difference> | null;
  /** Totals over all days, to explain why policies came out alike. */
  totals: { bumps: number; aged: number; overflowSeats: number; emergencies: number; invariantViolations: number };
}

export interface SeededComparison {
  seeds: number[];
  /** The first day's plan, and when its run under the baseline ended (for the report's header). */
  firstDay: { plan: DayPlan; endedAt: Millis };
  /** Key of the policy in force (the one the flags describe). */
  baseline: string;
  policies: SeededPolicy[];
}

/** The compared policy that matches the given one, the baseline of every difference. */
export function baselineKey(policies: { key: string; policy: Policy }[], base: Policy): string {
  const want = canonicalPolicy(base);
  const match = policies.find((p) => p.policy.preemption === want.preemption && p.policy.agingMinutes === want.agingMinutes);
  return (match ?? policies[0]!).key;
}

/** Runs every compared policy on `seeds` days. `onProgress` gets (runs done + fraction, runs). */
export function compareSeeds(options: SimulateOptions, seeds: number, onProgress?: (done: number, total: number) => void): SeededComparison {
  const policies = comparedPolicies(options.policy);
  const days = options.scenario === 'generated' ? Array.from({ length: seeds }, (_, i) => options.seed + i) : [options.seed];
  const perPolicy = policies.map(() => ({ metrics: [] as Metrics[] }));
  const total = days.length * policies.length;
  const baseline = baselineKey(policies, options.policy);
  let firstDay: SeededComparison['firstDay'] | null = null;
  days.forEach((seed, d) => {
    const plan = planFor({ ...options, seed });
    policies.forEach((p, i) => {
      const collector = new MetricsCollector(plan);
      const run = runDay(plan, {
        policy: p.policy,
        observers: [collector],
        onProgress: onProgress && ((done, all) => onProgress(d * policies.length + i + done / all, total)),
      });
      perPolicy[i]!.metrics.push(collector.finish(run));
      if (d === 0 && p.key === baseline) firstDay = { plan, endedAt: run.endedAt };
    });
  });
  const results = perPolicy.map(({ metrics }) => resultsOf(metrics));
  const base = results[policies.findIndex((p) => p.key === baseline)]!;
  return {
    seeds: days,
    firstDay: firstDay!,
    baseline,
    policies: policies.map((p, i) => {
      const metrics = perPolicy[i]!.metrics;
      const mine = results[i]!;
      return {
        key: p.key,
        label: p.label,
        policy: p.policy,
        results: mine,
        versusBaseline:
          p.key === baseline
            ? null
            : (Object.fromEntries(COMPARE_METRICS.map((m) => [m.key, pairedDifference(mine[m.key].values, base[m.key].values)])) as Record<MetricKey, Difference>),
        totals: {
          bumps: sum(metrics.map((m) => m.bumps.total)),
          aged: sum(metrics.map((m) => m.aged)),
          overflowSeats: sum(metrics.map((m) => m.overflowSeats)),
          emergencies: sum(metrics.map((m) => m.tokens.bySource.EMERGENCY.issued)),
          invariantViolations: sum(metrics.map((m) => m.invariants.violations)),
        },
      };
    }),
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function resultsOf(metrics: Metrics[]): Record<MetricKey, MetricResult> {
  return Object.fromEntries(
    COMPARE_METRICS.map((m) => {
      const values = metrics.map(m.value);
      return [m.key, { ...meanInterval(values.filter((v): v is number => v !== null)), values }];
    }),
  ) as Record<MetricKey, MetricResult>;
}
