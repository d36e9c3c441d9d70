// The report for people at a terminal: a heading, the narrated timeline, the final tokens and the
// metrics as aligned tables. Colour comes in as a picocolors instance that the CLI enabled or not
// (NO_COLOR, a pipe), so this file never looks at the terminal itself.

import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { SOURCES, type Cause, type Policy, type Source, type TokenStatus } from '../engine/index.ts';
import { SOURCE_PEOPLE, SOURCE_WORDS, STATUS_WORDS } from './words.ts';
import { longDate } from '../time/local-time.ts';
import type { WaitStats } from './metrics.ts';
import { QUIET_KINDS, type EntryKind } from './narrate.ts';
import { clockOf, type MetricsJson, type Report, type SingleReport, type TokenRow } from './report.ts';

/** Doctors are listed one by one up to this many; beyond it, in summary. */
const DOCTOR_TABLE_MAX = 12;

export function table(head: string[], rows: (string | number)[][], c: Colors, align?: ('left' | 'right')[]): string {
  const t = new Table({
    head: head.map((h) => c.bold(h)),
    // compact: no rule between body rows, so long tables stay short; the header keeps its rule.
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
    colAligns: align ?? head.map((_, i) => (i === 0 ? 'left' : 'right')),
  });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

export const heading = (text: string, c: Colors) => `\n${c.bold(c.underline(text))}\n`;

export function sourceColour(source: Source, c: Colors): (s: string) => string {
  const byRank: Record<Source, (s: string) => string> = { EMERGENCY: c.red, PAID: c.yellow, FOLLOWUP: c.cyan, ONLINE: c.blue, WALKIN: c.magenta };
  return byRank[source];
}

const KIND_COLOUR: Partial<Record<EntryKind, keyof Colors>> = {
  bump: 'yellow',
  overflow: 'red',
  promote: 'green',
  move: 'yellow',
  waitlist: 'magenta',
  'no-show': 'red',
  expire: 'red',
  delay: 'yellow',
  capacity: 'yellow',
  age: 'cyan',
  refused: 'dim',
  cancel: 'dim',
};

export const minutes = (v: number | null) => (v === null ? '—' : `${v} min`);
export const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

export function policyLine(p: Policy): string {
  const allowance = SOURCES.filter((s) => (p.allowance[s] ?? 0) !== 0)
    .map((s) => `${SOURCE_PEOPLE[s]} ${(p.allowance[s] ?? 0) > 0 ? '+' : ''}${p.allowance[s]}`)
    .join(', ');
  const floor = SOURCES[p.agingFloor];
  return [
    `preemption ${p.preemption}`,
    `a patient bumped at most ${p.maxBumps} time${p.maxBumps === 1 ? '' : 's'}`,
    `seats beyond capacity: ${allowance || 'none'}`,
    p.agingMinutes === null ? 'aging off' : `aging every ${p.agingMinutes} min (up to ${floor ? SOURCE_PEOPLE[floor] : p.agingFloor})`,
    `no-show grace ${p.noShowGraceMinutes} min`,
    `delays ${p.delayMode}`,
  ].join(' · ');
}

export function header(report: Report, c: Colors): string {
  const s = report.simulation;
  const title = s.scenario === 'assignment-day' ? 'assignment day (scripted)' : `generated day · ${s.doctors} doctor${s.doctors === 1 ? '' : 's'} · seed ${s.seed}`;
  const lines = [
    c.bold(`OPD day simulation — ${title}`),
    `${longDate(s.date)} · ${s.timeZone} (UTC${s.utcOffset}) · simulated ${clockOf(s.startsAt)}–${clockOf(s.endsAt)}`,
  ];
  const i = report.inputs;
  if (i) {
    const late = i.lateDoctors === 0 ? 'nobody late' : `${i.lateDoctors} of them ${i.lateMinutesMin}–${i.lateMinutesMax} min late`;
    lines.push(
      c.dim(`Doctors: ${i.sessions.map((x) => `${x.from}–${x.to}`).join(' and ')} in ${i.slotMinutes}-min slots of ${i.capacity} seats; ${late}.`),
      c.dim(
        `Each day per doctor: ~${i.onlinePerDay} online, ${i.followupsPerDay} follow-up and ${i.paidPerDay} paid bookings, ${i.walkinsPerHour} walk-ins/h; ` +
          `emergencies ${percent(i.emergencyRate)}, cancellations ${percent(i.cancelRate)}, no-shows ${noShows(i.noShowRate, i.onlineNoShowRate)}; consultations ~${i.consultMeanMinutes} min.`,
      ),
      c.dim('Where these numbers come from, and how to change them: opd simulate --help.'),
    );
  }
  return lines.join('\n');
}

const noShows = (others: number, online: number) => (others === online ? percent(others) : `${percent(online)} of online bookings, ${percent(others)} of others`);

/** One run: heading, doctors, timeline and final tokens (when kept), then the metrics. */
export function renderTerminal(report: SingleReport, c: Colors, verbose = false): string {
  const out: string[] = [header(report, c), c.dim(`Policy: ${policyLine(report.policy)}`)];
  const m = report.metrics;
  out.push(heading('Doctors', c), doctorsSection(report, c));
  if (report.timeline) {
    out.push(heading('Timeline', c));
    for (const e of report.timeline) {
      if (QUIET_KINDS.has(e.kind) && !(verbose && e.kind === 'refused')) continue;
      const colour = KIND_COLOUR[e.kind];
      const text = colour ? (c[colour] as (s: string) => string)(e.text) : e.text;
      out.push(`${c.dim(e.time)}  ${c.bold(e.doctor.padEnd(4))} ${text}`);
    }
  }
  if (report.tokens) out.push(heading('Final tokens', c), tokensSection(report, report.tokens, c));
  out.push(heading('Tokens by source and outcome', c), outcomesTable(m, c));
  out.push(heading('Seats per slot (all doctors)', c), seatsTable(m, c));
  out.push(heading('Waiting time: check-in to call', c), waitsTable(m, c));
  out.push(heading('What moved', c), summaryLines(m));
  if (verbose) out.push(heading('For developers', c), developerLines(m, c));
  else if (m.invariants.violations > 0 || m.anomalies.length > 0) out.push('', c.red('The allocation engine broke one of its own rules during this day: run again with --verbose for details.'));
  return out.join('\n') + '\n';
}

function doctorsSection(report: SingleReport, c: Colors): string {
  const m = report.metrics;
  if (m.doctors.length > DOCTOR_TABLE_MAX) {
    const late = m.doctors.filter((d) => d.lateMinutes > 0);
    const shown = late.slice(0, 5).map((d) => `${d.code} ${d.name} (${d.lateMinutes} min)`);
    const overtime = m.doctors.filter((d) => d.overtimeMinutes > 0).length;
    return [
      `${m.doctors.length} doctors in ${m.departments.length} departments, codes ${m.doctors[0]!.code} … ${m.doctors[m.doctors.length - 1]!.code}.`,
      `Running late: ${late.length === 0 ? 'nobody' : shown.join(', ') + (late.length > shown.length ? ` and ${late.length - shown.length} more` : '')}. Worked past their last slot: ${overtime}.`,
      heading('By department', c),
      departmentsTable(m, c),
    ].join('\n');
  }
  const rows = m.doctors.map((d, i) => [
    d.code,
    d.name,
    d.department,
    slotSummary(report.doctors[i]!.slots),
    d.lateMinutes > 0 ? c.yellow(`${d.lateMinutes} min`) : '—',
    d.tokens,
    d.completed,
    clockOf(d.startedCallingAt),
    clockOf(d.lastCompletedAt),
    d.overtimeMinutes > 0 ? c.yellow(`${d.overtimeMinutes} min`) : '—',
  ]);
  return table(['Code', 'Doctor', 'Department', 'Slots', 'Late', 'Tokens', 'Seen', 'First call', 'Last done', 'Overtime'], rows, c, [
    'left',
    'left',
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);
}

/** `09:00–17:00 · 7 slots × 6` (or the capacities in turn when they differ). */
function slotSummary(slots: { time: string; capacity: number }[]): string {
  if (slots.length === 0) return '—';
  const span = `${slots[0]!.time.slice(0, 5)}–${slots[slots.length - 1]!.time.slice(-5)}`;
  const caps = new Set(slots.map((s) => s.capacity));
  return `${span} · ${slots.length} slot${slots.length === 1 ? '' : 's'} × ${caps.size === 1 ? slots[0]!.capacity : slots.map((s) => s.capacity).join('/')}`;
}

function departmentsTable(m: MetricsJson, c: Colors): string {
  const rows = m.departments.map((d) => [
    d.department,
    d.doctors,
    d.tokens,
    d.seen,
    d.noShows,
    d.expired,
    `${minutes(d.waits.medianMinutes)} / ${minutes(d.waits.p90Minutes)}`,
    `${minutes(d.walkInWaits.medianMinutes)} / ${minutes(d.walkInWaits.p90Minutes)}`,
    d.overtimeMaxMinutes > 0 ? c.yellow(`${d.overtimeMaxMinutes} min`) : '—',
  ]);
  return [
    table(['Department', 'Doctors', 'Tokens', 'Seen', 'Did not come', 'Never seated', 'Wait, typical / p90', 'Walk-ins, typical / p90', 'Overtime, longest'], rows, c),
    c.dim('Waits run from check-in to call; p90: 9 in 10 patients were called within this many minutes.'),
  ].join('\n');
}

function tokensSection(report: SingleReport, tokens: TokenRow[], c: Colors): string {
  const out: string[] = [];
  for (const d of report.doctors) {
    const mine = tokens.filter((t) => t.doctor === d.code);
    out.push(`${out.length > 0 ? '\n' : ''}${c.bold(d.code)} · ${d.name} · ${d.department}`);
    const rows = mine.map((t) => [
      c.bold(t.number),
      sourceColour(t.source, c)(SOURCE_WORDS[t.source]),
      t.patient,
      statusColour(t.status, c),
      t.slot ?? '—',
      t.bumps > 0 ? c.yellow(String(t.bumps)) : '0',
      clockOf(t.estimatedAt),
    ]);
    out.push(table(['Token', 'Source', 'Patient', 'Status', 'Slot', 'Bumps', 'Est. time'], rows, c, ['left', 'left', 'left', 'left', 'left', 'right', 'right']));
  }
  return out.join('\n');
}

function statusColour(status: TokenStatus, c: Colors): string {
  const words = STATUS_WORDS[status];
  if (status === 'COMPLETED') return c.green(words);
  if (status === 'NO_SHOW' || status === 'EXPIRED') return c.red(words);
  if (status === 'CANCELLED') return c.dim(words);
  return c.yellow(words);
}

export function outcomesTable(m: MetricsJson, c: Colors): string {
  const still = (x: Record<string, number>) => x.WAITLISTED! + x.ALLOCATED! + x.CHECKED_IN! + x.CALLED!;
  const rows: (string | number)[][] = SOURCES.map((s) => {
    const x = m.tokens.bySource[s];
    return [sourceColour(s, c)(SOURCE_WORDS[s]), x.issued, x.COMPLETED, x.CANCELLED, x.NO_SHOW, x.EXPIRED, still(x)];
  });
  const o = m.tokens.byOutcome;
  rows.push([c.bold('All'), c.bold(String(m.tokens.issued)), o.COMPLETED, o.CANCELLED, o.NO_SHOW, o.EXPIRED, still(o)]);
  return [
    table(['Source', 'Tokens', 'Seen', 'Cancelled', 'Did not come', 'Never seated', 'Still open'], rows, c),
    c.dim('Never seated: waited for a seat all day and never got one.'),
  ].join('\n');
}

function seatsTable(m: MetricsJson, c: Colors): string {
  const rows = m.seats.bySlotTime.map((s) => [
    s.slot,
    s.capacity === s.plannedCapacity ? s.capacity : `${s.capacity} ${c.dim(`of ${s.plannedCapacity}`)}`,
    s.used,
    utilisationCell(s.utilisation, c),
    s.peakOccupied,
    s.noShows,
  ]);
  const o = m.seats.overall;
  rows.push([c.bold('Day'), o.capacity, o.used, utilisationCell(o.utilisation, c), o.peakOccupied, m.seats.bySlotTime.reduce((n, s) => n + s.noShows, 0)]);
  return table(['Slot', 'Seats', 'Used', 'Used (%)', 'Most held at once', 'Did not come'], rows, c);
}

function utilisationCell(u: number | null, c: Colors): string {
  if (u === null) return '—';
  const bar = '█'.repeat(Math.min(10, Math.round(u * 10))).padEnd(10, '·');
  const text = `${percent(u).padStart(4)} ${bar}`;
  return u > 1 ? c.red(text) : u >= 0.85 ? c.green(text) : text;
}

function waitsTable(m: MetricsJson, c: Colors): string {
  const row = (label: string, w: WaitStats) => [label, w.count, minutes(w.medianMinutes), minutes(w.p90Minutes), minutes(w.maxMinutes)];
  const rows = SOURCES.map((s) => row(sourceColour(s, c)(SOURCE_WORDS[s]), m.waits.bySource[s]));
  rows.push(row(c.bold('All'), m.waits.all));
  const wl = m.waitlist;
  return [
    table(['Source', 'Called', 'Typical (median)', '9 in 10 within (p90)', 'Longest'], rows, c),
    c.dim(
      `Waiting for a seat: ${wl.waitlisted} patients; ${wl.seatedLater} got one (typically after ${minutes(wl.minutes.medianMinutes)}, ` +
        `9 in 10 within ${minutes(wl.minutes.p90Minutes)}); ${wl.expired} never did.`,
    ),
  ].join('\n');
}

function summaryLines(m: MetricsJson): string {
  const CAUSES: Record<Cause, string> = {
    cancelled: 'a cancellation',
    'no-show': 'a no-show',
    'capacity-raised': 'more seats',
    'capacity-reduced': 'fewer seats',
    'slot-closed': 'a slot closing',
    'slot-added': 'a new slot',
    'reserve-released': 'a released reserve',
    'policy-changed': 'a policy change',
    'doctor-delayed': 'a late doctor',
  };
  const byCause = Object.entries(m.promotions.byCause).map(([k, v]) => `${v} after ${CAUSES[k as Cause] ?? k}`);
  const lw = m.longestWait;
  const lines = [
    `Bumped for a higher priority: ${m.bumps.total} (${m.bumps.toLaterSlot} to a later slot, ${m.bumps.toWaitlist} to wait for a seat)`,
    `Given a freed seat while waiting: ${m.promotions.total}${byCause.length ? ` (${byCause.join(', ')})` : ''}`,
    `Moved because a slot shrank (a late doctor, fewer seats): ${m.moves.total} (${m.moves.toLaterSlot} to a later slot, ${m.moves.toWaitlist} to wait for a seat)`,
    `Emergency seats beyond capacity: ${m.overflowSeats}`,
    `Booked but did not come: ${m.noShows.total} (${m.noShows.byStaff} marked by staff, ${m.noShows.afterGrace} after the grace time, ${m.noShows.afterSkips} after missing their call too often); calls not answered: ${m.skips}`,
    `Longest wait: ${lw ? `${lw.token} (${SOURCE_WORDS[lw.source].toLowerCase()}) at ${lw.doctor}, ${lw.minutes} min (${clockOf(lw.checkedInAt)} → ${clockOf(lw.calledAt)})` : '—'}`,
    `Doctors past their last slot: typically ${minutes(m.overtime.medianMinutes)}, longest ${minutes(m.overtime.maxMinutes)}`,
  ];
  return lines.join('\n');
}

/** The engine's own counters: for developers (`--verbose`). */
function developerLines(m: MetricsJson, c: Colors): string {
  const refusals = Object.entries(m.refusals.byCode).map(([k, v]) => `${k} ${v}`);
  const inv = m.invariants;
  const lines = [
    `Commands run: ${m.commands}; refused: ${m.refusals.total}${refusals.length ? ` (${refusals.join(', ')})` : ''}`,
    `Aging steps: ${m.aged}`,
    inv.violations === 0
      ? c.green(`Invariants: ${inv.checks} checks, 0 violations ✓`)
      : c.red(`Invariants: ${inv.checks} checks, ${inv.violations} VIOLATIONS — first: ${inv.problems[0]?.problem ?? '?'}`),
  ];
  if (m.anomalies.length > 0) lines.push(c.red(`Anomalies: ${m.anomalies.length} — first: ${m.anomalies[0]}`));
  return lines.join('\n');
}
