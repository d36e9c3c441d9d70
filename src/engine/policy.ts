import { DEFAULT_POLICY } from '../shared/vocabulary.ts';
import { SOURCES, type Policy, type Source } from './types.ts';

/** The hospital default (SPEC 9): shared with the web desk, which shows it beside the overrides. */
export { DEFAULT_POLICY };

/** A hospital default overridden field by field (the doctor's policy overrides). */
export function mergePolicy(base: Policy, override: Partial<Policy> | undefined): Policy {
  if (!override) return base;
  return { ...base, ...override, allowance: { ...(override.allowance ?? base.allowance) } };
}

/** Field-by-field equality, in a fixed order so that it never depends on key order. */
export function samePolicy(a: Policy, b: Policy): boolean {
  // Stryker disable next-line ConditionalExpression: a shortcut; the field-by-field comparison below gives the same answer
  if (a === b) return true;
  if (
    a.preemption !== b.preemption ||
    a.maxBumps !== b.maxBumps ||
    a.reserveReleaseMinutes !== b.reserveReleaseMinutes ||
    a.agingMinutes !== b.agingMinutes ||
    a.agingFloor !== b.agingFloor ||
    a.noShowGraceMinutes !== b.noShowGraceMinutes ||
    a.maxSkips !== b.maxSkips ||
    a.delayMode !== b.delayMode
  ) {
    return false;
  }
  for (const s of SOURCES) if ((a.allowance[s] ?? 0) !== (b.allowance[s] ?? 0)) return false;
  return true;
}

/** A copy with every source's allowance spelled out and keys in a fixed order (for events). */
export function canonicalPolicy(p: Policy): Policy {
  const allowance: Partial<Record<Source, number>> = {};
  for (const s of SOURCES) if ((p.allowance[s] ?? 0) !== 0) allowance[s] = p.allowance[s];
  return {
    preemption: p.preemption,
    maxBumps: p.maxBumps,
    allowance,
    reserveReleaseMinutes: p.reserveReleaseMinutes,
    agingMinutes: p.agingMinutes,
    agingFloor: p.agingFloor,
    noShowGraceMinutes: p.noShowGraceMinutes,
    maxSkips: p.maxSkips,
    delayMode: p.delayMode,
  };
}

/** Problems with a policy, in words for the desk; empty when it is valid. */
export function policyProblems(p: Policy): string[] {
  const problems: string[] = [];
  const wholeAtLeast = (name: string, v: unknown, min: number) => {
    // Stryker disable next-line ConditionalExpression: Number.isInteger already refuses every non-number, so `typeof` is for the type checker
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) problems.push(`${name} must be a whole number ≥ ${min}`);
  };
  if (!['strict-priority', 'emergency-only', 'off'].includes(p.preemption)) problems.push('preemption is unknown');
  if (!['shrink', 'shift'].includes(p.delayMode)) problems.push('delayMode is unknown');
  wholeAtLeast('maxBumps', p.maxBumps, 0);
  wholeAtLeast('reserveReleaseMinutes', p.reserveReleaseMinutes, 0);
  if (p.agingMinutes !== null) wholeAtLeast('agingMinutes', p.agingMinutes, 1);
  wholeAtLeast('agingFloor', p.agingFloor, 0);
  wholeAtLeast('noShowGraceMinutes', p.noShowGraceMinutes, 0);
  wholeAtLeast('maxSkips', p.maxSkips, 0);
  // A missing allowance is refused here: every later step reads it (it once threw a TypeError instead).
  if (typeof p.allowance !== 'object' || p.allowance === null) problems.push('allowance must be an object');
  else {
    for (const [s, v] of Object.entries(p.allowance)) {
      if (!(SOURCES as readonly string[]).includes(s)) {
        problems.push(`allowance names an unknown source ${s}`);
        continue;
      }
      // Stryker disable next-line ConditionalExpression,LogicalOperator: Number.isInteger already refuses every non-number
      if (typeof v !== 'number' || !Number.isInteger(v)) problems.push(`allowance.${s} must be a whole number`);
    }
  }
  return problems;
}

export function hasReserves(p: Policy): boolean {
  for (const s of SOURCES) if ((p.allowance[s] ?? 0) < 0) return true;
  return false;
}

/** The allowance of a source in a slot: a negative one counts as 0 once the slot's reserve is released. */
export function allowanceOf(p: Policy, source: Source, reserveReleased: boolean): number {
  const a = p.allowance[source] ?? 0;
  // Stryker disable next-line EqualityOperator: an allowance of 0 counts as 0 either way
  return a < 0 && reserveReleased ? 0 : a;
}

/**
 * How many seated tokens a slot may hold when a token of this source takes a seat: capacity +
 * allowance (SPEC 3). Capacity 0 is a closed slot (doctor unavailable): no allowance opens it.
 */
export function seatLimit(p: Policy, slot: { capacity: number; reserveReleased: boolean }, source: Source): number {
  if (slot.capacity === 0) return 0;
  return slot.capacity + allowanceOf(p, source, slot.reserveReleased);
}

/** The slot's hard limit: capacity + max(allowance) (SPEC 3); 0 when closed. */
export function hardLimit(p: Policy, slot: { capacity: number; reserveReleased: boolean }): number {
  let max = -Infinity;
  for (const s of SOURCES) max = Math.max(max, seatLimit(p, slot, s));
  return max;
}

export function mayPreempt(p: Policy, source: Source): boolean {
  if (p.preemption === 'strict-priority') return true;
  if (p.preemption === 'emergency-only') return source === 'EMERGENCY';
  return false;
}
