// `opd simulate`: the command-line face of the simulator. It turns flags into SimulateOptions, runs
// the day, and writes the chosen rendering. Everything it prints on stdout is a function of its
// arguments (no wall clock); the progress bar alone goes to stderr.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { DEFAULT_POLICY, mergePolicy, policyProblems, type Policy } from '../engine/index.ts';
import type { CliIo } from './types.ts';
import { DEFAULT_DAY_INPUTS, MAX_DOCTORS, type DayInputs } from '../sim/generated-day.ts';
import { PRESET_NAMES, PRESETS, presetInputs, type PresetName } from '../sim/presets.ts';
import { assertTimeZone } from '../time/local-time.ts';
import { dateArg } from './arguments.ts';
import { compareSeeds, GOALS, type Goal } from '../sim/compare-seeds.ts';
import { buildCompareReport, buildReport, type Report } from '../sim/report.ts';
import { renderCompare } from '../sim/render-compare.ts';
import { loadChartJs, renderHtml } from '../sim/render-html.ts';
import { renderTerminal } from '../sim/render-terminal.ts';
import { simulate, type SimulateOptions } from '../sim/simulate.ts';
import { runFromLog } from './simulate-from-log.ts';

/** Below this much work (doctors × policies) a run is over before a bar would be worth drawing. */
const PROGRESS_MIN_WORK = 50;

const whole = (min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
  return n;
};
const share = (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('a share from 0 to 1, e.g. 0.18');
  return n;
};
const positive = (max: number) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) throw new InvalidArgumentError(`a number from 0 to ${max}`);
  return n;
};
const range = (v: string): [number, number] => {
  const m = /^(\d+)-(\d+)$/.exec(v.trim());
  if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 1440 || Number(m[1]) < 1) throw new InvalidArgumentError('MIN-MAX minutes, e.g. 20-60');
  return [Number(m[1]), Number(m[2])];
};
// Commander replaces a parsed null by '', so "off" stays a word until the policy is built.
const agingArg = (v: string): number | 'off' => (v.trim() === 'off' ? 'off' : whole(1, 1440)(v));
const zoneArg = (v: string) => {
  try {
    assertTimeZone(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return v;
};

/** Flags that override one field of DEFAULT_DAY_INPUTS. */
export const INPUT_FLAGS: { flags: string; key: keyof DayInputs; help: string; parse: (v: string) => number }[] = [
  { flags: '--online-per-day <n>', key: 'onlinePerDay', help: 'online bookings per doctor (mean)', parse: positive(1000) },
  { flags: '--followups-per-day <n>', key: 'followupsPerDay', help: 'follow-up bookings per doctor (mean)', parse: positive(1000) },
  { flags: '--paid-per-day <n>', key: 'paidPerDay', help: 'paid bookings per doctor (mean)', parse: positive(1000) },
  { flags: '--walkins-per-hour <n>', key: 'walkinsPerHour', help: 'walk-ins per doctor per hour', parse: positive(60) },
  { flags: '--emergency-rate <p>', key: 'emergencyRate', help: 'emergencies as a share of all tokens', parse: (v) => Math.min(share(v), 0.9) },
  { flags: '--cancel-rate <p>', key: 'cancelRate', help: 'share of bookings cancelled', parse: share },
  { flags: '--no-show-rate <p>', key: 'noShowRate', help: 'share of follow-up and paid bookings never arriving', parse: share },
  { flags: '--online-no-show-rate <p>', key: 'onlineNoShowRate', help: 'share of online bookings never arriving', parse: share },
  { flags: '--staff-no-show-share <p>', key: 'staffNoShowShare', help: 'share of no-shows marked by staff', parse: share },
  { flags: '--flexible-rate <p>', key: 'flexibleRate', help: 'share of bookings accepting a later slot', parse: share },
  { flags: '--step-away-rate <p>', key: 'stepAwayRate', help: 'share of patients away when called', parse: share },
  { flags: '--capacity <n>', key: 'capacity', help: 'seats per slot', parse: whole(0, 1000) },
  { flags: '--consult-minutes <n>', key: 'consultMeanMinutes', help: 'mean consultation length', parse: positive(120) },
  { flags: '--late-doctors <n>', key: 'lateDoctors', help: 'doctors running late', parse: whole(0, MAX_DOCTORS) },
];

interface Flags {
  scenario?: 'assignment-day';
  preset?: PresetName;
  doctors?: number;
  seed?: number;
  date?: string;
  timeZone?: string;
  json?: boolean;
  compare?: boolean;
  seeds?: number;
  goal?: Goal;
  verbose?: boolean;
  report?: string;
  timeline?: boolean;
  progress?: boolean;
  color: boolean;
  preemption?: Policy['preemption'];
  aging?: number | 'off';
  maxBumps?: number;
  delayMode?: Policy['delayMode'];
  grace?: number;
  lateMinutes?: [number, number];
  fromLog?: string;
  doctor?: string[];
  policy?: Policy['preemption'];
  [input: string]: unknown;
}

/** Adds `simulate` to the program. `setExitCode` carries the command's result back to `main`. */
export function addSimulateCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const cmd = program
    .command('simulate')
    .summary('simulate an OPD day against the allocation engine')
    .description(
      'Simulate an OPD day against the engine and report what happened: the scripted assignment day ' +
        '(--scenario assignment-day), or a generated day (--doctors N --seed S, default 3 doctors and seed 42). ' +
        'The same arguments always print the same output.',
    )
    .addOption(new Option('--scenario <name>', 'run a named, scripted day').choices(['assignment-day']))
    .addOption(new Option('--preset <name>', 'the kind of day to generate (default balanced; see below)').choices(PRESET_NAMES))
    .option('--doctors <n>', 'doctors in a generated day (default 3)', whole(1, MAX_DOCTORS))
    .option('--seed <s>', 'seed of a generated day (default 42); the same seed prints the same output', whole(0, 2 ** 32 - 1))
    .option('--date <YYYY-MM-DD>', `the hospital-local date (default ${DEFAULT_DAY_INPUTS.date}, fixed so output never depends on today)`, dateArg)
    .option('--time-zone <zone>', `IANA time zone of the hospital (default ${DEFAULT_DAY_INPUTS.timeZone})`, zoneArg)
    .option('--json', 'print one JSON object (metrics, definitions, and the timeline when kept) and nothing else')
    .option('--compare', 'run each preemption mode with aging on and off on the same days, side by side, and recommend one')
    .option('--seeds <n>', 'with --compare: how many seeded days to compare on (default 20)', whole(1, 1000))
    .addOption(new Option('--goal <goal>', 'with --compare: what the recommendation aims at (default fair-walk-ins)').choices(GOALS))
    .option('--verbose', "also print the engine's own counters (refused commands, rule checks) for developers")
    .option('--report <file>', 'also write a self-contained HTML report with charts to FILE')
    .option('--timeline', 'keep the narrated timeline and final token table (always on for --scenario)')
    .option('--progress', 'draw a progress bar on stderr even when stderr is not a terminal')
    .option('--no-color', 'no colour (also: NO_COLOR=1, or output that is not a terminal)')
    .addOption(new Option('--preemption <mode>', 'who may bump a booked token (default strict-priority)').choices(['strict-priority', 'emergency-only', 'off']))
    .option('--aging <minutes|off>', 'aging step in minutes, or off (default 45)', agingArg)
    .option('--max-bumps <n>', 'times one token may be bumped (default 1)', whole(0, 100))
    .addOption(new Option('--delay-mode <mode>', 'a late doctor loses seats (shrink) or shifts the day (shift)').choices(['shrink', 'shift']))
    .option('--grace <minutes>', 'minutes after a slot ends before absentees become no-shows (default 15)', whole(0, 1440))
    .option('--late-minutes <min-max>', 'how late the late doctors are (default 20-60)', range)
    .option('--from-log <YYYY-MM-DD>', "what if: replay this real day from the service's event log (DATABASE_URL, OPD_DATA_DIR as for serve) under --policy, beside what happened", dateArg)
    .option('--doctor <id-or-code...>', 'with --from-log: only these doctors (default every doctor who worked that day)')
    .addOption(new Option('--policy <mode>', 'with --from-log: who may take a booked seat in the replay').choices(['strict-priority', 'emergency-only', 'off']));
  for (const f of INPUT_FLAGS) cmd.option(f.flags, `${f.help} (${presetDefaults(f.key)})`, f.parse);
  cmd.addHelpText('after', `\nExamples:\n  opd simulate --scenario assignment-day\n  opd simulate --preset government-opd --doctors 3 --seed 42 --json\n  opd simulate --compare --seeds 20 --goal fair-walk-ins\n  opd simulate --from-log 2026-12-03 --policy emergency-only\n  opd simulate --report day.html\n\n${presetHelp()}\n`);

  cmd.action(async (flags: Flags) => {
    if (flags.fromLog !== undefined || flags.policy !== undefined || flags.doctor !== undefined) {
      const { fromLog, policy } = flags;
      if (fromLog === undefined || policy === undefined) return cmd.error('error: --from-log DATE and --policy MODE go together (--doctor is optional)', { exitCode: 2 });
      const colors = pc.createColors(flags.color && colourWanted(io));
      setExitCode(await runFromLog({ fromLog, policy, doctor: flags.doctor, aging: flags.aging, maxBumps: flags.maxBumps, json: flags.json }, io, colors));
      return;
    }
    setExitCode(runSimulate(flags, io, cmd));
  });
}

function runSimulate(flags: Flags, io: CliIo, cmd: Command): number {
  const scripted = flags.scenario === 'assignment-day';
  if (scripted && (flags.doctors !== undefined || flags.seed !== undefined)) {
    cmd.error('error: --scenario assignment-day is scripted; --doctors and --seed are for generated days', { exitCode: 2 });
  }
  if (!flags.compare && (flags.seeds !== undefined || flags.goal !== undefined)) {
    cmd.error('error: --seeds and --goal go with --compare', { exitCode: 2 });
  }
  const policy = policyFrom(flags);
  const problems = policyProblems(policy);
  if (problems.length > 0) cmd.error(`error: ${problems.join('; ')}`, { exitCode: 2 });
  const options: SimulateOptions = {
    scenario: scripted ? 'assignment-day' : 'generated',
    doctors: flags.doctors ?? 3,
    seed: flags.seed ?? 42,
    inputs: inputsFrom(flags),
    policy,
    compare: flags.compare === true,
    timeline: scripted || flags.timeline === true,
  };
  const colors = pc.createColors(flags.color && colourWanted(io));
  const seeds = scripted ? 1 : (flags.seeds ?? 20);
  const bar = progressBar(flags, io, options, seeds);
  const progress = bar ? (done: number, total: number) => bar.update(Math.round((done / total) * 1000)) : undefined;
  let report: Report;
  try {
    report = options.compare
      ? buildCompareReport(options, compareSeeds(options, seeds, progress), flags.goal ?? 'fair-walk-ins')
      : buildReport(simulate(options, progress));
  } finally {
    bar?.stop();
  }
  const verbose = flags.verbose === true;
  if (flags.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else io.stdout.write(report.mode === 'single' ? renderTerminal(report, colors, verbose) : renderCompare(report, colors, verbose));
  if (flags.report !== undefined) {
    writeFileSync(resolve(io.cwd, flags.report), renderHtml(report, loadChartJs()));
    // With --json, stdout holds the JSON alone: where the report went is news for people, on stderr.
    (flags.json ? io.stderr : io.stdout).write(`HTML report written to ${flags.report}\n`);
  }
  const violations = report.mode === 'single' ? report.metrics.invariants.violations : report.policies.reduce((n, p) => n + p.totals.invariantViolations, 0);
  return violations > 0 ? 1 : 0;
}

function policyFrom(flags: Flags): Policy {
  const override: Partial<Policy> = {};
  if (flags.preemption !== undefined) override.preemption = flags.preemption;
  if (flags.aging !== undefined) override.agingMinutes = flags.aging === 'off' ? null : flags.aging;
  if (flags.maxBumps !== undefined) override.maxBumps = flags.maxBumps;
  if (flags.delayMode !== undefined) override.delayMode = flags.delayMode;
  if (flags.grace !== undefined) override.noShowGraceMinutes = flags.grace;
  return mergePolicy(DEFAULT_POLICY, override);
}

/** `balanced 2, government-opd 9, private-clinic 0.5`: each preset's value of one input. */
function presetDefaults(key: keyof DayInputs): string {
  return PRESET_NAMES.map((name) => `${name} ${String(PRESETS[name].inputs[key])}`).join(', ');
}

function presetHelp(): string {
  const list = PRESET_NAMES.map((name) => `  ${name.padEnd(16)}${PRESETS[name].summary}`).join('\n');
  return `Presets (--preset NAME; any flag above overrides one of its numbers):\n${list}\n\n${PRESET_NAMES.map((name) => PRESETS[name].sources).join('\n\n')}`;
}

function inputsFrom(flags: Flags): DayInputs {
  const inputs = presetInputs(flags.preset ?? 'balanced');
  if (flags.date !== undefined) inputs.date = flags.date;
  if (flags.timeZone !== undefined) inputs.timeZone = flags.timeZone;
  if (flags.lateMinutes !== undefined) [inputs.lateMinutesMin, inputs.lateMinutesMax] = flags.lateMinutes;
  for (const f of INPUT_FLAGS) {
    // Commander's own name for the value (`--no-show-rate` counts as the negation of `showRate`); it
    // holds the number when the flag was given, and a default (true) or nothing when not.
    const value = flags[new Option(f.flags).attributeName()];
    if (typeof value === 'number') (inputs[f.key] as number) = value;
  }
  return inputs;
}

/** NO_COLOR (any non-empty value) wins, then FORCE_COLOR, then whether stdout is a terminal. */
function colourWanted(io: CliIo): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb';
}

interface Progress {
  update(permille: number): void;
  stop(): void;
}

/**
 * A bar on stderr when it is a terminal; with --progress and no terminal, a plain line every 10%
 * (cli-progress redraws on a timer there, which a synchronous run never lets fire).
 */
function progressBar(flags: Flags, io: CliIo, options: SimulateOptions, seeds: number): Progress | null {
  const work = (options.scenario === 'generated' ? options.doctors : 3) * (options.compare ? 6 * seeds : 1);
  const tty = io.stderr.isTTY === true;
  if (!(flags.progress === true || (tty && work >= PROGRESS_MIN_WORK))) return null;
  if (!tty) {
    let shown = -1;
    return {
      update(permille) {
        const step = Math.floor(permille / 100);
        if (step > shown) {
          shown = step;
          io.stderr.write(`Simulating… ${step * 10}%\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr as NodeJS.WritableStream,
      format: 'Simulating {bar} {percentage}% · ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1000, 0);
  // Held below 1000 until stop(): at 100% the bar has no ETA left to show and prints a placeholder.
  return { update: (permille) => bar.update(Math.min(999, permille)), stop: () => bar.stop() };
}
