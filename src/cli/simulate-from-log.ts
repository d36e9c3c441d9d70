// `opd simulate --from-log DATE [--doctor ID…] --policy MODE`: a real day of the service's event log
// (DATABASE_URL, OPD_DATA_DIR as for serve) replayed under another preemption rule, printed side by
// side with what really happened. It only reads the database, so it may run beside the servers.

import { existsSync } from 'node:fs';
import type { Colors } from 'picocolors/types.js';
import { DEFAULT_POLICY, mergePolicy, policyProblems, type Policy } from '../engine/index.ts';
import { buildReport, type SummarizedDay } from '../reports/report.ts';
import { compareRows, OUTCOME_WORDS, SOURCE_WORDS } from '../reports/words.ts';
import { heading, table } from '../sim/render-terminal.ts';
import { whatIfDay, type TokenChange } from '../sim/what-if.ts';
import { longDate } from '../time/local-time.ts';
import { readConfig } from './arguments.ts';
import type { CliIo } from './types.ts';

export interface FromLogFlags {
  fromLog: string;
  doctor?: string[];
  policy: Policy['preemption'];
  aging?: number | 'off';
  maxBumps?: number;
  json?: boolean;
}

const RULE_WORDS: Record<Policy['preemption'], string> = {
  'strict-priority': 'any more urgent patient may take a booked seat',
  'emergency-only': 'only emergencies may take a booked seat',
  off: 'nobody may take a booked seat',
};

export async function runFromLog(flags: FromLogFlags, io: CliIo, colors: Colors): Promise<number> {
  const config = readConfig(io, 'simulate');
  if (!config) return 2;
  const where = config.store;
  if (where.kind === 'sqlite' && (where.file === ':memory:' || !existsSync(where.file))) {
    io.stderr.write(`opd simulate: there is no database to read at ${where.file === ':memory:' ? 'DATABASE_URL=memory' : where.file} (set OPD_DATA_DIR, or DATABASE_URL for PostgreSQL)\n`);
    return 2;
  }
  const change: Partial<Policy> = { preemption: flags.policy };
  if (flags.aging !== undefined) change.agingMinutes = flags.aging === 'off' ? null : flags.aging;
  if (flags.maxBumps !== undefined) change.maxBumps = flags.maxBumps;
  const problems = policyProblems(mergePolicy(DEFAULT_POLICY, change));
  if (problems.length > 0) {
    io.stderr.write(`opd simulate: ${problems.join('; ')}\n`);
    return 2;
  }
  const { openStore } = await import('../store/open-store.ts');
  const store = await openStore(where, { migrate: false });
  try {
    const doctors = new Map((await store.listDoctors()).map((d) => [d.id, d]));
    const byCode = new Map([...doctors.values()].map((d) => [d.code, d]));
    const wanted = (flags.doctor ?? []).map((id) => doctors.get(id) ?? byCode.get(id.toUpperCase()));
    const missing = (flags.doctor ?? []).filter((_, i) => wanted[i] === undefined);
    if (missing.length > 0) {
      io.stderr.write(`opd simulate: no doctor with the id or code ${missing.join(', ')}\n`);
      return 2;
    }
    const ids = new Set(wanted.map((d) => d!.id));
    const keys = (await store.listDays(flags.fromLog)).filter((k) => doctors.has(k.doctorId) && (ids.size === 0 || ids.has(k.doctorId)));
    if (keys.length === 0) {
      io.stderr.write(`opd simulate: the log has no doctor-day on ${flags.fromLog}${ids.size > 0 ? ' for those doctors' : ''}\n`);
      return 1;
    }
    const real: SummarizedDay[] = [];
    const replayed: SummarizedDay[] = [];
    const changes: { doctor: string; change: TokenChange }[] = [];
    const skipped: string[] = [];
    let realPolicy: Policy | null = null;
    let policy: Policy | null = null;
    for (const key of keys) {
      const doctor = doctors.get(key.doctorId)!;
      const log = await store.dayEvents(key, 0);
      const day = whatIfDay({ doctorId: doctor.id, date: key.date, code: doctor.code }, log, change, mergePolicy(DEFAULT_POLICY, doctor.policy));
      realPolicy ??= day.realPolicy;
      policy ??= day.policy;
      const who = { id: doctor.id, name: doctor.name, department: doctor.department };
      real.push({ doctor: who, date: key.date, summary: day.real });
      replayed.push({ doctor: who, date: key.date, summary: day.whatIf });
      for (const c of day.changes) changes.push({ doctor: doctor.name, change: c });
      for (const s of day.skipped) skipped.push(`${doctor.name}, ${s}`);
    }
    const a = buildReport(real, flags.fromLog, flags.fromLog, config.timeZone);
    const b = buildReport(replayed, flags.fromLog, flags.fromLog, config.timeZone);
    if (flags.json) {
      io.stdout.write(JSON.stringify({ date: flags.fromLog, realPolicy, policy, real: a, whatIf: b, changes, skipped }, null, 2) + '\n');
      return 0;
    }
    const out: string[] = [];
    out.push(heading(`What if — ${longDate(flags.fromLog)}, ${keys.length === 1 ? doctors.get(keys[0]!.doctorId)!.name : `${keys.length} doctors`}`, colors));
    out.push(`What happened: ${RULE_WORDS[realPolicy!.preemption]}.\nWhat if: ${RULE_WORDS[policy!.preemption]}.\n`);
    out.push('The arrivals, check-ins, cancellations and the doctors\' calls are those of the log; the seats, bumps, waiting list and the order of calls are decided again.\n');
    out.push(table(['', 'What happened', `With ${flags.policy}`, 'Change'], compareRows(a.hospital, b.hospital), colors));
    if (changes.length === 0) out.push('\nNo patient would have ended the day differently.\n');
    else {
      out.push(heading('Patients who would have ended the day differently', colors));
      out.push(
        table(
          ['Doctor', 'Token', 'Source', 'What happened', 'What if'],
          changes.map(({ doctor, change: c }) => [doctor, c.number, SOURCE_WORDS[c.source], OUTCOME_WORDS[c.real], OUTCOME_WORDS[c.whatIf]]),
          colors,
          ['left', 'left', 'left', 'left', 'left'],
        ),
      );
    }
    if (skipped.length > 0) {
      out.push(heading('What could not happen in the replayed day', colors));
      out.push(skipped.map((s) => `  - ${s}`).join('\n'));
    }
    io.stdout.write(out.join('\n') + '\n');
    return 0;
  } finally {
    await store.close();
  }
}
