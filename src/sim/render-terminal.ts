// The report for people at a terminal: a heading, the narrated timeline, the final tokens and the
// metrics as aligned tables. Colour comes in as a picocolors instance that the CLI enabled or not
// (NO_COLOR, a pipe), so this file never looks at the terminal itself.

import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { SOURCES, type Policy, type Source } from '../engine/index.ts';
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
    .map((s) => `${s} ${(p.allowance[s] ?? 0) > 0 ? '+' : ''}${p.allowance[s]}`)
    .join(', ');
  return [
    `preemption ${p.preemption}`,
    `max ${p.maxBumps} bump${p.maxBumps === 1 ? '' : 's'}`,
    `seats beyond capacity: ${allowance || 'none'}`,
    p.agingMinutes === null ? 'aging off' : `aging every ${p.agingMinutes} min (floor ${SOURCES[p.agingFloor] ?? p.agingFloor})`,
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
          `emergencies ${percent(i.emergencyRate)}, cancellations ${percent(i.cancelRate)}, no-shows ${percent(i.noShowRate)}; consultations ~${i.consultMeanMinutes} min.`,
      ),
      c.dim('Where these numbers come from, and how to change them: opd simulate --help.'),
    );
  }
  return lines.join('\n');
}

/** One run: heading, doctors, timeline and final tokens (when kept), then the metrics. */
export function renderTerminal(report: SingleReport, c: Colors): string {
  const out: string[] = [header(report, c), c.dim(`Policy: ${policyLine(report.policy)}`)];
  const m = report.metrics;
  out.push(heading('Doctors', c), doctorsSection(report, c));
  if (report.timeline) {
    out.push(heading('Timeline', c));
    for (const e of report.timeline) {
      if (QUIET_KINDS.has(e.kind)) continue;
      const colour = KIND_COLOUR[e.kind];
      const text = colour ? (c[colour] as (s: string) => string)(e.text) : e.text;
      out.push(`${c.dim(e.time)}  ${c.bold(e.doctor.padEnd(4))} ${text}`);
    }
  }
  if (report.tokens) out.push(heading('Final tokens', c), tokensSection(report, report.tokens, c));
  out.push(heading('Tokens by source and outcome', c), outcomesTable(m, c));
  out.push(heading('Seats per slot (all doctors)', c), seatsTable(m, c));
  out.push(heading('Waiting time: check-in to call', c), waitsTable(m, c));
  out.push(heading('What moved, and the checks', c), summaryLines(m, c));
  return out.join('\n') + '\n';
}

function doctorsSection(report: SingleReport, c: Colors): string {
  const m = report.metrics;
  if (m.doctors.length > DOCTOR_TABLE_MAX) {
    const late = m.doctors.filter((d) => d.lateMinutes > 0).map((d) => `${d.code} ${d.name} (${d.lateMinutes} min)`);
    const overtime = m.doctors.filter((d) => d.overtimeMinutes > 0).length;
    return [
      `${m.doctors.length} doctors in ${new Set(m.doctors.map((d) => d.department)).size} departments, codes ${m.doctors[0]!.code} … ${m.doctors[m.doctors.length - 1]!.code}.`,
      `Running late: ${late.length > 0 ? late.join(', ') : 'nobody'}. Worked past their last slot: ${overtime}.`,
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

function tokensSection(report: SingleReport, tokens: TokenRow[], c: Colors): string {
  const out: string[] = [];
  for (const d of report.doctors) {
    const mine = tokens.filter((t) => t.doctor === d.code);
    out.push(`${out.length > 0 ? '\n' : ''}${c.bold(d.code)} · ${d.name} · ${d.department}`);
    const rows = mine.map((t) => [
      c.bold(t.number),
      sourceColour(t.source, c)(t.source),
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

function statusColour(status: string, c: Colors): string {
  if (status === 'COMPLETED') return c.green(status);
  if (status === 'NO_SHOW' || status === 'EXPIRED') return c.red(status);
  if (status === 'CANCELLED') return c.dim(status);
  return c.yellow(status);
}

export function outcomesTable(m: MetricsJson, c: Colors): string {
  const still = (x: Record<string, number>) => x.WAITLISTED! + x.ALLOCATED! + x.CHECKED_IN! + x.CALLED!;
  const rows: (string | number)[][] = SOURCES.map((s) => {
    const x = m.tokens.bySource[s];
    return [sourceColour(s, c)(s), x.issued, x.COMPLETED, x.CANCELLED, x.NO_SHOW, x.EXPIRED, still(x)];
  });
  const o = m.tokens.byOutcome;
  rows.push([c.bold('All'), c.bold(String(m.tokens.issued)), o.COMPLETED, o.CANCELLED, o.NO_SHOW, o.EXPIRED, still(o)]);
  return table(['Source', 'Issued', 'Seen', 'Cancelled', 'No-show', 'Expired', 'Still open'], rows, c);
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
  return table(['Slot', 'Seats', 'Used', 'Utilisation', 'Peak held', 'No-shows'], rows, c);
}

function utilisationCell(u: number | null, c: Colors): string {
  if (u === null) return '—';
  const bar = '█'.repeat(Math.min(10, Math.round(u * 10))).padEnd(10, '·');
  const text = `${percent(u).padStart(4)} ${bar}`;
  return u > 1 ? c.red(text) : u >= 0.85 ? c.green(text) : text;
}

function waitsTable(m: MetricsJson, c: Colors): string {
  const row = (label: string, w: WaitStats) => [label, w.count, minutes(w.medianMinutes), minutes(w.p90Minutes), minutes(w.maxMinutes)];
  const rows = SOURCES.map((s) => row(sourceColour(s, c)(s), m.waits.bySource[s]));
  rows.push(row(c.bold('All'), m.waits.all));
  const wl = m.waitlist;
  return [
    table(['Source', 'Called', 'Median', 'p90', 'Longest'], rows, c),
    c.dim(
      `Waitlist: ${wl.waitlisted} tokens waited for a seat; ${wl.seatedLater} got one (median ${minutes(wl.minutes.medianMinutes)}, ` +
        `p90 ${minutes(wl.minutes.p90Minutes)}); ${wl.expired} expired unseated.`,
    ),
  ].join('\n');
}

function summaryLines(m: MetricsJson, c: Colors): string {
  const byCause = Object.entries(m.promotions.byCause).map(([k, v]) => `${k} ${v}`);
  const refusals = Object.entries(m.refusals.byCode).map(([k, v]) => `${k} ${v}`);
  const lw = m.longestWait;
  const inv = m.invariants;
  const lines = [
    `Bumps: ${m.bumps.total} (${m.bumps.toLaterSlot} to a later slot, ${m.bumps.toWaitlist} to the waitlist)`,
    `Promotions from the waitlist: ${m.promotions.total}${byCause.length ? ` (${byCause.join(', ')})` : ''}`,
    `Moved by shrinking slots: ${m.moves.total} (${m.moves.toLaterSlot} to a later slot, ${m.moves.toWaitlist} to the waitlist)`,
    `Emergency overflow seats: ${m.overflowSeats}`,
    `No-shows: ${m.noShows.total} (${m.noShows.byStaff} by staff, ${m.noShows.afterGrace} by the clock after the grace, ${m.noShows.afterSkips} after too many skips); skips: ${m.skips}`,
    `Longest wait: ${lw ? `${lw.token} (${lw.source}) at ${lw.doctor}, ${lw.minutes} min (${clockOf(lw.checkedInAt)} → ${clockOf(lw.calledAt)})` : '—'}`,
    `Doctor overtime: median ${minutes(m.overtime.medianMinutes)}, longest ${minutes(m.overtime.maxMinutes)}`,
    `Refused commands: ${m.refusals.total}${refusals.length ? ` (${refusals.join(', ')})` : ''}`,
  ];
  const verdict =
    inv.violations === 0
      ? c.green(`Invariants: ${inv.checks} checks, 0 violations ✓`)
      : c.red(`Invariants: ${inv.checks} checks, ${inv.violations} VIOLATIONS — first: ${inv.problems[0]?.problem ?? '?'}`);
  lines.push(verdict);
  if (m.anomalies.length > 0) lines.push(c.red(`Anomalies: ${m.anomalies.length} — first: ${m.anomalies[0]}`));
  return lines.join('\n');
}
