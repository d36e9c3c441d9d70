// The words at the end of `opd simulate --compare --seeds N`: which policies came out the same on
// every day and why, and a plain recommendation for the administrator's goal that calls a difference
// real only when it is larger than the noise between days.

import type { PreemptionMode } from '../engine/index.ts';
import { COMPARE_METRICS, GOAL_METRIC, type Goal, type MetricKey, type SeededComparison, type SeededPolicy } from './compare-seeds.ts';
import type { Difference } from './stats.ts';
import { roundForPeople } from './words.ts';

export interface Alike {
  /** Labels of policies whose every number was the same on every day. */
  policies: string[];
  /** Why they could not differ, in plain words. */
  reasons: string[];
}

const metric = (key: MetricKey) => COMPARE_METRICS.find((m) => m.key === key)!;
const STRENGTH: Record<PreemptionMode, number> = { 'strict-priority': 2, 'emergency-only': 1, off: 0 };
const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** Groups of policies that came out identical on every row and every day, each with its reasons. */
export function alikePolicies(c: SeededComparison): Alike[] {
  const groups = new Map<string, SeededPolicy[]>();
  for (const p of c.policies) {
    const print = JSON.stringify(COMPARE_METRICS.map((m) => p.results[m.key].values));
    groups.set(print, [...(groups.get(print) ?? []), p]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => {
      const reasons = new Set<string>();
      for (const other of g.slice(1)) for (const r of whyAlike(g[0]!, other, c.seeds.length)) reasons.add(r);
      return { policies: g.map((p) => p.label), reasons: [...reasons] };
    });
}

function whyAlike(a: SeededPolicy, b: SeededPolicy, n: number): string[] {
  const out: string[] = [];
  if (a.policy.preemption !== b.policy.preemption) {
    const [more, less] = STRENGTH[a.policy.preemption] > STRENGTH[b.policy.preemption] ? [a, b] : [b, a];
    const bumps = more.totals.bumps;
    const overflow = more.totals.overflowSeats;
    if (less.policy.preemption === 'off' || bumps === 0) {
      const who = more.policy.preemption === 'emergency-only' ? 'no emergency' : 'no patient';
      out.push(
        `${more.policy.preemption} bumped nobody on any of the ${days(n)}: ${who} ever found a full slot holding someone they were allowed to bump` +
          (overflow > 0 ? ` (emergencies took the overflow seat kept for them ${overflow} time${overflow === 1 ? '' : 's'} instead)` : ''),
      );
    } else {
      out.push(
        `strict-priority bumped only where emergency-only would too (${bumps} time${bumps === 1 ? '' : 's'} in ${days(n)}): no paid, follow-up or online booking ever found a full slot holding a lower-priority patient who had not checked in`,
      );
    }
  }
  if (a.policy.agingMinutes !== b.policy.agingMinutes) {
    const aging = a.policy.agingMinutes !== null ? a : b;
    out.push(
      aging.totals.aged === 0
        ? `aging never applied: on none of the ${days(n)} did a patient wait ${aging.policy.agingMinutes} minutes behind higher priorities`
        : `aging moved waiting patients up ${aging.totals.aged} times in ${days(n)}, yet none of these numbers changed`,
    );
  }
  return out;
}

export interface Recommendation {
  goal: Goal;
  /** The recommended policy's key, or null when there is nothing to recommend over the one in force. */
  policy: string | null;
  /** Begins with `Recommendation:`. */
  text: string;
}

const GOAL_WORDS: Record<Goal, string> = {
  'fair-walk-ins': 'shorter waits for walk-ins',
  'fewest-expired': 'fewer patients left without a seat',
  'least-overtime': 'less overtime for doctors',
};

/** Picks the policy best for the goal, and says whether it beats the policy in force by more than the noise. */
export function recommend(c: SeededComparison, goal: Goal): Recommendation {
  const { metric: key, tradeOffs } = GOAL_METRIC[goal];
  const n = c.seeds.length;
  const base = c.policies.find((p) => p.key === c.baseline)!;
  if (n < 2) {
    return { goal, policy: null, text: 'Recommendation: none yet. One day cannot tell a real difference from chance; compare over 20 days or more (--seeds 20).' };
  }
  const scored = c.policies.filter((p) => p.results[key].mean !== null);
  if (scored.length === 0) return { goal, policy: null, text: `Recommendation: none. No day had anything to measure for ${GOAL_WORDS[goal]}.` };
  // Every goal is a number to lower (waits, patients without a seat, overtime).
  let best = scored[0]!;
  for (const p of scored) {
    const d = p.results[key].mean! - best.results[key].mean!;
    if (d < 0 || (d === 0 && p.key === c.baseline)) best = p;
  }
  if (best.key === c.baseline) {
    return { goal, policy: null, text: `Recommendation: keep ${base.label}, the policy in force. No other policy gave ${GOAL_WORDS[goal]} over the ${days(n)}.` };
  }
  const diff = best.versusBaseline![key];
  if (!diff.beyondNoise) {
    return {
      goal,
      policy: null,
      text:
        `Recommendation: keep ${base.label}, the policy in force. No policy is shown to give ${GOAL_WORDS[goal]}: ` +
        `under the best alternative, ${best.label}, ${describe(key, diff)}, within the noise between days.`,
    };
  }
  const costs = tradeOffs
    .map((k) => ({ k, d: best.versusBaseline![k] }))
    .filter(({ k, d }) => d.beyondNoise && worse(k, d))
    .slice(0, 2)
    .map(({ k, d }) => describe(k, d));
  return {
    goal,
    policy: best.key,
    text:
      `Recommendation: ${best.label}. Compared with ${base.label} (in force) over ${days(n)}: ${describe(key, diff)}` +
      (costs.length > 0 ? `; but ${costs.join(', ')}.` : '; nothing else it was weighed on got worse beyond the noise.'),
  };
}

function worse(key: MetricKey, d: Difference): boolean {
  const better = metric(key).better;
  return better === 'low' ? d.mean! > 0 : better === 'high' ? d.mean! < 0 : false;
}

/** "walk-ins wait 7 min less at p90 (±2)": a difference from the baseline, in words. */
export function describe(key: MetricKey, d: Difference): string {
  const x = roundForPeople(Math.abs(d.mean ?? 0));
  const pm = d.halfWidth === null ? '' : ` (±${roundForPeople(d.halfWidth)})`;
  const up = (d.mean ?? 0) > 0;
  const waits: Partial<Record<MetricKey, string>> = {
    walkinP90: 'walk-ins',
    onlineP90: 'online bookings',
    followupP90: 'follow-up patients',
    paidP90: 'paid patients',
    emergencyP90: 'emergencies',
  };
  if (waits[key]) return `${waits[key]} wait ${x} min ${up ? 'more' : 'less'} at p90${pm}`;
  switch (key) {
    case 'expired':
      return `${x} ${up ? 'more' : 'fewer'} patients a day never get a seat${pm}`;
    case 'seen':
      return `${x} ${up ? 'more' : 'fewer'} patients seen a day${pm}`;
    case 'overtimeMean':
      return `doctors finish ${x} min ${up ? 'later' : 'earlier'} on average${pm}`;
    default:
      return `${metric(key).label.toLowerCase()} ${up ? '+' : '−'}${x}${pm}`;
  }
}
