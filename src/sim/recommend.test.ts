import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../engine/index.ts';
import { COMPARE_METRICS, type MetricKey, type SeededComparison, type SeededPolicy } from './compare-seeds.ts';
import { alikePolicies, recommend } from './recommend.ts';
import { cellMark, cellText } from './render-compare.ts';
import type { CompareReport } from './report.ts';
import { comparedPolicies } from './simulate.ts';
import { meanInterval, pairedDifference } from './stats.ts';

interface Spec {
  key: string;
  values?: Partial<Record<MetricKey, number[]>>;
  totals?: Partial<SeededPolicy['totals']>;
}

const DAYS = 5;
const POLICIES = comparedPolicies(DEFAULT_POLICY);

/**
 * A comparison over 5 days made by hand: each policy's numbers per day, every other number 1 on
 * every day. The first policy is the one in force. (The interval arithmetic itself is checked in
 * stats.test.ts; here it only builds the input.)
 */
function comparison(specs: Spec[]): SeededComparison {
  const valuesOf = (s: Spec, key: MetricKey) => s.values?.[key] ?? Array<number>(DAYS).fill(1);
  const policies = specs.map((s): SeededPolicy => {
    const p = POLICIES.find((x) => x.key === s.key)!;
    return {
      ...p,
      results: Object.fromEntries(COMPARE_METRICS.map((m) => [m.key, { ...meanInterval(valuesOf(s, m.key)), values: valuesOf(s, m.key) }])) as SeededPolicy['results'],
      versusBaseline:
        s === specs[0]
          ? null
          : (Object.fromEntries(COMPARE_METRICS.map((m) => [m.key, pairedDifference(valuesOf(s, m.key), valuesOf(specs[0]!, m.key))])) as SeededPolicy['versusBaseline']),
      totals: { bumps: 0, aged: 0, overflowSeats: 0, emergencies: 0, invariantViolations: 0, ...s.totals },
    };
  });
  return { seeds: [1, 2, 3, 4, 5], firstDay: null as never, baseline: specs[0]!.key, policies };
}

const inForce = { key: 'strict-priority/aging-45', values: { walkinP90: [60, 70, 80, 90, 100], paidP90: [10, 10, 10, 10, 10] } };

describe('the recommendation', () => {
  it('picks the policy that beats the one in force by more than the noise, and names its cost', () => {
    // Differences from the policy in force, day by day: −10, −9, −11, −10, −10: mean −10,
    // s² = (0+1+1+0+0)/4 = 0.5, s/√5 = 0.31623, × t(4) 2.7764 = 0.878 → ±0.9.
    // Paid patients: +3 on every day (±0).
    const c = comparison([inForce, { key: 'emergency-only/aging-45', values: { walkinP90: [50, 61, 69, 80, 90], paidP90: [13, 13, 13, 13, 13] } }]);
    expect(recommend(c, 'fair-walk-ins')).toEqual({
      goal: 'fair-walk-ins',
      policy: 'emergency-only/aging-45',
      text:
        'Recommendation: emergency-only, aging 45 min. Compared with strict-priority, aging 45 min (in force) over 5 days: ' +
        'walk-ins wait 10 min less at p90 (±0.9); but paid patients wait 3 min more at p90 (±0).',
    });
  });

  it('keeps the policy in force when the best alternative is within the noise', () => {
    // Differences −5, +5, −2, +2, −5: mean −1, s² = (16+36+1+9+16)/4 = 19.5, s/√5 = 1.97484,
    // × 2.7764 = 5.483 → ±5.5, which holds zero.
    const c = comparison([inForce, { key: 'emergency-only/aging-45', values: { walkinP90: [55, 75, 78, 92, 95] } }]);
    expect(recommend(c, 'fair-walk-ins')).toEqual({
      goal: 'fair-walk-ins',
      policy: null,
      text:
        'Recommendation: keep strict-priority, aging 45 min, the policy in force. No policy is shown to give shorter waits for walk-ins: ' +
        'under the best alternative, emergency-only, aging 45 min, walk-ins wait 1 min less at p90 (±5.5), within the noise between days.',
    });
  });

  it('keeps the policy in force when nothing does better, and aims at the goal asked for', () => {
    const c = comparison([
      { key: 'strict-priority/aging-45', values: { expired: [2, 3, 2, 3, 2], walkinP90: [90, 90, 90, 90, 90] } },
      { key: 'off/aging-45', values: { expired: [4, 5, 4, 5, 4], walkinP90: [50, 50, 50, 50, 50] } },
    ]);
    expect(recommend(c, 'fewest-expired').text).toBe('Recommendation: keep strict-priority, aging 45 min, the policy in force. No other policy gave fewer patients left without a seat over the 5 days.');
    expect(recommend(c, 'fair-walk-ins').policy).toBe('off/aging-45');
  });

  it('makes none from one day', () => {
    const c = comparison([inForce, { key: 'off/no-aging', values: { walkinP90: [1, 1, 1, 1, 1] } }]);
    expect(recommend({ ...c, seeds: [1] }, 'fair-walk-ins').text).toMatch(/^Recommendation: none yet\. One day cannot tell/);
  });
});

describe('the marks in the table', () => {
  it('marks a number beyond the noise with its direction and whether it is better, and nothing within the noise', () => {
    const c = comparison([inForce, { key: 'emergency-only/aging-45', values: { walkinP90: [50, 61, 69, 80, 90], paidP90: [13, 13, 13, 13, 13], allMedian: [0, 2, 1, 3, 0] } }]);
    const report = { ...c, metrics: COMPARE_METRICS } as unknown as CompareReport;
    expect(cellMark(report, 1, 'walkinP90')).toEqual({ arrow: '↓', better: true });
    expect(cellMark(report, 1, 'paidP90')).toEqual({ arrow: '↑', better: false });
    // Differences −1, +1, 0, +2, −1 from 1 every day: within the noise.
    expect(cellMark(report, 1, 'allMedian')).toBeNull();
    expect(cellMark(report, 0, 'walkinP90')).toBeNull();
    // 60..100: mean 80, s² = 250, s/√5 = 7.0711, × 2.7764 = 19.63.
    expect(cellText(report, 0, 'walkinP90')).toBe('80 ±20');
    expect(cellText(report, 1, 'paidP90')).toBe('13 ±0');
  });
});

describe('policies that came out the same', () => {
  it('are named together, with why they could not differ', () => {
    const bumps = { bumped: [2, 1, 0, 3, 1] };
    const c = comparison([
      { key: 'strict-priority/aging-45', values: bumps, totals: { bumps: 7 } },
      { key: 'strict-priority/no-aging', values: bumps, totals: { bumps: 7 } },
      { key: 'emergency-only/aging-45', totals: { overflowSeats: 4 } },
      { key: 'off/aging-45', totals: { overflowSeats: 4 } },
    ]);
    expect(alikePolicies(c)).toEqual([
      {
        policies: ['strict-priority, aging 45 min', 'strict-priority, no aging'],
        reasons: ['aging never applied: on none of the 5 days did a patient wait 45 minutes behind higher priorities'],
      },
      {
        policies: ['emergency-only, aging 45 min', 'no preemption, aging 45 min'],
        reasons: [
          'emergency-only bumped nobody on any of the 5 days: no emergency ever found a full slot holding someone they were allowed to bump (emergencies took the overflow seat kept for them 4 times instead)',
        ],
      },
    ]);
  });

  it('finds none when every policy differs somewhere', () => {
    const c = comparison([inForce, { key: 'off/no-aging', values: { walkinP90: [60, 70, 80, 90, 101] } }]);
    expect(alikePolicies(c)).toEqual([]);
  });
});
