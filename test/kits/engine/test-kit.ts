// A front desk for tests: one doctor-day, a clock set by hand, and short ways to issue commands.
// Used by the engine's example and property tests only.

import { execute } from '../../../src/engine/commands.ts';
import { openDoctorDay, replay, type DoctorDay } from '../../../src/engine/doctor-day.ts';
import { checkInvariants } from '../../../src/engine/invariants.ts';
import { DEFAULT_POLICY } from '../../../src/engine/policy.ts';
import { snapshot } from '../../../src/engine/queries.ts';
import type { Command, DoctorDayEvent, Millis, Outcome, Policy, Source, Token, TokenStatus } from '../../../src/engine/types.ts';

export const DATE = '2026-01-05';
const BASE = Date.UTC(2026, 0, 5);

/** "09:15" on the test date, as epoch ms (the engine only adds and compares times). */
export function at(hhmm: string): Millis {
  const [h, m] = hhmm.split(':').map(Number);
  return BASE + (h! * 60 + m!) * 60_000;
}

export class Desk {
  readonly day: DoctorDay;
  readonly log: DoctorDayEvent[] = [];
  now: Millis = at('08:00');

  constructor(
    public policy: Policy = DEFAULT_POLICY,
    code = 'GM',
    readonly doctorId = 'doc-1',
    readonly date = DATE,
  ) {
    this.day = openDoctorDay({ doctorId, date, code });
  }

  /** Runs a command at the desk's clock; fails the test if any invariant breaks. */
  run(command: Command, hhmm?: string): Outcome {
    if (hhmm) this.now = at(hhmm);
    const out = execute(this.day, command, { now: this.now, policy: this.policy });
    this.log.push(...out.events);
    const problems = checkInvariants(this.day, this.now);
    if (problems.length > 0) throw new Error(`invariants broken after ${command.type}: ${problems.join('; ')}`);
    return out;
  }

  /** Like run, but the command must succeed. */
  ok(command: Command, hhmm?: string): DoctorDayEvent[] {
    const out = this.run(command, hhmm);
    if (!out.ok) throw new Error(`${command.type} refused: ${out.code} ${out.message}`);
    return out.events;
  }

  slot(id: string, from: string, to: string, capacity: number): this {
    this.ok({ type: 'createSlot', slot: { id, start: at(from), end: at(to), capacity } });
    return this;
  }

  issue(
    tokenId: string,
    source: Source,
    opts: { slotId?: string; flexible?: boolean; patientId?: string; phone?: string; at?: string } = {},
  ): Outcome {
    // The key as the service makes it, in the clear (the engine never looks inside): id, else phone.
    const key = opts.patientId ? `id:${opts.patientId}` : opts.phone ? `phone:${opts.phone}` : undefined;
    return this.run(
      { type: 'issueToken', tokenId, source, ...(key === undefined ? {} : { patientKey: key }), slotId: opts.slotId ?? null, flexible: opts.flexible ?? false },
      opts.at,
    );
  }

  token(id: string): Token {
    const t = this.day.tokens.get(id);
    if (!t) throw new Error(`no token ${id}`);
    return t;
  }

  status(id: string): TokenStatus {
    return this.token(id).status;
  }

  /** "ALLOCATED@s9" or "WAITLISTED" — status and slot in one string for compact assertions. */
  where(id: string): string {
    const t = this.token(id);
    return t.status === 'WAITLISTED' || t.slotId === null ? t.status : `${t.status}@${t.slotId}`;
  }

  occupied(slotId: string): number {
    return this.day.slotById.get(slotId)!.occupied;
  }

  /** Events of one type from the whole log. */
  events<T extends DoctorDayEvent['type']>(type: T): Extract<DoctorDayEvent, { type: T }>[] {
    return this.log.filter((e): e is Extract<DoctorDayEvent, { type: T }> => e.type === type);
  }

  /** The doctor-day rebuilt from its log equals the live one. */
  replayMatches(): boolean {
    const rebuilt = replay({ doctorId: this.doctorId, date: this.date, code: this.day.code }, this.log);
    return JSON.stringify(snapshot(rebuilt)) === JSON.stringify(snapshot(this.day));
  }
}

export function policy(overrides: Partial<Policy>): Policy {
  return { ...DEFAULT_POLICY, ...overrides, allowance: { ...(overrides.allowance ?? DEFAULT_POLICY.allowance) } };
}
