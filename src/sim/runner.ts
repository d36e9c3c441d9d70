// Drives the engine through a day: a discrete-event loop ordered by (time, sequence), one engine
// doctor-day per doctor, every command through `execute(day, command, {now, policy})`, a tick every
// minute for every doctor-day that still has an open slot, and the engine's invariants checked after
// every single command.

import {
  checkInvariants,
  execute,
  openDoctorDay,
  type Command,
  type DoctorDay,
  type Millis,
  type Outcome,
  type Policy,
} from '../engine/index.ts';
import { Behaviour, type Happening, type SimulationPort } from './behaviour.ts';
import { EventQueue } from './event-queue.ts';
import type { DayPlan } from './plan.ts';

const MINUTE = 60_000;
/** Enough to diagnose; a broken engine would otherwise fill memory with the same sentence. */
const KEPT_VIOLATIONS = 50;

export interface CommandRecord {
  at: Millis;
  doctor: number;
  command: Command;
  outcome: Outcome;
}

/** Sees every command with its outcome, right after it ran (metrics, narration). */
export interface Observer {
  onCommand(record: CommandRecord, day: DoctorDay): void;
}

export interface InvariantViolation {
  at: Millis;
  doctor: string;
  command: string;
  problem: string;
}

export interface InvariantReport {
  /** checkInvariants calls: one after every command, ticks included. */
  checks: number;
  /** Broken promises found, summed over all checks (0 for a sound engine). */
  violations: number;
  /** The first few, for diagnosis. */
  problems: InvariantViolation[];
}

export interface RunOptions {
  policy: Policy;
  observers?: Observer[];
  /** Sim minutes done / expected; for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface DayRun {
  plan: DayPlan;
  policy: Policy;
  /** Final state of each doctor-day, in plan order. */
  days: DoctorDay[];
  invariants: InvariantReport;
  /** Things the simulator expected the engine to refuse or do, and it did not. */
  anomalies: string[];
  commands: number;
  /** The last moment simulated: the last tick, or later when doctors worked on past it. */
  endedAt: Millis;
}

type Agenda = Happening | { kind: 'script'; doctor: number; command: Command };

class Simulation implements SimulationPort {
  readonly days: DoctorDay[];
  readonly invariants: InvariantReport = { checks: 0, violations: 0, problems: [] };
  readonly anomalies: string[] = [];
  commands = 0;
  private readonly queue = new EventQueue<Agenda>();
  private readonly behaviour: Behaviour;

  constructor(
    readonly plan: DayPlan,
    private readonly options: RunOptions,
  ) {
    this.days = plan.doctors.map((d) => openDoctorDay({ doctorId: d.doctor.id, date: plan.date, code: d.doctor.code }));
    this.behaviour = new Behaviour(this);
  }

  exec(doctor: number, command: Command, at: Millis): Outcome {
    const day = this.days[doctor]!;
    const outcome = execute(day, command, { now: at, policy: this.options.policy });
    this.commands++;
    this.check(doctor, command, at);
    const record: CommandRecord = { at, doctor, command, outcome };
    for (const o of this.options.observers ?? []) o.onCommand(record, day);
    // A refusal still carries the events its moment was due (engine decision 2); they happened.
    this.behaviour.react(doctor, outcome.events, at);
    return outcome;
  }

  schedule(at: Millis, h: Agenda): void {
    this.queue.push(at, h);
  }

  anomaly(text: string): void {
    this.anomalies.push(text);
  }

  run(): DayRun {
    const plan = this.plan;
    plan.doctors.forEach((d, doctor) => {
      for (const slot of d.slots) this.exec(doctor, { type: 'createSlot', slot }, plan.startAt);
      for (const step of d.script) this.schedule(step.at, { kind: 'script', doctor, command: step.command });
    });
    this.behaviour.start();

    const total = this.expectedMinutes();
    let minute = plan.startAt;
    let lastAt = plan.startAt;
    for (;;) {
      const next = this.queue.peekTime();
      // The clock's work of a minute (the tick) comes before the desk's work of that minute.
      if (next !== null && next < minute) {
        const { at, item } = this.queue.pop()!;
        lastAt = at;
        if (item.kind === 'script') this.exec(item.doctor, item.command, at);
        else this.behaviour.handle(item, at);
        continue;
      }
      if (next === null && !this.days.some((day) => this.needsTick(day, minute))) break;
      this.tickAll(minute);
      minute += MINUTE;
      this.options.onProgress?.(Math.min(total, (minute - plan.startAt) / MINUTE), total);
    }
    this.options.onProgress?.(total, total);
    return {
      plan,
      policy: this.options.policy,
      days: this.days,
      invariants: this.invariants,
      anomalies: this.anomalies,
      commands: this.commands,
      endedAt: Math.max(lastAt, minute - MINUTE),
    };
  }

  /**
   * A doctor-day is ticked from the start until its last slot has ended and the no-show grace has
   * run out, so the day closes: absentees are marked and the waitlist expires.
   */
  private needsTick(day: DoctorDay, minute: Millis): boolean {
    const last = day.slots[day.slots.length - 1];
    return last !== undefined && minute <= last.end + this.options.policy.noShowGraceMinutes * MINUTE;
  }

  private tickAll(minute: Millis): void {
    this.days.forEach((day, doctor) => {
      if (this.needsTick(day, minute)) this.exec(doctor, { type: 'tick' }, minute);
    });
  }

  private check(doctor: number, command: Command, at: Millis): void {
    const problems = checkInvariants(this.days[doctor]!, at);
    this.invariants.checks++;
    if (problems.length === 0) return;
    this.invariants.violations += problems.length;
    const code = this.plan.doctors[doctor]!.doctor.code;
    for (const problem of problems) {
      if (this.invariants.problems.length >= KEPT_VIOLATIONS) break;
      this.invariants.problems.push({ at, doctor: code, command: describeCommand(command), problem });
    }
  }

  private expectedMinutes(): number {
    const grace = this.options.policy.noShowGraceMinutes;
    let end = this.plan.startAt;
    for (const d of this.plan.doctors) for (const s of d.slots) end = Math.max(end, s.end + grace * MINUTE);
    return Math.max(1, Math.round((end - this.plan.startAt) / MINUTE) + 1);
  }
}

/** Runs a plan under a policy. The same plan and policy always give the same run. */
export function runDay(plan: DayPlan, options: RunOptions): DayRun {
  return new Simulation(plan, options).run();
}

/** `checkIn GM-t7`, `callNext`: how a command is named in reports. */
export function describeCommand(c: Command): string {
  switch (c.type) {
    case 'issueToken':
      return `issueToken ${c.tokenId} (${c.source})`;
    case 'cancel':
    case 'noShow':
    case 'checkIn':
    case 'complete':
    case 'skip':
      return `${c.type} ${c.tokenId}`;
    case 'createSlot':
      return `createSlot ${c.slot.id}`;
    case 'changeCapacity':
      return `changeCapacity ${c.slotId} → ${c.capacity}`;
    case 'delayDoctor':
      return `delayDoctor ${c.minutes} min`;
    default:
      return c.type;
  }
}
