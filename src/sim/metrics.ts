// What a simulated day amounted to, in numbers a hospital can choose a policy from. Each metric is
// defined once, in DEFINITIONS, which also goes into the JSON so that a reader of the numbers never
// has to guess what they mean.

import { SOURCES, TOKEN_STATUSES, type DoctorDay, type Millis, type Source, type TokenStatus } from '../engine/index.ts';
import { formatIso, formatRange } from '../time/local-time.ts';
import type { DayPlan } from './plan.ts';
import type { CommandRecord, DayRun, InvariantReport, Observer } from './runner.ts';
import { departmentSummaries, type DepartmentSummary } from './departments.ts';

const MINUTE = 60_000;

export const DEFINITIONS = {
  tokens: 'Every token issued, counted by source and by its status at the end of the day (its outcome).',
  waitMinutes:
    'Minutes from a token\'s first check-in to its first call by the doctor, for tokens that were called. Median: the middle value (mean of the two middle values for an even count); p90: nearest-rank 90th percentile.',
  waitlistMinutes: 'Minutes from being waitlisted (on issue or when bumped/moved) to being seated again, for tokens that got a seat back.',
  utilisation:
    'Per slot: used / capacity, where used = tokens seated in the slot at the end of the day that were called (COMPLETED or CALLED) and capacity = the slot\'s capacity at the end of the day (after any delay); above 1 means emergency overflow seats were used.',
  peakOccupied: 'Per slot: the most seats held at once (ALLOCATED, CHECKED_IN, CALLED, COMPLETED), measured after every command.',
  bumps: 'Tokens displaced by a higher-priority request (TokenBumped), by the source of the displaced token.',
  promotions: 'Waitlisted tokens seated into a freed or new seat (TokenAllocated reason promoted), by what freed the seat.',
  moves: 'Seated tokens moved out of a slot that shrank (doctor late, capacity cut, policy change): to a later slot or the waitlist.',
  overflowSeats: 'Seats taken beyond capacity (TokenAllocated reason overflow): the emergency allowance.',
  longestWait: 'The token with the longest check-in-to-call wait (ties: earliest check-in, then doctor order, then token number).',
  overtimeMinutes: 'Per doctor: minutes from the end of the last slot to the last completed consultation (0 when done in time); the mean is over doctors who saw a patient.',
  aged: 'Times a waiting token was moved up the queue by aging (TokenAged).',
  departments: 'Per department: doctors, tokens, patients seen, no-shows, tokens that never got a seat, waits (all and walk-ins) and the longest overtime.',
  refusals: 'Commands the engine refused, by failure code (e.g. QUEUE_EMPTY when a free doctor found nobody checked in).',
  invariants: 'checkInvariants(day) after every command (ticks included): number of checks, and every broken promise found.',
} as const;

export interface WaitStats {
  count: number;
  meanMinutes: number | null;
  medianMinutes: number | null;
  p90Minutes: number | null;
  maxMinutes: number | null;
}

export interface SlotUse {
  slot: string;
  start: string;
  plannedCapacity: number;
  capacity: number;
  used: number;
  noShows: number;
  peakOccupied: number;
  utilisation: number | null;
}

export interface DoctorSummary {
  id: string;
  code: string;
  name: string;
  department: string;
  lateMinutes: number;
  startedCallingAt: string | null;
  lastCompletedAt: string | null;
  overtimeMinutes: number;
  tokens: number;
  completed: number;
  slots: SlotUse[];
}

export type { DepartmentSummary };

export interface Metrics {
  tokens: { issued: number; byOutcome: Record<TokenStatus, number>; bySource: Record<Source, { issued: number } & Record<TokenStatus, number>> };
  seats: { bySlotTime: SlotUse[]; overall: { capacity: number; used: number; utilisation: number | null; peakOccupied: number } };
  waits: { all: WaitStats; bySource: Record<Source, WaitStats> };
  waitlist: { waitlisted: number; seatedLater: number; expired: number; minutes: WaitStats };
  longestWait: { doctor: string; token: string; source: Source; minutes: number; checkedInAt: string; calledAt: string } | null;
  bumps: { total: number; toLaterSlot: number; toWaitlist: number; bySource: Record<Source, number> };
  promotions: { total: number; byCause: Record<string, number> };
  moves: { total: number; toLaterSlot: number; toWaitlist: number };
  overflowSeats: number;
  noShows: { total: number; byStaff: number; afterGrace: number; afterSkips: number };
  skips: number;
  overtime: { medianMinutes: number | null; maxMinutes: number | null; meanMinutes: number | null };
  aged: number;
  departments: DepartmentSummary[];
  refusals: { total: number; byCode: Record<string, number> };
  doctors: DoctorSummary[];
  invariants: InvariantReport;
  anomalies: string[];
  commands: number;
}

interface TokenTimes {
  doctor: number;
  label: string;
  source: Source;
  checkedInAt: Millis | null;
  calledAt: Millis | null;
  waitlistedAt: Millis | null;
}

const bySourceZero = (): Record<Source, number> => Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<Source, number>;
const byStatusZero = (): Record<TokenStatus, number> => Object.fromEntries(TOKEN_STATUSES.map((s) => [s, 0])) as Record<TokenStatus, number>;
const round1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

/** Median (mean of the middle two) and nearest-rank p90 of minutes. */
export function waitStats(minutes: number[]): WaitStats {
  if (minutes.length === 0) return { count: 0, meanMinutes: null, medianMinutes: null, p90Minutes: null, maxMinutes: null };
  const v = [...minutes].sort((a, b) => a - b);
  const n = v.length;
  const median = n % 2 === 1 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
  return {
    count: n,
    meanMinutes: round1(v.reduce((a, b) => a + b, 0) / n),
    medianMinutes: round1(median),
    p90Minutes: round1(v[Math.ceil(0.9 * n) - 1]!),
    maxMinutes: round1(v[n - 1]!),
  };
}

/** Watches every command of a run; `finish` turns what it saw and the final state into Metrics. */
export class MetricsCollector implements Observer {
  private readonly tokens = new Map<string, TokenTimes>();
  private readonly peaks = new Map<string, number>();
  private readonly waitlistMinutes: number[] = [];
  private readonly refusals = new Map<string, number>();
  private readonly bumps = { total: 0, toLaterSlot: 0, toWaitlist: 0, bySource: bySourceZero() };
  private readonly promotions = new Map<string, number>();
  private readonly moves = { total: 0, toLaterSlot: 0, toWaitlist: 0 };
  private readonly noShows = { total: 0, byStaff: 0, afterGrace: 0, afterSkips: 0 };
  private overflowSeats = 0;
  private skips = 0;
  private aged = 0;
  private waitlisted = 0;
  /** Per doctor: first call and last completed consultation. */
  private readonly firstCall = new Map<number, Millis>();
  private readonly lastCompleted = new Map<number, Millis>();

  constructor(private readonly plan: DayPlan) {}

  onCommand(record: CommandRecord, day: DoctorDay): void {
    const { outcome, doctor } = record;
    if (!outcome.ok) this.refusals.set(outcome.code, (this.refusals.get(outcome.code) ?? 0) + 1);
    const touched = new Set<string>();
    for (const e of outcome.events) {
      const key = (tokenId: string) => `${doctor}|${tokenId}`;
      switch (e.type) {
        case 'TokenIssued':
          this.tokens.set(key(e.tokenId), { doctor, label: e.label, source: e.source, checkedInAt: null, calledAt: null, waitlistedAt: null });
          break;
        case 'TokenWaitlisted':
          this.startWaitlist(key(e.tokenId), e.at);
          if (e.reason === 'moved') this.countMove(false);
          break;
        case 'TokenBumped': {
          this.bumps.total++;
          this.bumps.bySource[this.tokens.get(key(e.tokenId))!.source]++;
          if (e.toSlotId === null) {
            this.bumps.toWaitlist++;
            this.startWaitlist(key(e.tokenId), e.at);
          } else {
            this.bumps.toLaterSlot++;
            touched.add(e.toSlotId);
          }
          break;
        }
        case 'TokenAllocated': {
          touched.add(e.slotId);
          if (e.reason === 'overflow') this.overflowSeats++;
          if (e.reason === 'promoted') this.promotions.set(e.cause ?? 'unknown', (this.promotions.get(e.cause ?? 'unknown') ?? 0) + 1);
          if (e.reason === 'moved') this.countMove(true);
          const t = this.tokens.get(key(e.tokenId))!;
          if (t.waitlistedAt !== null) {
            this.waitlistMinutes.push((e.at - t.waitlistedAt) / MINUTE);
            t.waitlistedAt = null;
          }
          break;
        }
        case 'TokenCheckedIn': {
          const t = this.tokens.get(key(e.tokenId))!;
          t.checkedInAt ??= e.at;
          break;
        }
        case 'TokenCalled': {
          const t = this.tokens.get(key(e.tokenId))!;
          t.calledAt ??= e.at;
          if (!this.firstCall.has(doctor)) this.firstCall.set(doctor, e.at);
          break;
        }
        case 'TokenCompleted':
          this.lastCompleted.set(doctor, e.at);
          break;
        case 'TokenSkipped':
          this.skips++;
          break;
        case 'TokenAged':
          this.aged++;
          break;
        case 'TokenNoShow':
          this.noShows.total++;
          if (e.reason === 'staff') this.noShows.byStaff++;
          else if (e.reason === 'grace-expired') this.noShows.afterGrace++;
          else this.noShows.afterSkips++;
          break;
        case 'TokenCancelled':
        case 'TokenExpired':
          this.tokens.get(key(e.tokenId))!.waitlistedAt = null;
          break;
        default:
          break;
      }
    }
    for (const slotId of touched) {
      const k = `${doctor}|${slotId}`;
      const occupied = day.slotById.get(slotId)?.occupied ?? 0;
      if (occupied > (this.peaks.get(k) ?? 0)) this.peaks.set(k, occupied);
    }
  }

  private startWaitlist(key: string, at: Millis): void {
    const t = this.tokens.get(key)!;
    if (t.waitlistedAt === null) {
      t.waitlistedAt = at;
      this.waitlisted++;
    }
  }

  private countMove(toLaterSlot: boolean): void {
    this.moves.total++;
    if (toLaterSlot) this.moves.toLaterSlot++;
    else this.moves.toWaitlist++;
  }

  finish(run: DayRun): Metrics {
    const tz = this.plan.timeZone;
    const bySource = Object.fromEntries(SOURCES.map((s) => [s, { issued: 0, ...byStatusZero() }])) as Metrics['tokens']['bySource'];
    const byOutcome = byStatusZero();
    const doctors: DoctorSummary[] = [];
    const slotTimes = new Map<string, SlotUse>();
    let issued = 0;

    run.days.forEach((day, doctor) => {
      const plan = this.plan.doctors[doctor]!;
      const used = new Map<string, number>();
      const absent = new Map<string, number>();
      let completed = 0;
      for (const t of day.tokens.values()) {
        issued++;
        bySource[t.source].issued++;
        bySource[t.source][t.status]++;
        byOutcome[t.status]++;
        if (t.status === 'COMPLETED') completed++;
        if (t.slotId === null) continue;
        if (t.status === 'COMPLETED' || t.status === 'CALLED') used.set(t.slotId, (used.get(t.slotId) ?? 0) + 1);
        if (t.status === 'NO_SHOW') absent.set(t.slotId, (absent.get(t.slotId) ?? 0) + 1);
      }
      const slots = plan.slots.map((planned): SlotUse => {
        const slot = day.slotById.get(planned.id);
        const capacity = slot?.capacity ?? planned.capacity;
        const u = used.get(planned.id) ?? 0;
        return {
          slot: formatRange(planned.start, planned.end, tz),
          start: formatIso(planned.start, tz),
          plannedCapacity: planned.capacity,
          capacity,
          used: u,
          noShows: absent.get(planned.id) ?? 0,
          peakOccupied: this.peaks.get(`${doctor}|${planned.id}`) ?? 0,
          utilisation: ratio(u, capacity),
        };
      });
      for (const s of slots) {
        const agg = slotTimes.get(s.start) ?? { ...s, plannedCapacity: 0, capacity: 0, used: 0, noShows: 0, peakOccupied: 0, utilisation: null };
        agg.plannedCapacity += s.plannedCapacity;
        agg.capacity += s.capacity;
        agg.used += s.used;
        agg.noShows += s.noShows;
        agg.peakOccupied += s.peakOccupied;
        agg.utilisation = ratio(agg.used, agg.capacity);
        slotTimes.set(s.start, agg);
      }
      const firstCall = this.firstCall.get(doctor) ?? null;
      const lastCompleted = this.lastCompleted.get(doctor) ?? null;
      const lastEnd = day.slots[day.slots.length - 1]?.end ?? null;
      const overtime = lastCompleted !== null && lastEnd !== null ? Math.max(0, (lastCompleted - lastEnd) / MINUTE) : 0;
      doctors.push({
        id: plan.doctor.id,
        code: plan.doctor.code,
        name: plan.doctor.name,
        department: plan.doctor.department,
        lateMinutes: plan.delay?.minutes ?? 0,
        startedCallingAt: firstCall === null ? null : formatIso(firstCall, tz),
        lastCompletedAt: lastCompleted === null ? null : formatIso(lastCompleted, tz),
        overtimeMinutes: round1(overtime),
        tokens: day.tokens.size,
        completed,
        slots,
      });
    });

    const waits: number[] = [];
    const waitsBySource = new Map<Source, number[]>(SOURCES.map((s) => [s, []]));
    const waitsByDoctor: { source: Source; minutes: number }[][] = doctors.map(() => []);
    let longest: (TokenTimes & { minutes: number }) | null = null;
    for (const t of this.tokens.values()) {
      if (t.checkedInAt === null || t.calledAt === null) continue;
      const minutes = (t.calledAt - t.checkedInAt) / MINUTE;
      waits.push(minutes);
      waitsBySource.get(t.source)!.push(minutes);
      waitsByDoctor[t.doctor]!.push({ source: t.source, minutes });
      if (!longest || minutes > longest.minutes || (minutes === longest.minutes && earlier(t, longest))) longest = { ...t, minutes };
    }
    const bySlotTime = [...slotTimes.values()].sort((a, b) => a.start.localeCompare(b.start));
    const capacity = bySlotTime.reduce((n, s) => n + s.capacity, 0);
    const usedSeats = bySlotTime.reduce((n, s) => n + s.used, 0);
    const overtimes = doctors.filter((d) => d.lastCompletedAt !== null).map((d) => d.overtimeMinutes);
    const overtimeStats = waitStats(overtimes);

    return {
      tokens: { issued, byOutcome, bySource },
      seats: {
        bySlotTime,
        overall: { capacity, used: usedSeats, utilisation: ratio(usedSeats, capacity), peakOccupied: bySlotTime.reduce((n, s) => n + s.peakOccupied, 0) },
      },
      waits: { all: waitStats(waits), bySource: Object.fromEntries(SOURCES.map((s) => [s, waitStats(waitsBySource.get(s)!)])) as Record<Source, WaitStats> },
      waitlist: { waitlisted: this.waitlisted, seatedLater: this.waitlistMinutes.length, expired: byOutcome.EXPIRED, minutes: waitStats(this.waitlistMinutes) },
      longestWait: longest && {
        doctor: this.plan.doctors[longest.doctor]!.doctor.code,
        token: longest.label,
        source: longest.source,
        minutes: round1(longest.minutes),
        checkedInAt: formatIso(longest.checkedInAt!, tz),
        calledAt: formatIso(longest.calledAt!, tz),
      },
      bumps: { ...this.bumps, bySource: { ...this.bumps.bySource } },
      promotions: { total: [...this.promotions.values()].reduce((a, b) => a + b, 0), byCause: sortedRecord(this.promotions) },
      moves: { ...this.moves },
      overflowSeats: this.overflowSeats,
      noShows: { ...this.noShows },
      skips: this.skips,
      overtime: { medianMinutes: overtimeStats.medianMinutes, maxMinutes: overtimeStats.maxMinutes, meanMinutes: overtimeStats.meanMinutes },
      aged: this.aged,
      departments: departmentSummaries(doctors, run.days, waitsByDoctor),
      refusals: { total: [...this.refusals.values()].reduce((a, b) => a + b, 0), byCode: sortedRecord(this.refusals) },
      doctors,
      invariants: { checks: run.invariants.checks, violations: run.invariants.violations, problems: [...run.invariants.problems] },
      anomalies: [...run.anomalies],
      commands: run.commands,
    };
  }
}

function earlier(a: TokenTimes, b: TokenTimes): boolean {
  return a.checkedInAt! < b.checkedInAt! || (a.checkedInAt === b.checkedInAt && (a.doctor < b.doctor || (a.doctor === b.doctor && a.label < b.label)));
}

/** Map → plain object with keys in alphabetical order, so JSON never depends on arrival order. */
function sortedRecord(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
