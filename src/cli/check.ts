// `opd check [--date D]`: replays every doctor-day (or those of one date) from the event log and
// compares it with the slots and tokens tables and the engine's rules. Exit 0 with a one-line
// summary when all agree; 1, with each difference in words, when anything differs; 2 when it could
// not check (configuration, no database, the database unreadable). It only reads, so it may run
// beside the servers: each day is read in one snapshot.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { DayCheck } from '../service/day-check.ts';
import { dateArg, plural, readConfig } from './arguments.ts';
import type { AddCommand, CliIo } from './types.ts';

/** Differences printed per doctor-day unless --all: enough to see the pattern of a systematic fault. */
const PER_DAY = 20;

interface Flags {
  date?: string;
  all?: boolean;
}

export const addCheckCommand: AddCommand = (program: Command, io, setExitCode) => {
  program
    .command('check')
    .description(
      "Replay every doctor-day from the event log and compare it with the slots and tokens tables and the engine's rules " +
        '(DATABASE_URL, OPD_DATA_DIR as for serve); exit 1 and say what differs if anything does',
    )
    .option('--date <YYYY-MM-DD>', 'check only the doctor-days of this hospital-local date', dateArg)
    .option('--all', `print every difference (by default the first ${PER_DAY} of each doctor-day)`)
    .action(async (flags: Flags) => setExitCode(await runCheck(flags, io)));
};

async function runCheck(flags: Flags, io: CliIo): Promise<number> {
  const config = readConfig(io, 'check');
  if (!config) return 2;
  const { store: where } = config;
  if (where.kind === 'sqlite') {
    if (where.file === ':memory:') {
      io.stderr.write('opd check: DATABASE_URL=memory is a database of one server process; nothing outside it can read it\n');
      return 2;
    }
    if (!existsSync(where.file)) {
      io.stderr.write(`opd check: there is no database at ${where.file} (set OPD_DATA_DIR, or DATABASE_URL for PostgreSQL)\n`);
      return 2;
    }
  }
  const name = where.kind === 'postgres' ? 'PostgreSQL' : where.file;
  // Loaded on demand, as for serve: `opd simulate` never pays for the database drivers.
  const [{ openStore }, { checkStore }] = await Promise.all([import('../store/open-store.ts'), import('../service/day-check.ts')]);
  const started = performance.now();
  let problems = 0;
  const report = (d: DayCheck) => {
    if (d.problems.length === 0) return;
    problems += d.problems.length;
    const shown = flags.all ? d.problems : d.problems.slice(0, PER_DAY);
    io.stdout.write(`${d.doctor} on ${d.key.date}: ${plural(d.problems.length, 'difference')}\n`);
    for (const p of shown) io.stdout.write(`  - ${p}\n`);
    if (shown.length < d.problems.length) io.stdout.write(`  … and ${d.problems.length - shown.length} more (add --all to see them)\n`);
  };
  let result;
  try {
    const store = await openStore(where, { migrate: false });
    try {
      result = await checkStore(store, { timeZone: config.timeZone, date: flags.date, onDay: report });
    } finally {
      await store.close();
    }
  } catch (err) {
    io.stderr.write(`opd check: could not read the database ${name}: ${(err as Error).message}\n`);
    return 2;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const scope = flags.date === undefined ? '' : ` on ${flags.date}`;
  if (result.days === 0) {
    io.stdout.write(`opd check: no doctor-days${scope} in ${name}: nothing to check\n`);
    return 0;
  }
  const counted = `${plural(result.tokens, 'token')}, ${plural(result.slots, 'slot')}, ${plural(result.events, 'event')}`;
  if (result.failed.length === 0) {
    io.stdout.write(`opd check: ${plural(result.days, 'doctor-day')}${scope} sound and as the event log says (${counted}; ${seconds} s)\n`);
    return 0;
  }
  io.stdout.write(
    `opd check: ${result.failed.length} of ${plural(result.days, 'doctor-day')}${scope} differ from the event log (${plural(problems, 'difference')}; ${counted}; ${seconds} s)\n`,
  );
  return 1;
}
