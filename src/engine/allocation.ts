// The allocation rules of SPEC sections 3–6: who fits where, who may be bumped, who is promoted,
// who moves out when a slot shrinks. Every decision reads the indexed queues of the doctor-day;
// every change goes through `emit`, which applies the event at once, so later decisions see it.

import { apply, type DoctorDay, type Slot } from './doctor-day.ts';
import { byIssue, byPriority, type TokenSet } from './ordered-set.ts';
import { hasReserves, mayPreempt, samePolicy, seatLimit } from './policy.ts';
import { SOURCES, type Cause, type DoctorDayEvent, type Millis, type Policy, type Source, type Token } from './types.ts';

const MINUTE = 60_000;

/** One command being carried out: the doctor-day, its time and policy, and the events so far. */
export class Run {
  readonly events: DoctorDayEvent[] = [];

  constructor(
    readonly day: DoctorDay,
    readonly now: Millis,
    readonly policy: Policy,
  ) {}

  emit(e: DoctorDayEvent): void {
    apply(this.day, e);
    this.events.push(e);
  }

  // ---------------------------------------------------------------- seats (SPEC 3)

  /** A slot takes no one once it has ended. */
  isOpen(slot: Slot): boolean {
    return slot.end > this.now;
  }

  /** capacity + allowance of the source, with reserves released from `reserveReleaseMinutes` before start. */
  limit(slot: Slot, source: Source): number {
    return seatLimit(this.policy, slot, source);
  }

  fits(slot: Slot, source: Source): boolean {
    // Stryker disable next-line ConditionalExpression,BooleanLiteral,BlockStatement: every caller offers open slots (the candidates, or slots after an open one); kept so that the rule stands on its own
    if (!this.isOpen(slot)) return false;
    return slot.occupied < this.limit(slot, source);
  }

  /** The first slot after `from` (in start order) with a free seat for the source. */
  laterSlotWithSeat(from: Slot, source: Source): Slot | null {
    const slots = this.day.slots;
    for (let i = slots.indexOf(from) + 1; i < slots.length; i++) {
      if (this.fits(slots[i]!, source)) return slots[i]!;
    }
    return null;
  }

  // ---------------------------------------------------------------- preemption (SPEC 4)

  /**
   * The token a newcomer may bump in this slot: ALLOCATED (not checked in), of strictly greater base
   * rank (so never an EMERGENCY), bumped fewer than maxBumps times, of a source whose limit is no larger
   * than the newcomer's; the greatest rank, then the last booked. Only if the newcomer then fits within
   * its own source's limit.
   */
  findVictim(slot: Slot, newcomer: Token): Token | null {
    if (!mayPreempt(this.policy, newcomer.source)) return null;
    // Stryker disable next-line ConditionalExpression,BooleanLiteral,BlockStatement: issuing only offers open slots (validateIssue); kept so that the rule stands on its own
    if (!this.isOpen(slot)) return null;
    const limit = this.limit(slot, newcomer.source);
    if (slot.occupied - 1 >= limit) return null;
    for (let rank = SOURCES.length - 1; rank > newcomer.rank; rank--) {
      // A token whose source may use more seats than the newcomer's would still fit after the swap:
      // bumping it would only hand it a seat the newcomer may not take. It is no victim.
      if (this.limit(slot, SOURCES[rank]!) > limit) continue;
      const byBumps = slot.allocated[rank]!;
      let best: Token | undefined;
      for (let b = 0; b < Math.min(this.policy.maxBumps, byBumps.length); b++) {
        const last = byBumps[b]!.last();
        // Stryker disable next-line EqualityOperator: byIssue ends with the token number, unique in a doctor-day, so two different tokens never compare 0 and > and >= agree
        if (last && (!best || byIssue(last, best) > 0)) best = last;
      }
      if (best) return best;
    }
    return null;
  }

  // ---------------------------------------------------------------- freed seats (SPEC 5)

  /**
   * The best waiting token that may take a seat in this slot now: eligible (untied, tied to this slot,
   * or flexible and tied to this or an earlier one) and within its own source's limit.
   */
  bestWaiting(slot: Slot): Token | null {
    if (!this.isOpen(slot)) return null;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a shortcut; with nobody waitlisted every queue below is empty
    if (this.day.waitlisted === 0) return null;
    let best: Token | null = null;
    for (let rank = 0; rank < SOURCES.length; rank++) {
      if (slot.occupied >= this.limit(slot, SOURCES[rank]!)) continue;
      best = better(best, this.day.untiedWait[rank]!);
      best = better(best, slot.tiedWait[rank]!);
      for (const earlier of this.day.slots) {
        if (earlier.start > slot.start) break;
        best = better(best, earlier.flexWait[rank]!);
      }
    }
    return best;
  }

  /** Fills free seats of a slot from the waitlist, best first, while seats and candidates remain. */
  promoteInto(slot: Slot, cause: Cause, causeTokenId?: string): void {
    for (let t = this.bestWaiting(slot); t; t = this.bestWaiting(slot)) {
      this.emit({
        type: 'TokenAllocated',
        at: this.now,
        tokenId: t.id,
        slotId: slot.id,
        reason: 'promoted',
        cause,
        ...(causeTokenId === undefined ? {} : { causeTokenId }),
      });
      this.checkInIfArrived(t);
    }
  }

  /** A token whose patient is here is checked in as soon as it holds a seat (SPEC 4 `arrived`). */
  checkInIfArrived(t: Token): void {
    if (
      t.arrived &&
      // Stryker disable next-line ConditionalExpression: it is called only right after TokenAllocated, so the token is always ALLOCATED here
      t.status === 'ALLOCATED'
    )
      this.emit({ type: 'TokenCheckedIn', at: this.now, tokenId: t.id });
  }

  promoteEverywhere(cause: Cause): void {
    for (const slot of this.day.slots) this.promoteInto(slot, cause);
  }

  // ---------------------------------------------------------------- moving out (SPEC 6)

  /**
   * Moves tokens out of a slot until every source is within its limit: for each source, the seated
   * tokens of the sources whose limit is no larger may not exceed that limit (the largest of these
   * limits is the slot's hard limit, capacity + max(allowance)). Greatest base rank goes first, then
   * the last booked; checked-in tokens last; called and completed tokens never move.
   */
  enforceLimits(slot: Slot, cause: Cause): void {
    const limits = SOURCES.map((s) => this.limit(slot, s));
    // Sources of equal limit have the same cap and the same group, so their order among themselves does not matter.
    const ranksByLimit = SOURCES.map((_, r) => r).sort((a, b) => limits[a]! - limits[b]!);
    let moved = false;
    for (const r of ranksByLimit) {
      const cap = limits[r]!;
      const group = ranksByLimit.filter((g) => limits[g]! <= cap);
      let count = group.reduce((n, g) => n + slot.seatedByRank[g]!, 0);
      while (count > cap) {
        const mover = this.nextToMoveOut(slot, group);
        if (!mover) break;
        this.moveOut(mover, slot, cause);
        moved = true;
        count--;
      }
    }
    // Moving a token out of a tight source's group can leave a seat that a source with a wider limit
    // may still take.
    if (moved) this.promoteInto(slot, cause);
  }

  private nextToMoveOut(slot: Slot, ranks: number[]): Token | null {
    const byRankDesc = [...ranks].sort((a, b) => b - a);
    for (const rank of byRankDesc) {
      let best: Token | undefined;
      for (const set of slot.allocated[rank]!) {
        const last = set.last();
        // Stryker disable next-line EqualityOperator: byIssue ends with the token number, unique in a doctor-day, so two different tokens never compare 0 and > and >= agree
        if (last && (!best || byIssue(last, best) > 0)) best = last;
      }
      if (best) return best;
    }
    for (const rank of byRankDesc) {
      const last = slot.checkedIn[rank]!.last();
      if (last) return last;
    }
    return null;
  }

  /** A displaced token takes a free seat in a later slot, else waits (flexible from the slot it left). */
  moveOut(t: Token, from: Slot, cause: Cause): void {
    const to = this.laterSlotWithSeat(from, t.source);
    if (to) {
      this.emit({ type: 'TokenAllocated', at: this.now, tokenId: t.id, slotId: to.id, reason: 'moved', fromSlotId: from.id, cause });
    } else {
      this.emit({
        type: 'TokenWaitlisted',
        at: this.now,
        tokenId: t.id,
        tie: { slotId: from.id, flexible: true },
        reason: 'moved',
        fromSlotId: from.id,
        cause,
      });
    }
  }

  /** A raised aging floor applies to tokens that had aged below it. */
  private raiseToFloor(): void {
    const floor = this.policy.agingFloor;
    const raised: Token[] = [];
    this.day.aging.forEach((bySteps, rank) => {
      bySteps.forEach((set, steps) => {
        if (steps > 0 && rank - steps < floor) for (const t of set.values()) raised.push(t);
      });
    });
    raised.sort((a, b) => a.number - b.number);
    for (const t of raised) {
      this.emit({ type: 'TokenAged', at: this.now, tokenId: t.id, effectiveRank: Math.min(t.rank, floor) });
    }
  }

  // ---------------------------------------------------------------- time (SPEC 3, 9)

  /**
   * What every command does first: record a policy that changed (and move out or promote under it),
   * and open the reserved seats of slots that start within `reserveReleaseMinutes`.
   */
  sync(): void {
    const day = this.day;
    const policyChanged = day.policy === null || !samePolicy(day.policy, this.policy);
    if (policyChanged) {
      this.emit({ type: 'PolicyChanged', at: this.now, policy: this.policy });
      this.raiseToFloor();
    }
    // Reserves due are released before new limits are enforced: a reserve that is due counts as 0.
    const released: Slot[] = [];
    if (hasReserves(this.policy)) {
      const lead = this.policy.reserveReleaseMinutes * MINUTE;
      for (const slot of day.slots) {
        if (!slot.reserveReleased && this.now >= slot.start - lead) {
          this.emit({ type: 'SlotReserveReleased', at: this.now, slotId: slot.id });
          released.push(slot);
        }
      }
    }
    // Stryker disable next-line ConditionalExpression: under an unchanged policy each open slot is already as enforceLimits leaves it (limits only drop with a new policy, a capacity cut or a delay, and a called token only becomes movable again by a skip; each of these enforces at once), so enforcing again moves and promotes nobody
    if (policyChanged) {
      // An ended slot is history: a new policy does not rewrite who sat in it.
      for (const slot of day.slots) if (this.isOpen(slot)) this.enforceLimits(slot, 'policy-changed');
    }
    for (const slot of released) this.promoteInto(slot, 'reserve-released');
    // Stryker disable next-line ConditionalExpression: under an unchanged policy no open slot has a seat a waiting token could take (a freed seat is filled at once, released reserves just above), so promoting again promotes nobody
    if (policyChanged) this.promoteEverywhere('policy-changed');
  }
}

/** The better of a candidate and the head of a waiting queue, in promotion order. */
function better(best: Token | null, queue: TokenSet): Token | null {
  if (queue.size === 0) return best;
  const head = queue.first()!;
  // Stryker disable next-line EqualityOperator: byPriority ends with the token number, unique in a doctor-day, and a token waits in one queue only, so head and best never compare 0
  return best === null || byPriority(head, best) < 0 ? head : best;
}
