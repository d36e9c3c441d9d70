// The result of `opd simulate` as one plain object: what `--json` prints, what the HTML report embeds
// and what the terminal renders. Keys are built in a fixed order and times are ISO 8601 with the
// hospital's offset, so the same run always serialises to the same bytes.

import { canonicalPolicy, tokenView, type Policy, type Source, type TokenStatus } from '../engine/index.ts';
import type { DayInputs } from './generated-day.ts';
import { formatIso, formatOffset, formatRange } from '../time/local-time.ts';
import { DEFINITIONS, type Metrics } from './metrics.ts';
import type { EntryKind } from './narrate.ts';
import type { PolicyRun, SimulateOptions, SimulationOutput } from './simulate.ts';
import { COMPARE_METRICS, GOAL_METRIC, type Goal, type MetricKey, type SeededComparison, type SeededPolicy } from './compare-seeds.ts';
import type { DayPlan } from './plan.ts';
import { alikePolicies, recommend, type Alike, type Recommendation } from './recommend.ts';

export interface SimulationHeader {
  scenario: string;
  date: string;
  timeZone: string;
  utcOffset: string;
  /** null for the scripted scenario. */
  seed: number | null;
  doctors: number;
  startsAt: string;
  endsAt: string;
}

export interface DoctorRow {
  id: string;
  code: string;
  name: string;
  department: string;
  slots: { time: string; capacity: number }[];
}

export interface TokenRow {
  doctor: string;
  number: string;
  id: string;
  source: Source;
  patient: string;
  status: TokenStatus;
  /** The seat it holds or held; null when it never had one at the end. */
  slot: string | null;
  bumps: number;
  skips: number;
  estimatedAt: string | null;
}

export interface TimelineRow {
  at: string;
  time: string;
  doctor: string;
  kind: EntryKind;
  text: string;
}

export type MetricsJson = Omit<Metrics, 'invariants'> & {
  invariants: { checks: number; violations: number; problems: { at: string; doctor: string; command: string; problem: string }[] };
};

export interface SingleReport {
  mode: 'single';
  simulation: SimulationHeader;
  inputs: DayInputs | null;
  policy: Policy;
  doctors: DoctorRow[];
  definitions: typeof DEFINITIONS;
  metrics: MetricsJson;
  /** Present with the timeline (the scripted day, or `--timeline`). */
  timeline?: TimelineRow[];
  tokens?: TokenRow[];
}

export interface CompareReport {
  mode: 'compare';
  simulation: SimulationHeader;
  inputs: DayInputs | null;
  doctors: DoctorRow[];
  /** What the recommendation aims at. */
  goal: Goal;
  /** The key of the row the goal is about. */
  goalMetric: MetricKey;
  /** The seeds of the days compared (seed, seed+1, …). */
  seeds: number[];
  /** Key of the policy in force, which every difference is measured from. */
  baseline: string;
  /** The rows: what each number is, and which way is better. */
  metrics: { key: MetricKey; label: string; unit: string; better: 'low' | 'high' | null }[];
  policies: SeededPolicy[];
  /** Policies that came out identical on every day, and why. */
  alike: Alike[];
  recommendation: Recommendation;
}

export type Report = SingleReport | CompareReport;

function headerOf(plan: DayPlan, options: SimulateOptions, endedAt: number): { simulation: SimulationHeader; inputs: DayInputs | null; doctors: DoctorRow[] } {
  const tz = plan.timeZone;
  const simulation: SimulationHeader = {
    scenario: plan.scenario,
    date: plan.date,
    timeZone: tz,
    utcOffset: formatOffset(plan.startAt, tz),
    seed: plan.scenario === 'generated' ? options.seed : null,
    doctors: plan.doctors.length,
    startsAt: formatIso(plan.startAt, tz),
    endsAt: formatIso(endedAt, tz),
  };
  const inputs = plan.scenario === 'generated' ? { ...options.inputs } : null;
  const doctors = plan.doctors.map((d) => ({
    id: d.doctor.id,
    code: d.doctor.code,
    name: d.doctor.name,
    department: d.doctor.department,
    slots: d.slots.map((s) => ({ time: formatRange(s.start, s.end, tz), capacity: s.capacity })),
  }));
  return { simulation, inputs, doctors };
}

/** `--compare --seeds N`: every policy over the same days, with intervals, likenesses and a recommendation. */
export function buildCompareReport(options: SimulateOptions, c: SeededComparison, goal: Goal): CompareReport {
  return {
    mode: 'compare',
    ...headerOf(c.firstDay.plan, options, c.firstDay.endedAt),
    goal,
    goalMetric: GOAL_METRIC[goal].metric,
    seeds: c.seeds,
    baseline: c.baseline,
    metrics: COMPARE_METRICS.map((m) => ({ key: m.key, label: m.label, unit: m.unit, better: m.better })),
    policies: c.policies.map((p) => ({ ...p, policy: canonicalPolicy(p.policy) })),
    alike: alikePolicies(c),
    recommendation: recommend(c, goal),
  };
}

/** One day under one policy (`simulate` without `compare`). */
export function buildReport(output: SimulationOutput): SingleReport {
  const { options, plan } = output;
  const tz = plan.timeZone;
  const first = output.runs[0]!;
  const { simulation, inputs, doctors } = headerOf(plan, options, first.run.endedAt);
  const report: SingleReport = {
    mode: 'single',
    simulation,
    inputs,
    policy: canonicalPolicy(first.policy),
    doctors,
    definitions: DEFINITIONS,
    metrics: metricsJson(first.metrics, tz),
  };
  if (first.timeline) {
    report.timeline = first.timeline.map((e) => ({ at: formatIso(e.at, tz), time: e.time, doctor: e.doctor, kind: e.kind, text: e.text }));
    report.tokens = tokenRows(output, first);
  }
  return report;
}

function metricsJson(m: Metrics, tz: string): MetricsJson {
  return {
    ...m,
    invariants: {
      checks: m.invariants.checks,
      violations: m.invariants.violations,
      problems: m.invariants.problems.map((p) => ({ at: formatIso(p.at, tz), doctor: p.doctor, command: p.command, problem: p.problem })),
    },
  };
}

/** Every token of the day, per doctor in plan order, by token number: the final table. */
function tokenRows(output: SimulationOutput, run: PolicyRun): TokenRow[] {
  const tz = output.plan.timeZone;
  const rows: TokenRow[] = [];
  run.run.days.forEach((day, i) => {
    const code = output.plan.doctors[i]!.doctor.code;
    // The engine carries only the simulator's patient id as its key: the name comes from the plan.
    const names = new Map(output.plan.doctors[i]!.patients.map((p) => [p.patientId, p.name]));
    const tokens = [...day.tokens.values()].sort((a, b) => a.number - b.number);
    for (const t of tokens) {
      const view = tokenView(day, t);
      const slot = t.slotId === null ? undefined : day.slotById.get(t.slotId);
      rows.push({
        doctor: code,
        number: t.label,
        id: t.id,
        source: t.source,
        patient: names.get(t.patientKey ?? '') ?? t.patientKey ?? '',
        status: t.status,
        slot: slot && t.status !== 'WAITLISTED' && t.status !== 'EXPIRED' ? formatRange(slot.start, slot.end, tz) : null,
        bumps: t.bumps,
        skips: t.skips,
        estimatedAt: view.estimatedAt === null ? null : formatIso(view.estimatedAt, tz),
      });
    }
  });
  return rows;
}

/** `09:15` from an ISO time with offset: the wall-clock part is already hospital-local. */
export const clockOf = (iso: string | null): string => (iso === null ? '—' : iso.slice(11, 16));
