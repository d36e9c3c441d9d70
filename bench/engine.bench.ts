// `npm run bench`: how fast the allocation engine runs, printed and written to bench/RESULTS.md.
//   1. Throughput: a 1,000-doctor hospital day, commands per second (goal ≥ 100,000 on one core).
//   2. Scaling: one doctor-day at 100, 1,000 and 10,000 tokens, µs per command (goal: 10,000 ≤ 2 × 100).
// Single-threaded: everything runs on the main thread, so it uses one core. Command streams are made
// up front from fixed seeds; only the engine's execute() calls are inside the timed regions.
// It replaces only its own section of RESULTS.md (between the engine markers), keeping the rest.

import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { checkInvariants, DEFAULT_POLICY, execute, type DoctorDay } from '../src/engine/index.ts';
import { median, nanos, settle, timerOverheadNs } from './clock.ts';
import { openDays, planHospitalDay, type HospitalDay } from './hospital-day.ts';
import { PROFILING_NOTES } from './profiling-notes.ts';
import { writeResultsSection } from './results-section.ts';
import { buildEpisode, ROUND, ROUND_SIZE, SIZES, type Episode, type RoundCommand } from './scaling.ts';
import { formatNumber, markdownTable, type Cell } from './table.ts';

const SEED = 20_250_310;
const DOCTORS = 1_000;
const RUNS = 5;
const BREAKDOWN_RUNS = 3;
const THROUGHPUT_GOAL = 100_000;
const SCALING_GOAL = 2;
/** Measured commands per scaling run and size: N=100 → 750 episodes, 1,000 → 75, 10,000 → 7.5 (8). */
const SCALING_COMMANDS_PER_RUN = 30_000;

const out: string[] = [];
function say(text = ''): void {
  console.log(text);
  out.push(text);
}

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;
const µs = (ns: number) => ns / 1_000;

// ------------------------------------------------------------------ 1. the hospital day

interface TypeCost {
  count: number;
  ns: number;
  events: number;
}

/** Replays the day on fresh doctor-days; one clock reading around the whole stream. */
function replayDay(plan: HospitalDay): { ns: number; events: number } {
  const days = openDays(plan.doctors);
  const steps = plan.steps;
  const policy = DEFAULT_POLICY;
  let events = 0;
  settle();
  const start = nanos();
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    events += execute(days[s.day]!, s.command, { now: s.now, policy }).events.length;
  }
  const ns = Number(nanos() - start);
  if (events !== plan.events) throw new Error(`bench: replay produced ${events} events, the plan ${plan.events}`);
  return { ns, events };
}

/** Replays the day timing every call, to split the time by command type. */
function replayDayByType(plan: HospitalDay): Map<string, TypeCost> {
  const days = openDays(plan.doctors);
  const steps = plan.steps;
  const policy = DEFAULT_POLICY;
  const costs = new Map<string, TypeCost>();
  for (const s of steps) if (!costs.has(s.command.type)) costs.set(s.command.type, { count: 0, ns: 0, events: 0 });
  settle();
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const start = nanos();
    const n = execute(days[s.day]!, s.command, { now: s.now, policy }).events.length;
    const ns = Number(nanos() - start);
    const c = costs.get(s.command.type)!;
    c.count++;
    c.ns += ns;
    c.events += n;
  }
  return costs;
}

function hospitalDay(timerNs: number): { perSecond: number; slowest: number } {
  say(`## 1. Throughput: a ${formatNumber(DOCTORS)}-doctor day`);
  say();
  const planStart = nanos();
  const plan = planHospitalDay(DOCTORS, SEED);
  const planSeconds = Number(nanos() - planStart) / 1e9;
  const warm = replayDay(plan); // warm-up, not reported
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(replayDay(plan).ns);
  const byType = replayDayByType(plan);
  const ns = median(runs);
  const perSecond = plan.steps.length / (ns / 1e9);

  say(
    `${formatNumber(DOCTORS)} doctor-days of 8 hourly slots (capacity 6–8 each; 8:00, 9:00 or 10:00 start, an hour for lunch), ` +
      `${formatNumber(plan.steps.length)} commands planned from seed ${SEED} in ${planSeconds.toFixed(1)} s: bookings (ONLINE, FOLLOWUP; ` +
      `tied to a slot, some flexible), PAID (the upcoming slot, flexible, or untied), untied WALKIN and EMERGENCY, ` +
      `arrivals and check-ins, the doctor calling, completing, skipping; cancellations, staff no-shows, ` +
      `delays for 10% of doctors, capacity changes for 5%, and a tick every minute of every doctor-day that ` +
      `has open slots (07:00 until the last no-show is due). Demand is 95–125% of the seats. ` +
      `Replayed on fresh doctor-days: 1 warm-up run (${formatNumber(Math.round(plan.steps.length / (warm.ns / 1e9)))}/s, not counted), ` +
      `then ${RUNS} timed runs; the figure is their median.`,
  );
  say();
  say(
    markdownTable(
      ['measure', 'value'],
      [
        ['commands per second (median)', `${formatNumber(Math.round(perSecond))}`],
        ['runs (commands per second)', runs.map((r) => formatNumber(Math.round(plan.steps.length / (r / 1e9)))).join(', ')],
        ['µs per command (median run)', µs(ns / plan.steps.length)],
        ['commands per run', plan.steps.length],
        ['events produced per run', plan.events],
        ['events per second', Math.round(plan.events / (ns / 1e9))],
        ['refused commands per run', [...plan.refusals].map(([code, n]) => `${formatNumber(n)} ${code}`).join(', ') || '0'],
        ['goal', `≥ ${formatNumber(THROUGHPUT_GOAL)} per second: ${perSecond >= THROUGHPUT_GOAL ? 'MET' : 'MISSED'}`],
      ],
    ),
  );
  say();
  const total = [...byType.values()].reduce((n, c) => n + c.ns, 0);
  const rows: Cell[][] = [...byType]
    .sort((a, b) => b[1].ns - a[1].ns)
    .map(([type, c]) => [type, c.count, pct(c.count, plan.steps.length), µs(c.ns / c.count), pct(c.ns, total), c.events, Math.round(c.count / (c.ns / 1e9))]);
  say(
    `By command type (one more run, timing every call; each reading of the clock adds about ${timerNs.toFixed(0)} ns, ` +
      `so these per-call figures run a little above the whole-run figure):`,
  );
  say();
  say(markdownTable(['command', 'count', 'of commands', 'µs/command', 'of time', 'events', 'per second'], rows));
  say();
  return { perSecond, slowest: plan.steps.length / (Math.max(...runs) / 1e9) };
}

// ------------------------------------------------------------------ 2. scaling in one doctor-day

interface SizeResult {
  n: number;
  runsNs: number[];
  commands: number;
  events: number;
  state: Episode['state'];
  byKind: Map<RoundCommand, TypeCost>;
  outcomes: Map<string, number>;
  rounds: number;
}

function episodesPerRun(n: number): number {
  return Math.max(1, Math.round(SCALING_COMMANDS_PER_RUN / ((n / 50) * ROUND_SIZE)));
}

function buildRun(n: number): Episode[] {
  const episodes: Episode[] = [];
  for (let e = 0; e < episodesPerRun(n); e++) episodes.push(buildEpisode(n, SEED + 1_000 * n + e));
  return episodes;
}

/**
 * Gets a filled day ready to be measured (not timed): checks its promises, which also reads the whole
 * day into the cache as far as it fits, and sends one tick at the day's own clock, which changes
 * nothing (it was ticked then) but brings the engine's code back into the cache. Without this, each
 * episode's first command pays for misses that a 40-command episode (N = 100) feels far more than a
 * 4,000-command one (N = 10,000).
 */
function readyToMeasure(day: DoctorDay): void {
  const problems = checkInvariants(day);
  if (problems.length > 0) throw new Error(`bench: the filled day breaks the engine's invariants: ${problems.slice(0, 3).join('; ')}`);
  const idle = execute(day, { type: 'tick' }, { now: day.clock, policy: DEFAULT_POLICY });
  if (idle.events.length > 0) throw new Error('bench: the warming tick changed the day');
}

function timeRun(episodes: Episode[]): { ns: number; commands: number; events: number } {
  const policy = DEFAULT_POLICY;
  let ns = 0;
  let commands = 0;
  let events = 0;
  settle();
  for (const ep of episodes) {
    const steps = ep.steps;
    const day = ep.day;
    readyToMeasure(day);
    const start = nanos();
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      events += execute(day, s.command, { now: s.now, policy }).events.length;
    }
    ns += Number(nanos() - start);
    commands += steps.length;
  }
  const planned = episodes.reduce((n, ep) => n + ep.events, 0);
  if (events !== planned) throw new Error(`bench: scaling replay produced ${events} events, the plan ${planned}`);
  return { ns, commands, events };
}

function timeRunByKind(episodes: Episode[]): Map<RoundCommand, TypeCost> {
  const policy = DEFAULT_POLICY;
  const costs = new Map<RoundCommand, TypeCost>(ROUND.map((k) => [k, { count: 0, ns: 0, events: 0 }]));
  settle();
  for (const ep of episodes) {
    readyToMeasure(ep.day);
    ep.steps.forEach((s, i) => {
      const start = nanos();
      const n = execute(ep.day, s.command, { now: s.now, policy }).events.length;
      const ns = Number(nanos() - start);
      const c = costs.get(ep.kinds[i]!)!;
      c.count++;
      c.ns += ns;
      c.events += n;
    });
  }
  return costs;
}

/**
 * Measures every size, taking turns (run 1 at 100, 1,000, 10,000, then run 2 …), so that a slow
 * moment of a shared machine falls on all sizes alike instead of on whichever was measured then.
 */
function measureSizes(): SizeResult[] {
  for (const n of SIZES) timeRun(buildRun(n)); // warm-up
  const runs = new Map<number, { ns: number; commands: number; events: number }[]>(SIZES.map((n) => [n, []]));
  const lastEpisodes = new Map<number, Episode[]>();
  for (let r = 0; r < RUNS; r++) {
    for (const n of SIZES) {
      const episodes = buildRun(n);
      runs.get(n)!.push(timeRun(episodes));
      lastEpisodes.set(n, episodes);
    }
  }
  // Per-call timings catch whole garbage-collection pauses in single commands: the median of three runs.
  const breakdowns = new Map<number, Map<RoundCommand, TypeCost>[]>(SIZES.map((n) => [n, []]));
  for (let r = 0; r < BREAKDOWN_RUNS; r++) for (const n of SIZES) breakdowns.get(n)!.push(timeRunByKind(buildRun(n)));

  return SIZES.map((n) => {
    const episodes = lastEpisodes.get(n)!;
    const last = runs.get(n)![RUNS - 1]!;
    const outcomes = new Map<string, number>();
    for (const ep of episodes) for (const [k, v] of ep.outcomes) outcomes.set(k, (outcomes.get(k) ?? 0) + v);
    const state = {
      tokens: median(episodes.map((e) => e.state.tokens)),
      seated: median(episodes.map((e) => e.state.seated)),
      waitlisted: median(episodes.map((e) => e.state.waitlisted)),
      freeSeats: median(episodes.map((e) => e.state.freeSeats)),
    };
    const byKind = new Map<RoundCommand, TypeCost>();
    for (const kind of ROUND) {
      const costs = breakdowns.get(n)!.map((b) => b.get(kind)!);
      byKind.set(kind, [...costs].sort((a, b) => a.ns / a.count - b.ns / b.count)[costs.length >> 1]!);
    }
    const runsNs = runs.get(n)!.map((x) => x.ns);
    return { n, runsNs, commands: last.commands, events: last.events, state, byKind, outcomes, rounds: last.commands / ROUND_SIZE };
  });
}

function scaling(): { ratio: number } {
  say('## 2. Scaling: one doctor-day at 100, 1,000 and 10,000 tokens');
  say();
  say(
    `Each episode fills one doctor-day (8 hourly slots from 09:00, capacity 14% of N each) with N tokens issued ` +
      `07:00–08:50 (WALKIN 35%, ONLINE 35%, FOLLOWUP 18%, PAID 10%, EMERGENCY 2%; 30% tied to a morning slot, ` +
      `20% tied and flexible, 10% tied to an afternoon slot, 40% untied), a tick every minute, and early check-ins ` +
      `for the first two slots. That leaves the morning full, a waitlist of about 12% of N and free seats in the ` +
      `afternoon. Then, from 09:00, it runs N/50 rounds of the same ${ROUND_SIZE} commands: ` +
      `${[...new Set(ROUND)].map((k) => `${ROUND.filter((x) => x === k).length}× ${k}`).join(', ')}. ` +
      `Filling is not timed; the rounds are. A run is ${formatNumber(SCALING_COMMANDS_PER_RUN)} timed commands per size ` +
      `(${SIZES.map((n) => episodesPerRun(n)).join(', ')} episodes); 1 warm-up run, then ${RUNS} timed runs, the sizes taking turns; median.`,
  );
  say();
  const results = measureSizes();
  const usPer = (r: SizeResult) => µs(median(r.runsNs) / r.commands);
  const base = usPer(results[0]!);
  say(
    markdownTable(
      ['tokens in the day', 'seated', 'waitlisted', 'free seats', 'commands per run', 'µs/command (median)', 'runs (µs/command)', 'events/command', 'vs 100'],
      results.map((r) => [
        r.state.tokens,
        r.state.seated,
        r.state.waitlisted,
        r.state.freeSeats,
        r.commands,
        usPer(r),
        r.runsNs.map((ns) => µs(ns / r.commands).toFixed(2)).join(', '),
        r.events / r.commands,
        `${(usPer(r) / base).toFixed(2)}×`,
      ]),
    ),
  );
  say();
  const ratio = usPer(results[results.length - 1]!) / base;
  say(`Goal: the 10,000-token figure at most ${SCALING_GOAL}× the 100-token figure. Measured ${ratio.toFixed(2)}×: ${ratio <= SCALING_GOAL ? 'MET' : 'MISSED'}.`);
  say();
  say(`By command (${BREAKDOWN_RUNS} more runs per size, timing every call; for each command the median run's µs per command):`);
  say();
  say(
    markdownTable(
      ['command', ...results.map((r) => `N=${formatNumber(r.n)}`), '10,000 vs 100', 'events/command (10,000)'],
      ROUND.filter((k, i) => ROUND.indexOf(k) === i).map((kind) => {
        const costs = results.map((r) => r.byKind.get(kind)!);
        const us = costs.map((c) => µs(c.ns / c.count));
        const lastCost = costs[costs.length - 1]!;
        return [kind, ...us, `${(us[us.length - 1]! / us[0]!).toFixed(2)}×`, lastCost.events / lastCost.count];
      }),
    ),
  );
  say();
  say('What the rounds did, per round of 20 commands (last timed run), to show the mix is the same at every size:');
  say();
  const keys = [...new Set(results.flatMap((r) => [...r.outcomes.keys()]))].sort();
  say(
    markdownTable(
      ['outcome', ...results.map((r) => `N=${formatNumber(r.n)}`)],
      keys.map((k) => [k, ...results.map((r) => (r.outcomes.get(k) ?? 0) / r.rounds)]),
    ),
  );
  say();
  return { ratio };
}

// ------------------------------------------------------------------ the report

function main(): void {
  const started = nanos();
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const timerNs = timerOverheadNs();
  say('# Engine benchmarks');
  say();
  say(
    `Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version} on ${os.platform()} ${os.arch()}. ` +
      `The benchmark is single-threaded: every command runs on the main thread, so the figures are for one core. ` +
      `Run with \`npm run bench\`; this section is written by bench/engine.bench.ts.`,
  );
  say();
  const { perSecond, slowest } = hospitalDay(timerNs);
  const { ratio } = scaling();
  say('## Summary');
  say();
  say(
    markdownTable(
      ['goal', 'target', 'measured', 'met'],
      [
        [
          `commands per second, ${formatNumber(DOCTORS)}-doctor day, one core`,
          `≥ ${formatNumber(THROUGHPUT_GOAL)}`,
          `${formatNumber(Math.round(perSecond))} (slowest run ${formatNumber(Math.round(slowest))})`,
          perSecond >= THROUGHPUT_GOAL ? 'yes' : 'NO',
        ],
        ['µs/command at 10,000 tokens vs 100 tokens', `≤ ${SCALING_GOAL}×`, `${ratio.toFixed(2)}×`, ratio <= SCALING_GOAL ? 'yes' : 'NO'],
      ],
    ),
  );
  say();
  if (perSecond < THROUGHPUT_GOAL || ratio > SCALING_GOAL) {
    say(
      '**A goal is missed in this run.** Before reading it as a change in the engine, see how much this machine ' +
        'varies (last section); the notes below say where the time goes and what would win it back.',
    );
    say();
  }
  for (const line of PROFILING_NOTES) say(line);
  const path = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  writeResultsSection(path, 'engine', out.join('\n'));
  console.log(`\n(wrote ${path} in ${(Number(nanos() - started) / 1e9).toFixed(0)} s)`);
}

main();
