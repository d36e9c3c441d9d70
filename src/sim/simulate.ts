// `opd simulate` without the command line: build the day's plan, run it under one policy or under
// each policy of the comparison, and hand back everything the renderers need.

import { canonicalPolicy, type Policy, type PreemptionMode } from '../engine/index.ts';
import { assignmentDay } from './assignment-day.ts';
import { generateDay, type DayInputs } from './generated-day.ts';
import { MetricsCollector, type Metrics } from './metrics.ts';
import { Narrator, type TimelineEntry } from './narrate.ts';
import type { DayPlan } from './plan.ts';
import { runDay, type DayRun } from './runner.ts';

export type Scenario = 'assignment-day' | 'generated';

export interface SimulateOptions {
  scenario: Scenario;
  /** Generated day only. */
  doctors: number;
  seed: number;
  /** Date, zone and everything else about a generated day (the scripted day uses date and zone). */
  inputs: DayInputs;
  policy: Policy;
  compare: boolean;
  /** Keep the narrated timeline (and the final token table). */
  timeline: boolean;
}

export interface PolicyRun {
  key: string;
  label: string;
  policy: Policy;
  run: DayRun;
  metrics: Metrics;
  timeline: TimelineEntry[] | null;
}

export interface SimulationOutput {
  options: SimulateOptions;
  plan: DayPlan;
  runs: PolicyRun[];
}

export interface ComparedPolicy {
  key: string;
  label: string;
  policy: Policy;
}

/**
 * The policies of `--compare`: each preemption mode with aging on (the given interval, default 45 min)
 * and off; every other rule as in the given policy, so the columns differ in exactly these two knobs.
 */
export function comparedPolicies(base: Policy): ComparedPolicy[] {
  const aging = base.agingMinutes ?? 45;
  const modes: PreemptionMode[] = ['strict-priority', 'emergency-only', 'off'];
  const out: ComparedPolicy[] = [];
  for (const preemption of modes) {
    for (const agingMinutes of [aging, null]) {
      out.push({
        key: `${preemption}/${agingMinutes === null ? 'no-aging' : `aging-${agingMinutes}`}`,
        label: `${preemption === 'off' ? 'no preemption' : preemption}, ${agingMinutes === null ? 'no aging' : `aging ${agingMinutes} min`}`,
        policy: canonicalPolicy({ ...base, preemption, agingMinutes }),
      });
    }
  }
  return out;
}

export function planFor(options: SimulateOptions): DayPlan {
  return options.scenario === 'assignment-day'
    ? assignmentDay(options.inputs.date, options.inputs.timeZone)
    : generateDay(options.inputs, options.seed, options.doctors);
}

/** Runs the day. `onProgress` gets (policies done + fraction of the current one, policies). */
export function simulate(options: SimulateOptions, onProgress?: (done: number, total: number) => void): SimulationOutput {
  const plan = planFor(options);
  const policies = options.compare
    ? comparedPolicies(options.policy)
    : [{ key: options.policy.preemption, label: 'policy', policy: canonicalPolicy(options.policy) }];
  const runs = policies.map((p, i): PolicyRun => {
    const metrics = new MetricsCollector(plan);
    const narrator = options.timeline && !options.compare ? new Narrator(plan) : null;
    const run = runDay(plan, {
      policy: p.policy,
      observers: narrator ? [metrics, narrator] : [metrics],
      onProgress: onProgress && ((done, total) => onProgress(i + done / total, policies.length)),
    });
    return { ...p, run, metrics: metrics.finish(run), timeline: narrator?.entries ?? null };
  });
  return { options, plan, runs };
}
