// What if a real day had run under another policy: the day's log replayed (from-log.ts) and both days
// summed the same way (src/reports), with the tokens whose outcome changed. Shared by
// `opd simulate --from-log` and the admin's what-if route. Pure.

import { mergePolicy, SOURCES, type DoctorDayEvent, type Policy, type Source } from '../engine/index.ts';
import { summarizeDay, type DaySummary, type Outcome } from '../reports/day-summary.ts';
import { replayDay } from './from-log.ts';

/** What may change in a what-if: the rules of SPEC 9 (most often only `preemption`). */
export type PolicyChange = Partial<Policy>;

export interface TokenChange {
  /** The token's number, e.g. GM-007: never a patient's name. */
  number: string;
  source: Source;
  real: Outcome;
  whatIf: Outcome;
}

export interface WhatIfDay {
  /** The policy the day really had (the first the log records), and the one tried. */
  realPolicy: Policy;
  policy: Policy;
  real: DaySummary;
  whatIf: DaySummary;
  changes: TokenChange[];
  /** What people did that could not apply to the replayed day, in words. */
  skipped: string[];
}

const FINAL: Record<string, Outcome> = { TokenCompleted: 'seen', TokenNoShow: 'noShow', TokenCancelled: 'cancelled', TokenExpired: 'expired' };

/** Each token's number, source and outcome, in issue order. */
function outcomes(events: readonly DoctorDayEvent[]): Map<string, { number: string; source: Source; outcome: Outcome }> {
  const out = new Map<string, { number: string; source: Source; outcome: Outcome }>();
  for (const e of events) {
    if (e.type === 'TokenIssued') out.set(e.tokenId, { number: e.label, source: e.source, outcome: 'open' });
    // Seen, not come, cancelled and expired are final states (SPEC 7): the last word.
    else if (e.type in FINAL && 'tokenId' in e) out.get(e.tokenId)!.outcome = FINAL[e.type]!;
  }
  return out;
}

export function whatIfDay(init: { doctorId: string; date: string; code: string }, log: readonly DoctorDayEvent[], change: PolicyChange, fallbackPolicy: Policy): WhatIfDay {
  const first = log.find((e) => e.type === 'PolicyChanged');
  const realPolicy = first?.type === 'PolicyChanged' ? first.policy : fallbackPolicy;
  const policy = mergePolicy(realPolicy, change);
  const { events, skipped } = replayDay(init, log, { policy, fallbackPolicy });
  const before = outcomes(log);
  const after = outcomes(events);
  const changes: TokenChange[] = [];
  for (const [id, r] of before) {
    const w = after.get(id)!;
    if (w.outcome !== r.outcome) changes.push({ number: r.number, source: r.source, real: r.outcome, whatIf: w.outcome });
  }
  changes.sort((a, b) => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source) || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  return { realPolicy, policy, real: summarizeDay(log), whatIf: summarizeDay(events), changes, skipped };
}
